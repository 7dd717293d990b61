"""Every source notebook runs top to bottom offline on a CPU, hidden tests included, quickly.

Notebook 05 trains three models: here with CH09_QUICK_TRAINING=1 (the notebook's own switch:
500 reviews, one epoch), so the cells are run, not the full training.
"""
import shutil
import time

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.grading.answer_cells import imports_forbidden
from autograder.assignment import is_answer_cell
from autograder.settings import SOURCE_ROOT

SOURCES = sorted((SOURCE_ROOT / "ch09").glob("*.ipynb"))
LIMIT_S = 60


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_source_notebook_executes(path, tmp_path, monkeypatch):
    nb = nbformat.read(path, as_version=4)
    monkeypatch.setenv("CH09_QUICK_TRAINING", "1")  # inherited by the kernel nbclient starts
    shutil.copytree(path.parent / "data", tmp_path / "data")  # run where its files (checkpoints) may be written
    started = time.monotonic()
    NotebookClient(nb, timeout=LIMIT_S, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert time.monotonic() - started < LIMIT_S
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_answer_cells_use_only_what_their_notebook_allows(assignment, path):
    allows = assignment.notebooks[path.stem].sandbox_allows
    for cell in nbformat.read(path, as_version=4).cells:
        if is_answer_cell(cell):
            assert not imports_forbidden(cell.source, allows), cell.metadata["nbgrader"]["grade_id"]


def test_only_notebook_05_allows_keras(assignment):
    assert {name: spec.sandbox_allows for name, spec in assignment.notebooks.items() if spec.sandbox_allows} == \
        {"05_imdb_models": frozenset({"keras"})}
