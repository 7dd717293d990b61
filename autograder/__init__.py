"""Hidden graders for the chapter 9 exercises (never shipped to students).

Parts:
  reference/  the Keras truth (layers, models and utilities run at grading time)
  sandbox/    runs a student's answer cells in an isolated process
  graders/    one pytest module per exercise function: cases, checks, known mistakes
  grade.py    grade(notebook, assignment) -> result, used by the CLI, nbgrader and the demo
"""
