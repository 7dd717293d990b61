"""Runs the grader modules with pytest and collects one result per case.

``run_graders(functions, answers, seed)`` runs ``graders/<function>.py`` for each function in
this process, with ``answers`` (a callable ``answers(function, *args, **kwargs)``) as the
fixture the graders call, and returns a FunctionReport per function: the case results and
the module's ``HINTS``. pytest prints nothing: the caller turns reports into scores and feedback.
"""
from dataclasses import dataclass, field

import pytest

from autograder.cases import case_rng, same_case
from autograder.checks import CaseFailed
from autograder.errors import StudentError
from autograder.graders import GRADERS_DIR, grader_path
from reference import configure_backend


# pytest plugins the graders do not use: output, caches, and per-run costs (gc passes, log and
# assertion set-up) that would otherwise be paid for every notebook.
UNUSED_PLUGINS = ("terminal", "cacheprovider", "warnings", "stepwise", "unraisableexception", "threadexception",
                  "doctest", "junitxml", "pastebin", "legacypath", "python_path", "logging", "faulthandler",
                  "tmpdir", "monkeypatch", "recwarn", "setuponly", "setupplan", "debugging", "skipping",
                  "assertion", "timeout")


@dataclass
class CaseResult:
    """The outcome of one case.

    failure: the CaseFailed when the output was wrong; error: the StudentError when the code
    itself failed; internal: a fault of the grader (text); public: the case is the same for
    every seed (a fixed example), so its expected value may be shown.
    """

    function: str
    case: object
    passed: bool
    failure: CaseFailed | None = None
    error: StudentError | None = None
    internal: str | None = None
    public: bool = True

    @property
    def mistake(self):
        """The known-mistake key the output matched, or None."""
        return self.failure.mistake if self.failure is not None else None


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
        self._public = {}  # id(case) -> the case does not depend on the seed

    @pytest.fixture(name="answers")
    def answers_fixture(self):
        return self._answers

    def pytest_generate_tests(self, metafunc):
        if "case" in metafunc.fixturenames:
            module = metafunc.module
            self.reports[module.FUNCTION] = FunctionReport(module.FUNCTION, getattr(module, "HINTS", {}))
            cases = module.cases(case_rng(module.FUNCTION, self._seed))
            others = module.cases(case_rng(module.FUNCTION, self._seed + 1))
            self._public.update({id(c): same_case(c, o) for c, o in zip(cases, others)})
            metafunc.parametrize("case", cases, ids=[f"case{i}" for i in range(len(cases))])

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if call.when == "call" or (report.failed and call.when == "setup"):
            result = self._result(item, call, report)
            result.public = self._public.get(id(result.case), False)
            self.reports[result.function].cases.append(result)
        return report

    @staticmethod
    def _result(item, call, report):
        function, case = item.module.FUNCTION, item.callspec.params["case"]
        if report.passed:
            return CaseResult(function, case, True)
        exc = call.excinfo.value if call.excinfo else None
        if isinstance(exc, CaseFailed):
            return CaseResult(function, case, False, failure=exc)
        if isinstance(exc, StudentError):
            return CaseResult(function, case, False, error=exc)
        # a fault of the grader, not of the student: recorded plainly, never hidden
        return CaseResult(function, case, False,
                          internal=f"채점기 내부 오류 ({type(exc).__name__}: {exc}); 조교에게 알려 주세요.")


def run_graders(functions, answers, seed=0):
    """{function: FunctionReport} for every case of every function's grader module, in order."""
    configure_backend()
    collector = _Collector(answers, seed)
    paths = [str(grader_path(f)) for f in functions]
    args = [*paths, "--import-mode=importlib", "--rootdir", str(GRADERS_DIR), "-c", str(GRADERS_DIR / "pytest.ini"),
            "--capture=no"]
    for plugin in UNUSED_PLUGINS:
        args += ["-p", f"no:{plugin}"]
    code = pytest.main(args, plugins=[collector])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"grader modules failed to run (pytest exit code {int(code)}): {functions}")
    return {f: collector.reports[f] for f in functions}
