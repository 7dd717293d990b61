"""nbgrader configuration for the chapter 9 course (run nbgrader from this folder).

Standard folders: source/, release/, submitted/, autograded/, feedback/ under the course root.
Class data (submitted/, autograded/, feedback/, gradebook.db) is git-ignored.
The gradebook is SQLite in the course root by default; set NBGRADER_DB_URL to use another
database (e.g. postgresql://user@host/course).

The chapter's grading comes from ``add_chapter(c)``: the same lines an instructor adds to the
nbgrader_config.py of the course they already run (README: "Adding the chapter to your course").
"""
import os

from autograder.course_config import add_chapter

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "rnn-ch09"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
if os.environ.get("NBGRADER_DB_URL"):
    c.CourseDirectory.db_url = os.environ["NBGRADER_DB_URL"]

# Release: Korean-first stubs in place of the solutions.
c.ClearSolutions.code_stub = {"python": "# 여기에 코드를 작성하세요 (YOUR CODE HERE)\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "여기에 답을 쓰세요 (YOUR ANSWER HERE)"

# Autograde and feedback: the chapter's notebooks are graded in the sandbox by the hidden graders
# (nothing of them runs in nbgrader's kernel); every other assignment stays nbgrader's own.
add_chapter(c)
