"""Hidden graders: one module per exercise function, named after it (``pad_sequences.py``, ...).

A module names its ``FUNCTION``, builds its ``cases(rng)`` (fixed edge cases plus seeded random
ones, see ``autograder.grading.cases``), lists the known ``MISTAKES`` it can recognise, may give
``HINTS`` ({error kind: Korean hint}), and has one test, ``grade(case, answers)``, that asks
the student's ``answers`` for the function's output on a case and checks it against
``reference`` (real Keras) with ``autograder.grading.checks``. pytest collects ``grade`` through this
folder's pytest.ini; grading a notebook runs the modules with ``autograder.grading.grader_suite``, as
pytest would. Importing this package loads neither pytest nor any grader module.
"""
from pathlib import Path

GRADERS_DIR = Path(__file__).resolve().parent


def grader_path(function):
    """The grader module of an exercise function (it may not exist)."""
    return GRADERS_DIR / f"{function}.py"
