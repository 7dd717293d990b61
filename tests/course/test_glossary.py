"""One term for each idea: docs/glossary.md is the source; notebooks and the graders' Korean
feedback use its terms (the quiz bank is checked by its own owners)."""
import ast
import re

import nbformat
import pytest

from autograder.settings import REPO_ROOT, SOURCE_ROOT
from helpers import avoided_patterns, avoided_terms

HANGUL = re.compile(r"[가-힣]")


def _patterns():
    return avoided_patterns()


def test_glossary_lists_the_terms_of_issue_9():
    assert {"Keras", "답 칸", "기울기", "편향"} <= set(avoided_terms())


@pytest.mark.parametrize("path", sorted((SOURCE_ROOT / "ch09").glob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_use_the_glossary_terms(path):
    found = [(c.get("id"), m.group(0)) for c in nbformat.read(path, as_version=4).cells
             for p in _patterns() for m in re.finditer(p, c.source)]
    assert not found


def _korean_strings(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and HANGUL.search(n.value)]


FEEDBACK_MODULES = sorted((REPO_ROOT / "autograder" / "graders").glob("*.py")) + \
    sorted((REPO_ROOT / "autograder" / "models").glob("*.py")) + [
    REPO_ROOT / "autograder" / "grading" / name for name in ("feedback.py", "answer_cells.py", "checks.py", "lecture_backprop.py")]


@pytest.mark.parametrize("path", FEEDBACK_MODULES, ids=lambda p: p.name)
def test_grader_feedback_uses_the_glossary_terms(path):
    found = [(s[:60], p) for s in _korean_strings(path) for p in _patterns() if re.search(p, s)]
    assert not found
