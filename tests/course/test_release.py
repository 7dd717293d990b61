"""The committed student release leaks no solution, hidden test or grader reference."""
import re

import nbformat
import pytest

from autograder.settings import SOURCE_ROOT
from helpers import RELEASE

SOLUTION_BODY = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
LEAK = re.compile(r"BEGIN SOLUTION|END SOLUTION|HIDDEN TESTS|autograder|from autograder|check\(|모범 답안|채점 기준|조교용")


def _release_notebooks():
    return sorted(RELEASE.glob("*.ipynb"))


def test_release_has_every_source_notebook(assignment):
    assert {p.stem for p in _release_notebooks()} == set(assignment.notebooks)


@pytest.mark.parametrize("path", _release_notebooks(), ids=lambda p: p.name)
def test_no_solution_or_hidden_test_text(path):
    text = path.read_text()
    assert not LEAK.search(text), LEAK.search(text).group(0)


def _solution_lines():
    """Non-trivial lines between BEGIN/END SOLUTION in the source answer cells."""
    lines = set()
    for path in (SOURCE_ROOT / "ch09").glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            for body in SOLUTION_BODY.findall(cell.source):
                lines |= {ln.strip() for ln in body.splitlines() if len(ln.strip()) > 25}
    return lines


def test_no_solution_line_survives():
    assert _solution_lines(), "the source notebooks should contain solutions"
    release_lines = {ln.strip() for p in _release_notebooks() for c in nbformat.read(p, as_version=4).cells
                     for ln in c.source.splitlines()}
    assert not (_solution_lines() & release_lines)


def test_rubrics_are_in_the_source_only():
    """Each written answer's TA rubric (partial-credit levels) sits in its model answer, which the release replaces."""
    written = [c for p in (SOURCE_ROOT / "ch09").glob("*.ipynb") for c in nbformat.read(p, as_version=4).cells
               if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")]
    assert written and all("채점 기준 (조교용" in c.source and "0점" in c.source and "1점" in c.source for c in written)
