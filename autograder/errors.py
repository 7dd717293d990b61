"""Errors both sides of grading raise: the sandbox, the graders, the call adapters, the CLI.

Whose fault it is decides what happens to the notebook:
  StudentError   the student's code failed inside its own session: part of the grade
  NotGradable    the file is not a readable notebook of the assignment: the student's, said plainly
  GraderFault    anything else (the sandbox, a grader, a reference, the trusted side's memory or
                 disk, a lost worker): the notebook is "not graded", never scored, and graded again
Nothing here imports the sandbox or pytest, so any module can raise or catch these.
"""


class NotGradable(Exception):
    """The file is not a readable notebook of this assignment (a one-line reason)."""


class GraderFault(Exception):
    """The grader could not grade this notebook, through no doing of the student's code.

    str(fault) is one line naming what failed (Korean, the English in brackets). Whoever grades
    records no score for the notebook (a grade it had before stays) and grades it again later.
    """


class SandboxUnavailable(GraderFault):
    """The sandbox cannot run on this machine at all: the cause and the fix, in one line."""


class StudentError(Exception):
    """The student's code failed: ``kind`` is an exception type name, "Timeout", "Crash" or "Skipped".

    message: the error text (at most 500 characters from the sandbox); where: "<답안 셀 id> N번째 줄: ..."
    lines of the answer cells in the traceback; forbidden: the code tried to import Keras/TensorFlow.
    """

    def __init__(self, kind, message="", where=(), forbidden=False):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message, self.where, self.forbidden = kind, message, list(where), forbidden


class SandboxLimit(StudentError):
    """The sandbox ended all of the student's processes at a limit they passed together (memory,
    processes): the function's remaining cases are skipped, as after a time-out."""
