"""Sample submissions: a student's copy is the release notebook with some answer cells filled."""
import re
from pathlib import Path

import nbformat

from autograder.assignment import is_answer_cell, nbgrader_meta
from samples.wrong_answers import HOSTILE_ANSWERS, WRONG_ANSWERS

SOLUTION_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)

# student id -> what they hand in: "solution", "release" (untouched), or answer keys that
# replace the solution for single functions (from samples.wrong_answers).
SAMPLE_STUDENTS = {
    "kim_full": ["solution"],
    "lee_untouched": ["release"],
    "park_padding": ["solution", "padding_side", "nbytes_float32", "rnn_params_forgot_bias",
                     "stack_without_return_sequences"],
    "choi_rnn": ["solution", "cell_sigmoid", "forward_first_state", "gru_no_second_bias", "lstm_three_gates",
                 "dense_without_sigmoid"],
    "jung_hostile": ["solution", "uses_keras", "infinite_loop", "kills_process", "patches_and_prints_score",
                     "model_smuggles_predictions", "model_with_lambda"],
}


def _is_student_cell(cell):
    """An answer the student writes: code answer cells and manually graded written answers."""
    meta = nbgrader_meta(cell)
    return is_answer_cell(cell) or (meta.get("solution") and meta.get("grade") and cell.cell_type == "markdown")


def solution_answers(source_dir):
    """{grade_id: answer source} of the source notebooks (code and written answers), markers removed."""
    answers = {}
    for path in sorted(Path(source_dir).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if _is_student_cell(cell):
                answers[nbgrader_meta(cell)["grade_id"]] = SOLUTION_MARKER.sub("", cell.source)
    return answers


def answers_for(recipe, solutions):
    """The answer sources a recipe (list of "solution" / wrong-answer keys) hands in."""
    answers = dict(solutions) if "solution" in recipe else {}
    for key in recipe:
        wrong = WRONG_ANSWERS.get(key) or HOSTILE_ANSWERS.get(key)
        if wrong is not None:
            answers[wrong.function] = wrong.source
    return answers


def student_copy(release_nb, answers):
    """The release notebook with the given answer cells' sources replaced."""
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if _is_student_cell(cell) and grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def write_submissions(course_root, assignment="ch09", students=SAMPLE_STUDENTS):
    """Write submitted/<student>/<assignment>/*.ipynb for each sample student; returns the paths."""
    course_root = Path(course_root)
    release = course_root / "release" / assignment
    solutions = solution_answers(course_root / "source" / assignment)
    written = []
    for student, recipe in students.items():
        folder = course_root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        answers = answers_for(recipe, solutions)
        for path in sorted(release.glob("*.ipynb")):
            nbformat.write(student_copy(nbformat.read(path, as_version=4), answers), folder / path.name)
            written.append(folder / path.name)
    return written
