"""A worker's part of ``nbgrader autograde``: the course's own preprocessor pipeline on one notebook.

nbgrader runs, per notebook, its sanitize preprocessors (clear outputs, deduplicate ids,
kernelspec and source cells from the gradebook, metadata check), writes and re-reads the
notebook, then its autograde preprocessors (here ``SandboxedAutograde``, then output limits,
SaveAutoGrades, AssignLatePenalties, metadata check). ``NotebookPipeline`` is that list as the
course configures it, split in two: everything that does not write the gradebook runs on a
worker (``autograde_notebook``); SaveAutoGrades and AssignLatePenalties run in the one writer
(``writer.GradebookWriter``), on the notebook text the worker returns. Same classes, same order,
same config: the autograded notebook and the gradebook rows are what nbgrader would write.
"""
import uuid
from dataclasses import dataclass, field

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from traitlets.utils.importstring import import_item

from autograder.assignment import Assignment
from autograder.chapter import ChapterScope, differences
from autograder.errors import NotGradable
from autograder.gradebook.course import CourseError
from autograder.gradebook.preprocessors import ON_WORKER, ON_WRITER
from autograder.gradebook.snapshot import AssignmentSnapshot
from autograder.grading.recognize import read_notebook_bytes


def _class(item):
    return import_item(item) if isinstance(item, str) else item


@dataclass
class NotebookPipeline:
    """The course's autograde pipeline (picklable: it travels to Dask workers with each task).

    config: the course's nbgrader config; sanitize/autograde: preprocessor classes run on a
    worker; record: those run by the writer; snapshot: the gradebook's view of the assignment;
    assignment: the graders' Assignment spec (read from the source notebooks, so workers need
    no course folder); permissions: the mode nbgrader gives autograded files.
    """

    config: object
    sanitize: list
    autograde: list
    record: list
    snapshot: object
    assignment: object
    permissions: int
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def for_assignment(cls, course, name):
        """The pipeline of assignment ``name`` of an NbgraderCourse; CourseError when the gradebook
        does not know the assignment (generate_assignment not run)."""
        with Gradebook(course.db_url, course.course_id) as gb:
            try:
                snapshot = AssignmentSnapshot.read(gb, name)
            except MissingEntry:
                raise CourseError(f"과제 {name}가 성적부에 없습니다: 먼저 `nbgrader generate_assignment {name}`를 "
                                  f"실행하세요 (assignment not in the gradebook)") from None
        assignment = Assignment.load(name, course.source_folder(name).parent)
        _require_chapter(course, assignment)
        return cls.of_course(course, snapshot, assignment)

    @classmethod
    def of_course(cls, course, snapshot, assignment):
        converter = Autograde(coursedir=course.coursedir, config=course.config)
        sanitize = [ON_WORKER.get(c, c) for c in map(_class, converter.sanitize_preprocessors)]
        steps = [_class(c) for c in converter.autograde_preprocessors]
        return cls(course.config, sanitize, [ON_WORKER.get(c, c) for c in steps if c not in ON_WRITER],
                   [ON_WRITER[c] for c in steps if c in ON_WRITER], snapshot, assignment,
                   int(str(converter.permissions), 8))


def _require_chapter(course, assignment):
    """CourseError unless every notebook of ``assignment`` is the chapter's, as the package ships it: the
    class autograder and the server grade the chapter; nbgrader autograde grades everything else."""
    if assignment.name not in ChapterScope(config=course.config).assignments:
        raise CourseError(f"{assignment.name}은(는) 이 장의 과제가 아닙니다: nbgrader autograde {assignment.name}로 "
                          f"채점하세요 (not the chapter's assignment: c.ChapterScope.assignments)")
    for name, spec in assignment.notebooks.items():
        differs = differences(spec, name)
        if differs:
            raise CourseError(f"{assignment.name}/{name}.ipynb: {differs} — 이 장의 노트북만 여기서 채점합니다; "
                              f"nbgrader autograde를 쓰거나 source를 패키지의 것으로 바꾸세요")


_INSTANCES = {}  # pipeline token -> (sanitize instances, autograde instances), built once per process


def _instances(pipeline):
    if pipeline.token not in _INSTANCES:
        _INSTANCES.clear()
        _INSTANCES[pipeline.token] = ([c(config=pipeline.config) for c in pipeline.sanitize],
                                      [c(config=pipeline.config) for c in pipeline.autograde])
    return _INSTANCES[pipeline.token]


def grading_settings(config):
    """The GradingSettings a course config gives (``c.SandboxedAutograde.timeout`` ..., else the defaults)."""
    from autograder.nbgrader_preprocessor import SandboxedAutograde

    return SandboxedAutograde(config=config).settings()


def resources_for(student, notebook, pipeline, **extra):
    """The resources dict nbgrader's converter gives a notebook's preprocessors (plus our seats)."""
    info = {"student": student, "assignment": pipeline.snapshot.assignment, "notebook": notebook,
            "db_url": None, "snapshot": pipeline.snapshot, "assignment_spec": pipeline.assignment, **extra}
    return {"unique_key": notebook, "output_files_dir": f"{notebook}_files", "nbgrader": info}


def notebook_text(nb):
    """The file content nbgrader's NotebookExporter writes for ``nb`` (a v4 notebook).

    nbformat.writes would first validate the whole notebook against its JSON schema only to log
    what is invalid (~5 ms a notebook; the text is the same): the worker's log is read by nobody,
    and the submitted file was validated, with the same effect, when it was read."""
    text = nbformat.v4.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def autograde_notebook(raw, student, notebook, pipeline, settings=None):
    """Grade one submitted notebook's bytes as nbgrader autograde would.

    settings: GradingSettings fields to override for this notebook (the server's per-submission
    seed and expected_values). Returns (autograded notebook text, grading result dict);
    NotGradable with a one-line reason when the bytes are not a readable notebook.
    """
    try:
        nb = read_notebook_bytes(raw)
    except NotGradable as exc:
        raise NotGradable(f"{notebook}.ipynb: {exc}") from None
    sanitize, autograde = _instances(pipeline)
    resources = resources_for(student, notebook, pipeline, settings=dict(settings or {}))
    for step in sanitize:
        nb, resources = step(nb, resources)
    nb = nbformat.v4.reads(notebook_text(nb))  # nbgrader writes the sanitized file and reads it back
    for step in autograde:
        nb, resources = step(nb, resources)
    return notebook_text(nb), resources["nbgrader"].get("result")
