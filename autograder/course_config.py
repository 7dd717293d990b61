"""The chapter in an nbgrader course: ``add_chapter(c)``, the lines a course's nbgrader_config.py needs.

    from autograder.course_config import add_chapter
    add_chapter(c)                              # the course's assignment "ch09" is this chapter
    add_chapter(c, assignments=["week10"])      # the chapter under another name
    add_chapter(c, sandbox_assignments=["hw2"]) # opt-in: hw2's own tests run in the sandbox too

It changes nbgrader only where the chapter is (autograder.chapter): in the autograde pipeline the
course has (nbgrader's default unless the course set its own), ``Execute`` becomes
``SandboxedAutograde``, which grades the chapter's notebooks in the sandbox and hands every other
notebook to nbgrader's own Execute; the student-markup sanitiser is added for the chapter's (and
opted-in) notebooks only; feedback gains, for the chapter only, the removal of hidden tests and
the sanitiser. Every other assignment keeps nbgrader's pipeline: the same classes, order and
options. Nothing else of the course's config (course id, database, folders, exchange) is touched.
"""
import os
import sys

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.converters import Autograde, GenerateFeedback
from nbgrader.preprocessors import ClearHiddenTests, Execute
from traitlets.utils.importstring import import_item

from autograder.chapter import CHAPTER, SANDBOX, ChapterOnly
from autograder.gradebook.student_markup import SanitizeStudentMarkup
from autograder.nbgrader_preprocessor import SandboxedAutograde


class ChapterClearHiddenTests(ChapterOnly, ClearHiddenTests):
    """nbgrader's ClearHiddenTests, for the chapter's feedback only: students see the graders' messages,
    never the hidden tests' source; other assignments' feedback is nbgrader's own."""


class ChapterSanitizeStudentMarkup(ChapterOnly, SanitizeStudentMarkup):
    """SanitizeStudentMarkup for the chapter's and the opted-in notebooks."""

    scopes = (CHAPTER, SANDBOX)


def _configured(section, name, default):
    """The course's list (classes, or their import paths) if it set one, else nbgrader's default; as classes."""
    return [import_item(step) if isinstance(step, str) else step
            for step in (section[name] if name in section else default)]


def add_chapter(c, assignments=("ch09",), sandbox_assignments=()):
    """Add the chapter to an nbgrader config ``c`` (see the module's docstring). Safe to call once per config."""
    c.ChapterScope.assignments = list(assignments)
    c.ChapterScope.sandbox_assignments = list(sandbox_assignments)
    autograde = _configured(c.Autograde, "autograde_preprocessors",
                            Autograde.class_traits()["autograde_preprocessors"].default())
    c.Autograde.autograde_preprocessors = [SandboxedAutograde if step is Execute else step for step in autograde
                                           if step is not ChapterSanitizeStudentMarkup] + [ChapterSanitizeStudentMarkup]
    feedback = [step for step in _configured(c.GenerateFeedback, "preprocessors",
                                             GenerateFeedback.class_traits()["preprocessors"].default())
                if step not in (ChapterClearHiddenTests, ChapterSanitizeStudentMarkup)]
    at = feedback.index(CSSHTMLHeaderPreprocessor) if CSSHTMLHeaderPreprocessor in feedback else len(feedback)
    c.GenerateFeedback.preprocessors = feedback[:at] + [ChapterClearHiddenTests, ChapterSanitizeStudentMarkup] + feedback[at:]
    if os.environ.get("AUTOGRADER_TIMEOUT"):  # the other settings: c.SandboxedAutograde.memory_mb, .isolation, .seed
        c.SandboxedAutograde.timeout = float(os.environ["AUTOGRADER_TIMEOUT"])
    # nbgrader creates a new gradebook by running the `alembic` command from PATH: the one beside this
    # Python, so `.venv/bin/nbgrader ...` works without activating the venv.
    os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
