"""Every notebook tells students what grading runs and how to submit, and lets them check each
graded rule before submitting: public tests (numpy only) that solutions pass, stubs and the
known wrong answers fail, and a final self-check cell that runs them all."""
import contextlib
import io

import nbformat
import pytest

from autograder.grading.answer_cells import imports_forbidden, provided_code
from autograder.assignment import is_answer_cell, nbgrader_meta
from helpers import RELEASE
from samples.wrong_answers import WRONG_ANSWERS

NOTEBOOKS = sorted(p.stem for p in RELEASE.glob("*.ipynb"))


def public_results(assignment, notebook, answers):
    """{(function, rule): passed} of the release notebook's public tests, with ``answers`` in its answer cells."""
    spec = assignment.notebooks[notebook]
    namespace = {"__name__": "__main__"}
    for _, code in provided_code(spec)[0]:
        exec(code, namespace)
    for cell in nbformat.read(RELEASE / f"{notebook}.ipynb", as_version=4).cells:
        meta = nbgrader_meta(cell)
        if is_answer_cell(cell):
            exec(answers.get(meta["grade_id"], cell.source), namespace)
        elif meta.get("grade") and cell.cell_type == "code":
            assert not imports_forbidden(cell.source), meta["grade_id"]
            with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(AssertionError):
                exec(cell.source, namespace)
    results = {}
    for function, tests in namespace["PUBLIC_TESTS"].items():
        for rule, test in tests.items():
            try:
                test()
                results[function, rule] = True
            except Exception:
                results[function, rule] = False
    return results


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_solutions_pass_and_stubs_fail_every_public_test(assignment, solutions, notebook):
    passed = public_results(assignment, notebook, solutions)
    spec = assignment.notebooks[notebook]
    for function in spec.functions:
        rules = [r for (f, r) in passed if f == function]
        assert len(rules) >= 2, f"{function}: {rules}"
    assert all(passed.values()), [k for k, ok in passed.items() if not ok]
    assert not any(public_results(assignment, notebook, {}).values())


@pytest.mark.parametrize("key", sorted(WRONG_ANSWERS))
def test_each_known_wrong_answer_fails_a_public_test(assignment, solutions, key):
    wrong = WRONG_ANSWERS[key]
    notebook = next(n for n, spec in assignment.notebooks.items() if wrong.function in spec.functions)
    passed = public_results(assignment, notebook, {**solutions, wrong.function: wrong.source})
    failed = [rule for (f, rule), ok in passed.items() if f == wrong.function and not ok]
    assert failed, f"{key}: no public test of {wrong.function} fails"


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_ends_with_a_self_check_of_every_graded_function(assignment, notebook):
    cells = nbformat.read(RELEASE / f"{notebook}.ipynb", as_version=4).cells
    last = cells[-1].source
    assert cells[-1].cell_type == "code" and last.startswith("run_public_tests(") and "stop=False" in last
    assert all(f'"{f}"' in last for f in assignment.notebooks[notebook].functions)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_top_of_notebook_states_goals_grading_rule_and_submission(notebook):
    top = "\n".join(c.source for c in nbformat.read(RELEASE / f"{notebook}.ipynb", as_version=4).cells[:2])
    for text in ("학습 목표", "교재 범위", "예상 시간", "환경", "케라스 3", "numpy", "채점 때 실행되는 코드",
                 "실행되지 않음", "원본", "Restart & Run All", "Validate", f"`{notebook}.ipynb`", "답안 셀"):
        assert text in top, text
