"""Runs grader modules with pytest and collects one result per case.

``run_graders(functions, student, seed)`` runs ``test_<function>.py`` for each function in
this process, with ``student`` (a callable ``student(function, *args, **kwargs)``) as the
fixture the tests call, and returns [CaseResult]. pytest prints nothing: the caller turns
the results into scores and feedback.
"""
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.graders.cases import case_rng
from autograder.precision import configure_precision
from autograder.graders.checks import CaseFailed
from autograder.sandbox.session import StudentError

GRADERS_DIR = Path(__file__).resolve().parent


@dataclass
class CaseResult:
    """The outcome of one case: ``error`` holds the StudentError when the code itself failed."""

    function: str
    case: object
    passed: bool
    message: str = ""
    mistake: str | None = None
    error: StudentError | None = None


def grader_path(function):
    return GRADERS_DIR / f"test_{function}.py"


class _Collector:
    def __init__(self, student, seed):
        self._student, self._seed = student, seed
        self.results = []

    @pytest.fixture(name="student")
    def student_fixture(self):
        return self._student

    def pytest_generate_tests(self, metafunc):
        if "case" in metafunc.fixturenames:
            module = metafunc.module
            cases = module.cases(case_rng(module.FUNCTION, self._seed))
            metafunc.parametrize("case", cases, ids=[f"case{i}" for i in range(len(cases))])

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if call.when == "call" or (report.failed and call.when == "setup"):
            self.results.append(self._result(item, call, report))
        return report

    @staticmethod
    def _result(item, call, report):
        function, case = item.module.FUNCTION, item.callspec.params["case"]
        if report.passed:
            return CaseResult(function, case, True)
        exc = call.excinfo.value if call.excinfo else None
        if isinstance(exc, CaseFailed):
            return CaseResult(function, case, False, exc.message, exc.mistake)
        if isinstance(exc, StudentError):
            return CaseResult(function, case, False, "", error=exc)
        # a fault of the grader, not of the student: recorded plainly, never hidden
        return CaseResult(function, case, False, f"채점기 내부 오류 ({type(exc).__name__}: {exc}); 조교에게 알려 주세요.")


def run_graders(functions, student, seed=0):
    """[CaseResult] for every case of every function's grader module, in order."""
    configure_precision()
    collector = _Collector(student, seed)
    paths = [str(grader_path(f)) for f in functions]
    args = [*paths, "-p", "no:terminal", "-p", "no:cacheprovider", "-p", "no:warnings",
            "-p", "no:stepwise", "--import-mode=importlib", "--rootdir", str(GRADERS_DIR),
            "-c", str(GRADERS_DIR / "pytest.ini"), "--capture=no"]
    code = pytest.main(args, plugins=[collector])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"grader modules failed to run (pytest exit code {int(code)}): {functions}")
    return collector.results
