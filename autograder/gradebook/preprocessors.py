"""nbgrader's own preprocessors, re-seated for grading many notebooks with one writer.

Each class keeps nbgrader's per-cell logic and changes only where it gets the gradebook from:
  SnapshotOverwriteKernelspec, SnapshotOverwriteCells   read resources["nbgrader"]["snapshot"]
                                                        (an AssignmentSnapshot; they run on workers)
  SessionSaveAutoGrades, SessionAssignLatePenalties     write through resources["nbgrader"]["gradebook"]
                                                        (the writer's one open Gradebook)
instead of opening a Gradebook per notebook, as nbgrader does (about 100 ms a notebook); and
  SchemaOnceCheckCellMetadata                           nbgrader's metadata checks with one validator
                                                        per process (nbgrader re-checks the JSON schema
                                                        itself for every cell: ~35 ms a notebook)
"""
import functools
import json
import traceback

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    NbGraderPreprocessor,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)


class SnapshotOverwriteKernelspec(OverwriteKernelspec):
    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        kernelspec = info["snapshot"].find_notebook(info["notebook"], info["assignment"]).kernelspec
        if kernelspec is not None:
            kernelspec = json.loads(kernelspec)
        if kernelspec:
            nb.metadata["kernelspec"] = kernelspec
        return nb, resources


class SnapshotOverwriteCells(OverwriteCells):
    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id = info["notebook"], info["assignment"]
        self.gradebook = info["snapshot"]
        nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)
        if self.add_missing_cells:
            nb, resources = self.add_missing_grade_cells(nb, resources)
            nb, resources = self.add_missing_task_cells(nb, resources)
        return nb, resources


class SessionSaveAutoGrades(SaveAutoGrades):
    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id, self.student_id = info["notebook"], info["assignment"], info["student"]
        self.gradebook = info["gradebook"]
        return NbGraderPreprocessor.preprocess(self, nb, resources)


class SessionAssignLatePenalties(AssignLatePenalties):
    """nbgrader's AssignLatePenalties.preprocess, on the writer's session (same steps, same plugin)."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id, self.student_id = info["notebook"], info["assignment"], info["student"]
        self.init_plugin()
        self.gradebook = info["gradebook"]
        nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)
        submission = self.gradebook.find_submission(self.assignment_id, self.student_id)
        notebook = self.gradebook.find_submission_notebook(self.notebook_id, self.assignment_id, self.student_id)
        notebook.late_submission_penalty = None
        if submission.total_seconds_late > 0:
            penalty = self.plugin_inst.late_submission_penalty(self.student_id, notebook.score,
                                                               submission.total_seconds_late)
            if penalty is not None:
                notebook.late_submission_penalty = self._check_late_penalty(notebook, penalty)
        self.gradebook.db.commit()
        return nb, resources


class _SchemaCheckedOnce(BaseMetadataValidator):
    """``jsonschema.validate(meta, schema)`` as nbgrader calls it, without re-checking the schema each time."""

    _validators = {}  # schema version -> jsonschema validator of that schema

    def validate_cell(self, cell):
        meta = cell.metadata.get("nbgrader")
        if meta is None or meta.get("schema_version", 0) != self.schema_version:
            return super().validate_cell(cell)  # nothing to check, or nbgrader's own version error
        if self.schema_version not in self._validators:
            cls = validator_for(self.schema)
            cls.check_schema(self.schema)
            self._validators[self.schema_version] = cls(self.schema)
        error = best_match(self._validators[self.schema_version].iter_errors(meta))
        if error is not None:
            raise error


class _OnceCheckedValidator(MetadataValidator, _SchemaCheckedOnce):
    """nbgrader's MetadataValidator (its per-cell and per-notebook rules) over _SchemaCheckedOnce."""


@functools.cache
def _metadata_validator():
    return _OnceCheckedValidator()


class SchemaOnceCheckCellMetadata(CheckCellMetadata):
    """nbgrader's CheckCellMetadata.preprocess with one validator kept for the process."""

    def preprocess(self, nb, resources):
        try:
            _metadata_validator().validate_nb(nb)
        except ValidationError:
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error("%s\n%s", traceback.format_exc(), msg)
            raise ValidationError(msg) from None
        return nb, resources


# nbgrader class -> its re-seated twin
ON_WORKER = {OverwriteKernelspec: SnapshotOverwriteKernelspec, OverwriteCells: SnapshotOverwriteCells,
             CheckCellMetadata: SchemaOnceCheckCellMetadata}
ON_WRITER = {SaveAutoGrades: SessionSaveAutoGrades, AssignLatePenalties: SessionAssignLatePenalties}
