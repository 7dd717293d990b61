"""The grader modules are pytest tests: pytest itself, run on them, agrees with grader_suite case by case.

pytest collects ``grade`` from every module in autograder/graders (their pytest.ini), a plugin
here gives it the ``answers`` fixture (the instructor's solution, or typical wrong answers run in
this process) and parametrizes ``case`` as the modules' ``cases(rng)``. The outcome of each case
(passed, or the failure's kind and known-mistake key) must be what ``run_graders`` reports.
"""
from collections import defaultdict

import pytest

from autograder.grading.answer_cells import provided_code
from autograder.grading.answers import LocalAnswers
from autograder.grading.cases import SCORING, case_rng
from autograder.grading.checks import CaseFailed
from autograder.errors import StudentError
from autograder.grading.grader_suite import run_graders
from autograder.graders import GRADERS_DIR, grader_path
from samples.wrong_answers import WRONG_ANSWERS

SEED = 3  # draws the examples; the scores (what is compared) come from the SCORING stream


def _functions(solutions, sources, provided=()):
    """{function: callable} for ``sources``, run in one namespace after the notebooks' provided code (``provided``:
    sources of their definitions, e.g. NUM_WORDS) and the solution (answers call each other)."""
    namespace = {}
    for source in provided:
        exec(compile(source, "<provided>", "exec"), namespace)  # noqa: S102 - the notebooks' own code
    for function, source in [*solutions.items(), *sources.items()]:
        exec(compile(source, f"<{function}>", "exec"), namespace)  # noqa: S102 - our own sample answers
    return {function: namespace[function] for function in sources}


def _kind(exc):
    if exc is None:
        return "passed"
    if isinstance(exc, CaseFailed):
        return f"failed:{exc.mistake}"
    if isinstance(exc, StudentError):
        return f"error:{exc.kind}"
    return "internal"


class _Plugin:
    def __init__(self, answers):
        self._answers = answers
        self.outcomes = defaultdict(list)

    @pytest.fixture(name="answers")
    def answers_fixture(self):
        return self._answers

    def pytest_generate_tests(self, metafunc):
        module = metafunc.module
        metafunc.parametrize("case", module.cases(case_rng(module.FUNCTION, SCORING)))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if call.when == "call":
            self.outcomes[item.module.FUNCTION].append(_kind(call.excinfo.value if call.excinfo else None))
        return report


def _under_pytest(functions, answers):
    plugin = _Plugin(answers)
    code = pytest.main([*(str(grader_path(f)) for f in functions), "-c", str(GRADERS_DIR / "pytest.ini"),
                        "--rootdir", str(GRADERS_DIR), "--import-mode=importlib", "-q", "-p", "no:cacheprovider"],
                       plugins=[plugin])
    assert code in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), code
    return dict(plugin.outcomes)


def _by_suite(functions, answers):
    reports = run_graders(functions, answers, SEED)
    return {f: [_kind(r.failure or r.error) for r in reports[f].cases] for f in functions}


def _answer_sets(solutions):
    """The solution, then sets of wrong answers with at most one per function."""
    sets = [dict(solutions)]
    for key, wrong in WRONG_ANSWERS.items():
        target = next((s for s in sets[1:] if wrong.function not in s), None)
        if target is None:
            target = {}
            sets.append(target)
        target[wrong.function] = wrong.source
    return sets


def test_pytest_and_grader_suite_agree_on_every_case(solutions, assignment):
    graded = [f for spec in assignment.notebooks.values() for f in spec.functions]
    solution = {f: solutions[f] for f in graded}
    sets = _answer_sets(solution)
    provided = [code for spec in assignment.notebooks.values() for _, code in provided_code(spec)[0]]
    assert len(sets) >= 2
    for sources in sets:
        functions = sorted(sources)
        answers = LocalAnswers(_functions(solution, sources, provided))
        by_pytest = _under_pytest(functions, answers)
        assert by_pytest == _by_suite(functions, answers)
        if sources is sets[0]:
            assert all(k == "passed" for ks in by_pytest.values() for k in ks), by_pytest
        else:
            assert any(k.startswith("failed:") for ks in by_pytest.values() for k in ks), by_pytest
