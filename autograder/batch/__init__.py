"""The class autograder: ``python -m autograder autograde ASSIGNMENT`` grades every submission of a course.

  plan.py     what to grade: submitted/<student>/<assignment>/, fingerprints, what is unchanged
  ledger.py   what was written, per student (content fingerprint + grader version): resume and skip
  run.py      grading on Dask, results to the one gradebook writer as students complete
  summary.py  the end-of-run table, failures, the class's most common mistakes (printed, CSV, JSON)
  cli.py      the command line
"""
