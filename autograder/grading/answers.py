"""The student's answers as the graders call them: ``answers(function, *args, **kwargs)``.

SandboxAnswers forwards calls to the answer cells running in the sandbox (grading a
submission); LocalAnswers calls functions of this process (the instructor's own solution,
run by the hidden-test cell of a source notebook). Both return plain data decoded by
``sandbox.wire`` and raise ``StudentError`` when the student's code fails.
"""
import copy

from autograder.errors import SandboxLimit, StudentError
from autograder.sandbox import wire


class SandboxAnswers:
    """Calls into a SandboxSession; after a time-out or a sandbox limit, the function's remaining
    cases are skipped.

    training_plan: how model graders train what the answers build (autograder.models.trained)."""

    def __init__(self, session, training_plan=None):
        self.session = session
        self.training_plan = training_plan
        self.stopped = {}  # function -> why its remaining cases are skipped

    def __call__(self, function, *args, **kwargs):
        if function in self.stopped:
            raise StudentError("Skipped", f"앞선 사례에서 {self.stopped[function]} 이 사례는 실행하지 않았습니다.")
        try:
            return self.session.call(function, *args, **kwargs)
        except StudentError as err:
            if err.kind == "Timeout":
                self.stopped[function] = "제한 시간을 넘어"
            elif isinstance(err, SandboxLimit):
                self.stopped[function] = "샌드박스 한도를 넘어"
            raise


class LocalAnswers:
    """Calls ``functions[name]`` here, on copies of the arguments."""

    def __init__(self, functions):
        self.functions = functions

    def __call__(self, function, *args, **kwargs):
        try:
            result = self.functions[function](*copy.deepcopy(args), **copy.deepcopy(kwargs))
        except Exception as exc:
            raise StudentError(type(exc).__name__, str(exc)) from exc
        return wire.decode(wire.encode(result))
