"""nbgrader preprocessor that puts ``nbgrader autograde`` on the sandboxed grading path.

Configured in nbgrader_config.py in place of nbgrader's ``Execute``: the submitted notebook
(already sanitized by nbgrader: outputs cleared, test cells restored from the gradebook) is
graded by ``grade_notebook``; nothing of it runs in nbgrader's kernel. Each autograded test
cell then gets two outputs that nbgrader's own SaveAutoGrades reads: the Korean feedback
(stdout) and the score as the cell's result (nbgrader's partial-credit mechanism). No
stderr output is ever written, so TensorFlow/Keras warnings cannot zero a correct answer.
"""
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float, Int, Unicode

from autograder.assignment import Assignment, nbgrader_meta
from autograder.grade import GradingConfig, grade_notebook


class SandboxedAutograde(NbGraderPreprocessor):
    """Grades the notebook with the hidden graders; writes feedback and partial credit."""

    timeout = Float(GradingConfig.timeout, help="Seconds allowed per answer cell and per function call").tag(config=True)
    memory_mb = Int(GradingConfig.memory_mb, help="Address-space limit of the student sandbox (MiB)").tag(config=True)
    isolation = Unicode(GradingConfig.isolation, help='"bwrap", "process" or "auto"').tag(config=True)
    seed = Int(GradingConfig.seed, help="Seed of the graders' random cases").tag(config=True)

    def _source_root(self):
        coursedir = CourseDirectory(parent=self)
        return Path(coursedir.root) / coursedir.source_directory

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        assignment = Assignment.load(info["assignment"], self._source_root())
        config = GradingConfig(self.timeout, self.memory_mb, self.isolation, self.seed)
        result = grade_notebook(nb, assignment, info["notebook"], config)
        by_id = {p["grade_id"]: p for p in result["parts"] if p["score"] is not None}
        for cell in nb.cells:
            part = by_id.get(nbgrader_meta(cell).get("grade_id"))
            if part is None or cell.cell_type != "code":
                continue
            cell.execution_count = 1
            cell.outputs = [
                nbformat.v4.new_output("stream", name="stdout", text=part["feedback"] + "\n"),
                nbformat.v4.new_output("execute_result", data={"text/plain": repr(part["score"])}, execution_count=1),
            ]
        self.log.info("Graded %s: %s / %s", info["notebook"], result["score"], result["max_score"])
        return nb, resources
