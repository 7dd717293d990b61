"""nbgrader configuration for the chapter 9 course (run nbgrader from this folder).

Standard folders: source/, release/, submitted/, autograded/, feedback/ under the course root.
Class data (submitted/, autograded/, feedback/, gradebook.db) is git-ignored.
The gradebook is SQLite in the course root by default; set NBGRADER_DB_URL to use another
database (e.g. postgresql://user@host/course).
"""
import os
import sys

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor

from autograder.gradebook.student_markup import SanitizeStudentMarkup
from autograder.nbgrader_preprocessor import SandboxedAutograde

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

# nbgrader creates a new gradebook by running the `alembic` command from PATH: use the one
# installed beside this Python, so `.venv/bin/nbgrader ...` works without activating the venv.
os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])

c.CourseDirectory.course_id = "rnn-ch09"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
if os.environ.get("NBGRADER_DB_URL"):
    c.CourseDirectory.db_url = os.environ["NBGRADER_DB_URL"]

# Release: Korean-first stubs in place of the solutions.
c.ClearSolutions.code_stub = {"python": "# 여기에 코드를 작성하세요 (YOUR CODE HERE)\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "여기에 답을 쓰세요 (YOUR ANSWER HERE)"

# Autograde: the sandboxed grading path replaces nbgrader's Execute (the student's code
# never runs in nbgrader's kernel); the rest of nbgrader's pipeline is kept as it is.
c.Autograde.autograde_preprocessors = [
    SandboxedAutograde,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
    SanitizeStudentMarkup,  # what the student wrote never runs in formgrader or feedback
]
if os.environ.get("AUTOGRADER_TIMEOUT"):  # the other settings: c.SandboxedAutograde.memory_mb, .isolation, .seed
    c.SandboxedAutograde.timeout = float(os.environ["AUTOGRADER_TIMEOUT"])

# Feedback: students see the graders' messages, never the hidden tests' source.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, SanitizeStudentMarkup, CSSHTMLHeaderPreprocessor]
