"""Feedback HTML for graded students, by nbgrader's own GenerateFeedback (the course's feedback pipeline)."""
import logging

from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory


def generate_feedback(course, assignment, students):
    """Run ``nbgrader generate_feedback ASSIGNMENT --force`` for each of ``students``; returns how many."""
    for student in students:
        coursedir = CourseDirectory(config=course.config)
        coursedir.assignment_id, coursedir.student_id = assignment, student
        converter = GenerateFeedback(coursedir=coursedir, config=course.config)
        converter.force = True
        converter.log.setLevel(logging.WARNING)
        converter.start()
    return len(students)
