"""Hidden graders and the one grading path for the chapter 9 exercises (never shipped to students).

  grade.py                 grade_notebook(nb, assignment, name, settings) -> result dict (the one path)
  assignment.py            what an assignment asks for, read from its nbgrader source notebooks
  answer_cells.py          which cells of a submission run at grading; the static Keras check
  sandbox/                 runs the answer cells in an isolated process and calls their functions
  answers.py               the student's functions as graders call them (sandboxed or local)
  graders/                 one pytest module per exercise function: cases, known mistakes, ``grade``
  cases.py, checks.py      what grader modules are made of: cases/mistakes; comparisons, CaseFailed
  grader_suite.py          runs the grader modules on a submission -> FunctionReport per function
  feedback.py              Korean feedback text from a FunctionReport
  settings.py              GradingSettings (the one place for defaults), REPO_ROOT, SOURCE_ROOT
  errors.py                StudentError, NotGradable
  cli.py                   ``python -m autograder grade PATH`` -> JSON
  nbgrader_preprocessor.py ``SandboxedAutograde``: nbgrader autograde on the same path
  notebook.py              ``check``: the hidden-test cell of a source notebook
The Keras truth is the top-level ``reference`` package.
"""
