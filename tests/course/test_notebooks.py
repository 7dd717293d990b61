"""Every source notebook runs top to bottom offline on a CPU, hidden tests included, quickly."""
import time

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.answer_cells import imports_forbidden
from autograder.assignment import is_answer_cell
from autograder.settings import SOURCE_ROOT

SOURCES = sorted((SOURCE_ROOT / "ch09").glob("*.ipynb"))
LIMIT_S = 60


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_source_notebook_executes(path):
    nb = nbformat.read(path, as_version=4)
    started = time.monotonic()
    NotebookClient(nb, timeout=LIMIT_S, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    assert time.monotonic() - started < LIMIT_S
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_answer_cells_use_numpy_only(path):
    for cell in nbformat.read(path, as_version=4).cells:
        if is_answer_cell(cell):
            assert not imports_forbidden(cell.source), cell.metadata["nbgrader"]["grade_id"]
