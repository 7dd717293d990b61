"""Errors both sides of grading raise: the sandbox, the graders, the call adapters, the CLI.

Nothing here imports the sandbox or pytest, so any module can raise or catch these.
"""


class NotGradable(Exception):
    """The file is not a readable notebook of this assignment (a one-line reason)."""


class StudentError(Exception):
    """The student's code failed: ``kind`` is an exception type name, "Timeout", "Crash" or "Skipped".

    message: the error text (at most 500 characters from the sandbox); where: "<답안 셀 id> N번째 줄: ..."
    lines of the answer cells in the traceback; forbidden: the code tried to import Keras/TensorFlow.
    """

    def __init__(self, kind, message="", where=(), forbidden=False):
        super().__init__(f"{kind}: {message}")
        self.kind, self.message, self.where, self.forbidden = kind, message, list(where), forbidden
