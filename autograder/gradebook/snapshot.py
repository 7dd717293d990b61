"""What nbgrader's source-cell checks read from the gradebook, copied once per run.

``OverwriteKernelspec`` and ``OverwriteCells`` ask the gradebook for a notebook's kernelspec,
its source cells (type, locked, checksum, source) and its graded cells' max scores. A
snapshot answers the same calls (``find_notebook``, ``find_source_cell``, ``find_graded_cell``)
from plain data, so those checks run on Dask workers, which never open the gradebook.
"""
from dataclasses import dataclass, field

from nbgrader.api import MissingEntry


@dataclass(frozen=True)
class SourceCell:
    name: str
    cell_type: str
    locked: bool
    checksum: str
    source: str


@dataclass(frozen=True)
class GradedCell:
    name: str
    max_score: float


@dataclass(frozen=True)
class NotebookRecord:
    """One source notebook as the gradebook holds it (cells in notebook order)."""

    name: str
    kernelspec: str | None
    source_cells: list = field(default_factory=list)
    grade_cells: list = field(default_factory=list)
    solution_cells: list = field(default_factory=list)
    task_cells: list = field(default_factory=list)


class AssignmentSnapshot:
    """The gradebook's view of one assignment's notebooks: {notebook name: NotebookRecord}."""

    def __init__(self, assignment, notebooks):
        self.assignment = assignment
        self.notebooks = notebooks

    @classmethod
    def read(cls, gradebook, assignment):
        """Copy from an open nbgrader Gradebook (MissingEntry when the assignment is unknown)."""
        records = {}
        for nb in gradebook.find_assignment(assignment).notebooks:
            records[nb.name] = NotebookRecord(
                nb.name, nb.kernelspec,
                [SourceCell(c.name, c.cell_type, bool(c.locked), c.checksum, c.source) for c in nb.source_cells],
                [GradedCell(c.name, c.max_score) for c in nb.grade_cells],
                [GradedCell(c.name, None) for c in nb.solution_cells],
                [GradedCell(c.name, c.max_score) for c in nb.task_cells])
        return cls(assignment, records)

    def find_notebook(self, notebook, assignment):
        self._check(assignment)
        if notebook not in self.notebooks:
            raise MissingEntry()
        return self.notebooks[notebook]

    def find_source_cell(self, name, notebook, assignment):
        return self._named(self.find_notebook(notebook, assignment).source_cells, name)

    def find_graded_cell(self, name, notebook, assignment):
        record = self.find_notebook(notebook, assignment)
        return self._named(record.grade_cells + record.task_cells, name)

    def _check(self, assignment):
        if assignment != self.assignment:
            raise MissingEntry()

    @staticmethod
    def _named(cells, name):
        for cell in cells:
            if cell.name == name:
                return cell
        raise MissingEntry()
