"""Notebook 05 states what its grader does: the measured pass lines, its own points, the shipped corpus it reads."""
import re

import nbformat

import reference
from autograder.grading.answer_cells import provided_code
from autograder.settings import SOURCE_ROOT
from helpers import RELEASE
from reference.pass_lines import MAX_EPOCHS, load_pass_lines

NOTEBOOK = "05_imdb_models"


def _cells(folder=RELEASE):
    return nbformat.read(folder / f"{NOTEBOOK}.ipynb", as_version=4).cells


def test_pass_lines_in_the_notebook_are_the_measured_ones():
    text = "\n".join(c.source for c in _cells())
    entry = load_pass_lines()[f"{reference.grading_data('synthetic').key}@{MAX_EPOCHS}"]
    lines = {name: row["pass_line"] for name, row in entry["models"].items()}
    stated = re.search(r"SimpleRNN (\d\.\d\d),\s*LSTM (\d\.\d\d), 쌓은 LSTM (\d\.\d\d)", text)
    assert stated and tuple(map(float, stated.groups())) == (lines["simple_rnn"], lines["lstm"], lines["stacked_lstm"])
    assert f"최대 {MAX_EPOCHS}에포크" in text and f"리뷰 {len(reference.grading_data('synthetic').y_test):,}개" in text


def test_points_are_reported_apart_and_add_up(assignment):
    spec = assignment.notebooks[NOTEBOOK]
    assert sum(p.points for p in spec.parts) == 40
    assert [p.function for p in spec.parts if p.function is None] == [None]  # one written answer, graded by hand
    assert "점수는 따로 기록합니다" in _cells()[0].source


def test_the_notebooks_reader_gives_the_reference_corpus(assignment):
    """The notebook's own load_synthetic_imdb (students have no ``reference``) reads what reference wrote."""
    namespace = {}
    for _, code in provided_code(assignment.notebooks[NOTEBOOK])[0]:
        exec(code, namespace)  # noqa: S102 - the notebook's provided code
    (x, y), (xt, yt) = namespace["load_synthetic_imdb"](str(SOURCE_ROOT / "ch09" / "data" / "imdb_synthetic.npz"))
    (wx, wy), (wxt, wyt) = reference.read_corpus(SOURCE_ROOT / "ch09" / "data" / "imdb_synthetic.npz")
    assert [list(r) for r in x] == [list(r) for r in wx] and [list(r) for r in xt] == [list(r) for r in wxt]
    assert (y == wy).all() and (yt == wyt).all()
