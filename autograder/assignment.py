"""What an assignment asks for, read from its nbgrader SOURCE notebooks.

Each source notebook gives, through nbgrader cell metadata: its answer cells (grade_id =
function name), its autograded test cells (grade_id = "test_" + function name, with points),
and its manually graded cells; its other code cells are the code the notebook provides
(``provided``: constants and helpers such as ``NUM_WORDS`` or ``limit_vocab``). The cell ids
of the source are those of the release, so a student's copy of a cell is recognised by its id.
A source notebook may declare, in its metadata ``{"sandbox": {"allows": ["keras"]}}``,
the packages its answer cells may import (notebook 05 builds Keras models); every other notebook
allows none of the deep-learning libraries. The student's copy is trusted for nothing but the
student's own code (see grading/answer_cells.py).
"""
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.errors import NotGradable
from autograder.graders import grader_path
from autograder.sandbox.wire import ALLOWABLE
from autograder.settings import SOURCE_ROOT

TEST_PREFIX = "test_"


@dataclass(frozen=True)
class Part:
    """A graded cell: ``function`` is None for a manually graded answer."""

    grade_id: str
    points: float
    function: str | None


@dataclass(frozen=True)
class NotebookSpec:
    """name; answer_ids: graded function names (= answer grade ids) in notebook order; parts;
    answer_cell_ids: {grade_id: cell id}; test_cell_ids: ids of the test cells; provided:
    ((cell id, source), ...) of the other code cells, in notebook order; foreign_tests: grade ids
    of autograded test cells no hidden grader here answers (a notebook with any is not this
    package's to grade: see autograder.chapter); sandbox_allows: the packages (of
    sandbox.wire.ALLOWABLE) its answers may import."""

    name: str
    answer_ids: tuple
    parts: tuple
    answer_cell_ids: dict = field(default_factory=dict)
    test_cell_ids: frozenset = frozenset()
    provided: tuple = ()
    foreign_tests: tuple = ()
    sandbox_allows: frozenset = frozenset()

    @property
    def graded_tests(self):
        """{test grade id: function} of the cells the hidden graders answer."""
        return {p.grade_id: p.function for p in self.parts if p.function}

    @property
    def functions(self):
        return [p.function for p in self.parts if p.function]


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer_cell(cell):
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and meta.get("solution") and not meta.get("grade")


def _allows(nb, path):
    allows = frozenset(nb.metadata.get("sandbox", {}).get("allows", ()))
    unknown = allows - set(ALLOWABLE)
    if unknown:
        raise ValueError(f"{path}: sandbox_allows may name only {sorted(ALLOWABLE)}, not {sorted(unknown)}")
    return allows


def notebook_spec(path):
    """The NotebookSpec of one nbgrader source notebook."""
    nb = nbformat.read(path, as_version=4)
    answers, parts, cell_ids, test_ids, provided, foreign = [], [], {}, set(), [], []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if is_answer_cell(cell):
            answers.append(meta["grade_id"])
            cell_ids[meta["grade_id"]] = cell.get("id")
        elif meta.get("grade") and meta.get("solution"):
            parts.append(Part(meta["grade_id"], float(meta["points"]), None))
        elif meta.get("grade") and cell.cell_type == "code":
            function = meta["grade_id"].removeprefix(TEST_PREFIX)
            if not meta["grade_id"].startswith(TEST_PREFIX) or not grader_path(function).exists():
                foreign.append(meta["grade_id"])
                continue
            parts.append(Part(meta["grade_id"], float(meta["points"]), function))
            test_ids.add(cell.get("id"))
        elif cell.cell_type == "code":
            provided.append((cell.get("id"), cell.source))
    return NotebookSpec(Path(path).stem, tuple(answers), tuple(parts), cell_ids, frozenset(test_ids),
                        tuple(provided), tuple(foreign), _allows(nb, path))


@dataclass(frozen=True)
class Assignment:
    name: str
    notebooks: dict

    @classmethod
    def load(cls, name="ch09", source_root=SOURCE_ROOT):
        folder = Path(source_root) / name
        paths = sorted(folder.glob("*.ipynb"))
        if not paths:
            raise FileNotFoundError(f"no source notebooks in {folder}")
        return cls(name, {p.stem: notebook_spec(p) for p in paths})

    def spec_for(self, filename):
        """The notebook spec for a submitted file, recognised by its file name (as nbgrader does)."""
        stem = Path(filename).stem
        if stem not in self.notebooks:
            known = ", ".join(f"{n}.ipynb" for n in self.notebooks)
            raise NotGradable(f"'{Path(filename).name}' is not a notebook of assignment {self.name} (expected one of: {known})")
        return self.notebooks[stem]
