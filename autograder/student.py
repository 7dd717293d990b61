"""What a grader test calls as ``student(function, *args, **kwargs)``.

SandboxStudent forwards calls to the student's code in the sandbox (grading a submission);
DirectStudent calls functions of the current process (the instructor's own solution, run by
the hidden-test cell of a source notebook). Both return plain data decoded by ``wire``.
"""
import copy

from autograder.graders.checks import CaseFailed
from autograder.sandbox import wire
from autograder.sandbox.session import StudentError

PASS_THROUGH = {"Timeout", "Crash", "Skipped", "NotImplementedError", "NameError"}


class Student:
    def call(self, function, *args, **kwargs):
        raise NotImplementedError

    def __call__(self, function, *args, **kwargs):
        return self.call(function, *args, **kwargs)

    def expect_raises(self, function, case):
        """The call must raise ``case.raises`` (an exception type name)."""
        try:
            got = self.call(function, *case.args, **case.kwargs)
        except StudentError as err:
            if err.kind == case.raises:
                return
            if err.kind in PASS_THROUGH or err.forbidden:
                raise
            raise CaseFailed(f"{case.raises}를 발생시켜야 하는데 {err.kind}가 발생했습니다: {err.message}") from None
        raise CaseFailed(f"{case.raises}를 발생시켜야 하는데 값을 반환했습니다: {str(got)[:200]}")


class SandboxStudent(Student):
    """Calls into a SandboxSession; after a time-out, the function's remaining cases are skipped."""

    def __init__(self, session):
        self.session = session
        self.timed_out = set()

    def call(self, function, *args, **kwargs):
        if function in self.timed_out:
            raise StudentError("Skipped", "앞선 사례에서 제한 시간을 넘어 이 사례는 실행하지 않았습니다.")
        try:
            return self.session.call(function, *args, **kwargs)
        except StudentError as err:
            if err.kind == "Timeout":
                self.timed_out.add(function)
            raise


class DirectStudent(Student):
    """Calls ``functions[name]`` here, on copies of the arguments."""

    def __init__(self, functions):
        self.functions = functions

    def call(self, function, *args, **kwargs):
        try:
            result = self.functions[function](*copy.deepcopy(args), **copy.deepcopy(kwargs))
        except Exception as exc:
            raise StudentError(type(exc).__name__, str(exc)) from exc
        return wire.decode(wire.encode(result))
