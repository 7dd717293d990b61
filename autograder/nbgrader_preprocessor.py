"""nbgrader preprocessor that puts ``nbgrader autograde`` on the sandboxed grading path, for the chapter only.

Configured (autograder.course_config.add_chapter) in place of nbgrader's ``Execute``. What it
does depends on the notebook (autograder.chapter.scope_of):
- a notebook of the chapter: the submitted notebook (already sanitized by nbgrader: outputs
  cleared, test cells restored from the gradebook) is graded by ``grade_notebook``; nothing of it
  runs in nbgrader's kernel. Each autograded test cell then gets two outputs that nbgrader's own
  SaveAutoGrades reads: the Korean feedback (stdout) and the score as the cell's result (nbgrader's
  partial-credit mechanism). No stderr output is ever written, so TensorFlow/Keras warnings cannot
  zero a correct answer;
- a notebook of an assignment opted into the sandbox: its cells run there as a kernel would run
  them (autograder.notebook_run), each within ``c.Execute.timeout``; nbgrader scores the outputs;
- any other notebook: nbgrader's own ``Execute``, configured as ``c.Execute``, exactly as without
  this package.

When the grader cannot grade (the sandbox cannot run here, a grader fault, a chapter notebook
that differs from the package's) the preprocessor raises: nbgrader then writes no grade for the
notebook (a grade it had stays), removes the submission's autograded folder and reports the
submission as failed, as for any error.

Its traits (``c.SandboxedAutograde.timeout`` ...) are made from ``GradingSettings``.
"""
import base64
import dataclasses
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Enum, Float, Int, Unicode
from traitlets.config import Configurable

from autograder.assignment import Assignment, nbgrader_meta
from autograder.chapter import SANDBOX, ChapterMismatch, scope_of
from autograder.errors import GraderFault
from autograder.grading.grade import grade_notebook
from autograder.notebook_run import run_notebook
from autograder.sandbox.check import require_sandbox
from autograder.settings import GradingSettings, setting_fields

_TRAITS = {float: Float, int: Int, str: Unicode}
MODEL_CACHE = Path(".autograder") / "model-cache"  # in the course folder


def _setting_trait(kind, default, help, choices):
    trait = Enum(choices, default, help=help) if choices else _TRAITS[kind](default, help=help)
    return trait.tag(config=True)


# A configurable whose traits are the grading settings, one per GradingSettings field.
GradingSettingsTraits = type("GradingSettingsTraits", (Configurable,), {
    name: _setting_trait(kind, default, help, choices) for name, kind, default, help, choices in setting_fields()})


class SandboxedAutograde(NbGraderPreprocessor, GradingSettingsTraits):
    """Grades the notebook with the hidden graders; writes feedback and partial credit."""

    def _source_root(self):
        coursedir = CourseDirectory(parent=self)
        return Path(coursedir.root) / coursedir.source_directory

    def settings(self):
        """The GradingSettings of the traits; model_cache, when unset, is the course's own
        ``.autograder/model-cache`` (a class run trains each distinct model once)."""
        settings = GradingSettings(**{name: getattr(self, name) for name, *_ in setting_fields()})
        if not settings.model_cache:
            cache = Path(CourseDirectory(parent=self).root) / MODEL_CACHE
            settings = dataclasses.replace(settings, model_cache=str(cache))
        return settings

    def _nbgrader_execute(self):
        return Execute(parent=self)

    def preprocess(self, nb, resources):
        """Grade; the result also goes to resources["nbgrader"]["result"]. A batch passes the
        assignment spec in resources["nbgrader"]["assignment_spec"] (workers have no source folder);
        the server passes per-submission settings (seed, expected_values) in ...["settings"]."""
        info = resources["nbgrader"]
        given = info.get("assignment_spec")
        try:
            scope = scope_of(self.config, info["assignment"], info["notebook"], self._source_root(),
                             given.notebooks.get(info["notebook"]) if given else None)
        except ChapterMismatch as exc:
            self.log.error("채점하지 못했습니다 — 점수 없음 (not graded) %s/%s: %s", info.get("student"), info["notebook"], exc)
            raise
        if scope is None:  # not this package's: nbgrader's own Execute, as without it (--no-execute included)
            return self._nbgrader_execute()(nb, resources)
        settings = dataclasses.replace(self.settings(), **info.get("settings", {}))
        try:
            require_sandbox(settings.isolation, settings.memory_mb, settings.scratch_mb, warm=True)
            if scope == SANDBOX:
                timeout = self._nbgrader_execute().timeout or settings.notebook_budget
                run_notebook(nb, settings, timeout, resources.get("metadata", {}).get("path"))
                self.log.info("Ran %s in the sandbox", info["notebook"])
                return nb, resources
            result = grade_notebook(nb, given or Assignment.load(info["assignment"], self._source_root()),
                                    info["notebook"], settings)
        except GraderFault as exc:  # nbgrader records no grade and reports the submission as failed
            self.log.error("채점하지 못했습니다 — 점수 없음 (not graded) %s/%s: %s",
                           info.get("student"), info["notebook"], exc)
            raise
        info["result"] = result
        write_results(nb, result)
        self.log.info("Graded %s: %s / %s", info["notebook"], result["score"], result["max_score"])
        return nb, resources


def write_results(nb, result):
    """Put a grading result into the notebook's autograded test cells, as nbgrader's SaveAutoGrades reads them:
    the feedback as stdout, the score as the cell's result (partial credit)."""
    by_id = {p["grade_id"]: p for p in result["parts"] if p["score"] is not None}
    for cell in nb.cells:
        part = by_id.get(nbgrader_meta(cell).get("grade_id"))
        if part is None or cell.cell_type != "code":
            continue
        cell.execution_count = 1
        cell.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text=part["feedback"] + "\n"),
            *_detail_outputs(part.get("details")),
            nbformat.v4.new_output("execute_result", data={"text/plain": repr(part["score"])}, execution_count=1),
        ]


def _detail_outputs(details):
    """A model part's layer table and training curves as display outputs (SaveAutoGrades reads only the result)."""
    if not details:
        return []
    from autograder.models.report import curves_png, layer_table_html

    outputs = [nbformat.v4.new_output("display_data", data={"text/html": layer_table_html(details["layers"]),
                                                            "text/plain": "층 비교 표"})]
    if details.get("training") and details["training"].get("history"):
        png = base64.b64encode(curves_png(details["training"], details["reference"])).decode()
        outputs.append(nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "훈련 곡선"}))
    return outputs
