"""Grading one notebook: the one path the CLI, nbgrader's autograde, the class autograder and the
server all take (``grade.grade_notebook``).

  recognize.py       which notebook of an assignment a submitted file is, from its cells
  answer_cells.py    the grading plan: which cells of a submission run at grading; the static checks
  answers.py         the student's functions as graders call them (sandboxed or local)
  grader_suite.py    runs the grader modules (``autograder/graders``, ``autograder/models``) on a
                     submission -> one FunctionReport per function, one result per case
  cases.py, checks.py what grader modules are made of: cases and mistakes; comparisons, CaseFailed
  lecture_backprop.py the lecture's backward pass, to name that mistake (the BPTT graders)
  feedback.py        Korean feedback from a FunctionReport
  progress.py        what a grading is doing while it runs (the server page's "에포크 k/n")
  grade.py           grade_notebook(nb, assignment, name, settings) -> result dict
"""
