"""What an assignment asks for, read from its nbgrader SOURCE notebooks.

Each source notebook gives, through nbgrader cell metadata: its answer cells (grade_id =
function name), its autograded test cells (grade_id = "test_" + function name, with points),
and its manually graded cells. The student's copy is trusted for nothing but the source
of the answer cells.
"""
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.errors import NotGradable
from autograder.graders import grader_path
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
    name: str
    answer_ids: tuple
    parts: tuple

    @property
    def functions(self):
        return [p.function for p in self.parts if p.function]


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer_cell(cell):
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and meta.get("solution") and not meta.get("grade")


def _spec(path):
    nb = nbformat.read(path, as_version=4)
    answers, parts = [], []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if is_answer_cell(cell):
            answers.append(meta["grade_id"])
        elif meta.get("grade") and meta.get("solution"):
            parts.append(Part(meta["grade_id"], float(meta["points"]), None))
        elif meta.get("grade") and cell.cell_type == "code":
            function = meta["grade_id"].removeprefix(TEST_PREFIX)
            if not grader_path(function).exists():
                raise FileNotFoundError(f"no hidden grader for test cell {meta['grade_id']} in {path}")
            parts.append(Part(meta["grade_id"], float(meta["points"]), function))
    return NotebookSpec(path.stem, tuple(answers), tuple(parts))


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
        return cls(name, {p.stem: _spec(p) for p in paths})

    def spec_for(self, filename):
        """The notebook spec for a submitted file, recognised by its file name (as nbgrader does)."""
        stem = Path(filename).stem
        if stem not in self.notebooks:
            known = ", ".join(f"{n}.ipynb" for n in self.notebooks)
            raise NotGradable(f"'{Path(filename).name}' is not a notebook of assignment {self.name} (expected one of: {known})")
        return self.notebooks[stem]
