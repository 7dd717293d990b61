"""Runs the grader modules with pytest and collects one result per case.

``run_graders(functions, answers, seed)`` runs ``graders/<function>.py`` for each function in
this process, with ``answers`` (a callable ``answers(function, *args, **kwargs)``) as the
fixture the graders call, and returns a FunctionReport per function: the case results and
the module's ``HINTS``. pytest prints nothing: the caller turns reports into scores and feedback.
"""
from dataclasses import dataclass, field

import pytest

from autograder.cases import case_rng
from autograder.checks import CaseFailed
from autograder.errors import StudentError
from autograder.graders import GRADERS_DIR, grader_path
from reference import configure_backend


@dataclass
class CaseResult:
    """The outcome of one case: ``mistake`` is the known-mistake key the output matched,
    ``error`` the StudentError when the code itself failed."""

    function: str
    case: object
    passed: bool
    message: str = ""
    mistake: str | None = None
    error: StudentError | None = None


@dataclass
class FunctionReport:
    """All cases of one function's grader; ``hints``: {error kind: Korean hint} from its module."""

    function: str
    hints: dict
    cases: list = field(default_factory=list)


class _Collector:
    def __init__(self, answers, seed):
        self._answers, self._seed = answers, seed
        self.reports = {}

    @pytest.fixture(name="answers")
    def answers_fixture(self):
        return self._answers

    def pytest_generate_tests(self, metafunc):
        if "case" in metafunc.fixturenames:
            module = metafunc.module
            self.reports[module.FUNCTION] = FunctionReport(module.FUNCTION, getattr(module, "HINTS", {}))
            cases = module.cases(case_rng(module.FUNCTION, self._seed))
            metafunc.parametrize("case", cases, ids=[f"case{i}" for i in range(len(cases))])

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if call.when == "call" or (report.failed and call.when == "setup"):
            result = self._result(item, call, report)
            self.reports[result.function].cases.append(result)
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


def run_graders(functions, answers, seed=0):
    """{function: FunctionReport} for every case of every function's grader module, in order."""
    configure_backend()
    collector = _Collector(answers, seed)
    paths = [str(grader_path(f)) for f in functions]
    args = [*paths, "-p", "no:terminal", "-p", "no:cacheprovider", "-p", "no:warnings",
            "-p", "no:stepwise", "-p", "no:unraisableexception", "-p", "no:threadexception",
            "--import-mode=importlib", "--rootdir", str(GRADERS_DIR),
            "-c", str(GRADERS_DIR / "pytest.ini"), "--capture=no"]
    code = pytest.main(args, plugins=[collector])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"grader modules failed to run (pytest exit code {int(code)}): {functions}")
    return {f: collector.reports[f] for f in functions}
