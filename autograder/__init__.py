"""Hidden graders and the one grading path for the chapter 9 exercises (never shipped to students).

  grading/                 grading one notebook: grade_notebook(nb, assignment, name, settings) -> result
  graders/                 one pytest module per exercise function: cases, known mistakes, ``grade``
  models/                  model grading (notebook 05): a student's Keras config checked, built, trained
  sandbox/                 runs the answer cells in an isolated process and calls their functions
  gradebook/               nbgrader's course model, written as ``nbgrader autograde`` writes it
  workers/, batch/         grading on Dask; the class autograder (``python -m autograder autograde``)
  server/                  the grading server (``python -m autograder serve``)
  assignment.py            what an assignment asks for, read from its nbgrader source notebooks
  settings.py              GradingSettings (the one place for defaults), REPO_ROOT, SOURCE_ROOT
  errors.py                whose fault: StudentError, NotGradable, GraderFault, SandboxUnavailable
  cli.py, doctor.py        ``python -m autograder grade PATH`` -> JSON; ``python -m autograder check``
  chapter.py, course_config.py, nbgrader_preprocessor.py, notebook_run.py
                           the chapter in an nbgrader course (``add_chapter``), nbgrader left as it is
                           for the rest
  notebook.py              ``check``: the hidden-test cell of a source notebook
The Keras truth is the top-level ``reference`` package.
"""
