"""Feedback HTML for graded students, by nbgrader's own GenerateFeedback (the course's feedback pipeline)."""
import logging

from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory


def generate_feedback(course, assignment, students):
    """Run ``nbgrader generate_feedback ASSIGNMENT --force`` for each of ``students``.

    Returns {student: one-line reason} for those nbgrader could not make feedback for; the
    others are done whatever happens to one.
    """
    failed = {}
    for student in students:
        coursedir = CourseDirectory(config=course.config)
        coursedir.assignment_id, coursedir.student_id = assignment, student
        converter = GenerateFeedback(coursedir=coursedir, config=course.config)
        converter.force = True
        converter.log.setLevel(logging.CRITICAL)
        try:
            converter.start()
        except Exception as exc:  # noqa: BLE001 - nbgrader's NbGraderException and what it wraps
            failed[student] = f"{type(exc).__name__}: {exc}"[:300]
    return failed
