"""nbgrader's own preprocessors, re-seated for grading many notebooks with one writer.

Each class keeps nbgrader's per-cell logic and changes only where it gets the gradebook from:
  SnapshotOverwriteKernelspec, SnapshotOverwriteCells   read resources["nbgrader"]["snapshot"]
                                                        (an AssignmentSnapshot; they run on workers)
  SessionSaveAutoGrades, SessionAssignLatePenalties     write through resources["nbgrader"]["gradebook"]
                                                        (the writer's one open Gradebook)
instead of opening a Gradebook per notebook, as nbgrader does (about 100 ms a notebook).
"""
import json

from nbgrader.preprocessors import (
    AssignLatePenalties,
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


# nbgrader class -> its re-seated twin
ON_WORKER = {OverwriteKernelspec: SnapshotOverwriteKernelspec, OverwriteCells: SnapshotOverwriteCells}
ON_WRITER = {SaveAutoGrades: SessionSaveAutoGrades, AssignLatePenalties: SessionAssignLatePenalties}
