"""Which notebooks of an nbgrader course this package grades, and how; nbgrader stays nbgrader for the rest.

A course names the assignments that are this chapter (``c.ChapterScope.assignments``, default
``["ch09"]``) and, opt-in, other assignments whose notebooks run in the sandbox
(``c.ChapterScope.sandbox_assignments``, default none). For a notebook nbgrader is about to grade,
``scope_of`` answers:

  CHAPTER  its assignment is one of the chapter's, its name is one of the package's notebooks, and
           its source notebook's autograded test cells are the package's (the same grade ids, each
           answered by a hidden grader): graded by the hidden graders in the sandbox;
  SANDBOX  its assignment is opted in: its own test cells run against the student's code in the
           sandbox, cell by cell as nbgrader's Execute runs them (autograder.notebook_run);
  None     anything else: nbgrader's own pipeline, unchanged (Execute with its options, kernels,
           timeouts, hidden tests, side effects next to the notebook).

Never by a grade id alone: an instructor's ``test_one_hot`` in another assignment is that
assignment's, graded by its own assert. A chapter notebook whose test cells differ from the
package's is a mistake in the course's setup (ChapterMismatch, one line), never guessed.
``course_report`` says, for ``python -m autograder check``, how each notebook will be graded.
"""
import functools
from pathlib import Path

from traitlets import List, Unicode
from traitlets.config import Configurable

from autograder.assignment import Assignment, notebook_spec
from autograder.settings import SOURCE_ROOT

CHAPTER, SANDBOX = "chapter", "sandbox"
PACKAGE_ASSIGNMENT = "ch09"


class ChapterMismatch(Exception):
    """A notebook of a chapter assignment that is not the package's notebook (one line: what differs)."""


class ChapterScope(Configurable):
    """The course's choice: which assignments are this chapter, which others run in the sandbox."""

    assignments = List(Unicode(), [PACKAGE_ASSIGNMENT],
                       help="assignments of this course that are the chapter 9 exercises (graded in the sandbox by "
                            "the hidden graders)").tag(config=True)
    sandbox_assignments = List(Unicode(), [],
                               help="other assignments whose notebooks run in the sandbox instead of nbgrader's "
                                    "kernel (opt-in: their own test cells, nbgrader's scoring)").tag(config=True)


@functools.cache
def package_notebooks():
    """{name: NotebookSpec} of the chapter as this package ships it (source/ch09)."""
    return Assignment.load(PACKAGE_ASSIGNMENT, SOURCE_ROOT).notebooks


@functools.lru_cache(maxsize=256)
def _course_spec(path, mtime_ns):
    return notebook_spec(path)


def course_spec(source_root, assignment, notebook):
    """The NotebookSpec of a course's source notebook (re-read when the file changes), or None."""
    path = Path(source_root) / assignment / f"{notebook}.ipynb"
    try:
        return _course_spec(str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        return None


def differences(spec, notebook):
    """What makes a course's NotebookSpec ``spec`` of ``notebook`` other than the package's ("" when none)."""
    ours = package_notebooks().get(notebook)
    if ours is None:
        return f"{notebook}.ipynb is not a notebook of the chapter"
    said = []
    if spec.foreign_tests:
        said.append(f"test cells no hidden grader answers: {', '.join(spec.foreign_tests)}")
    missing = sorted(set(ours.graded_tests) - set(spec.graded_tests))
    extra = sorted(set(spec.graded_tests) - set(ours.graded_tests))
    if missing:
        said.append(f"the package's test cells missing: {', '.join(missing)}")
    if extra:
        said.append(f"test cells the package's notebook does not have: {', '.join(extra)}")
    return "; ".join(said)


def scope_of(config, assignment, notebook, source_root=None, spec=None):
    """CHAPTER, SANDBOX or None for ``notebook`` of ``assignment`` (see the module's docstring).

    spec: the course's NotebookSpec when the caller has it (a batch's workers have no source
    folder), else read from ``source_root``. ChapterMismatch for a chapter notebook that differs."""
    scope = ChapterScope(config=config)
    if assignment in scope.sandbox_assignments:
        return SANDBOX
    if assignment not in scope.assignments or notebook not in package_notebooks():
        return None
    spec = spec or course_spec(source_root, assignment, notebook)
    differs = "no source notebook" if spec is None else differences(spec, notebook)
    if differs:
        raise ChapterMismatch(f"{assignment}/{notebook}.ipynb이 이 패키지의 노트북과 다릅니다 (differs from the "
                              f"package's: {differs}). source/{assignment}/를 패키지의 source/ch09/로 바꾸거나, 이 "
                              f"과제를 c.ChapterScope.assignments에서 빼세요")
    return CHAPTER


class ChapterOnly:
    """Mixin for an nbgrader preprocessor that applies to the chapter's notebooks only (``scopes``):
    every other notebook passes through untouched, as in stock nbgrader."""

    scopes = (CHAPTER,)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        try:
            from nbgrader.coursedir import CourseDirectory

            coursedir = CourseDirectory(config=self.config)
            scope = scope_of(self.config, info.get("assignment"), info.get("notebook"),
                             Path(coursedir.root) / coursedir.source_directory)
        except ChapterMismatch:
            scope = None
        if scope not in self.scopes:
            return nb, resources
        return super().preprocess(nb, resources)


def course_report(config, source_root):
    """[(assignment/notebook, how it is graded, ok)] for every source notebook of the course."""
    rows = []
    for path in sorted(Path(source_root).glob("*/*.ipynb")):
        assignment, notebook = path.parent.name, path.stem
        try:
            scope = scope_of(config, assignment, notebook, source_root)
        except ChapterMismatch as exc:
            rows.append((f"{assignment}/{notebook}", str(exc), False))
            continue
        how = {CHAPTER: "숨은 채점기, 샌드박스 (hidden graders, sandbox)",
               SANDBOX: "자기 테스트 셀, 샌드박스 (its own tests, in the sandbox: opt-in)",
               None: "nbgrader 그대로 (nbgrader's own Execute)"}[scope]
        rows.append((f"{assignment}/{notebook}", how, True))
    return rows
