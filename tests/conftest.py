"""Shared fixtures: the assignment, solution answers, and one nbgrader course built per run."""
import os

import nbformat
import pytest

from autograder.assignment import Assignment
from autograder.grading.grade import grade_notebook
from autograder.settings import SOURCE_ROOT, GradingSettings
from helpers import ASSIGNMENT, MARKUP_NOTEBOOK, RELEASE
from samples.course import make_course, nbgrader
from samples.markup import hostile_markup_copy
from samples.submissions import SAMPLE_STUDENTS, solution_answers, student_copy, write_submissions

# A correct answer that also writes to stderr and raises warnings (the fairness check).
NOISE = ("import sys, warnings\nwarnings.warn('학생 코드의 경고', DeprecationWarning)\n"
         "print('stderr noise', file=sys.stderr)\n")
TEST_STUDENTS = {**SAMPLE_STUDENTS, "noisy_full": ["solution"], "markup_hostile": ["solution"]}


@pytest.fixture(scope="session", autouse=True)
def model_cache(tmp_path_factory):
    """One folder of the grader's training results for the whole test run, the nbgrader and batch
    subprocesses included (AUTOGRADER_MODEL_CACHE, read by nbgrader_config.py): the solution's models
    of notebook 05 train once per run, as in one class. Under pytest-xdist the workers share it (the
    cache locks each key, as a class's workers do)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = tmp_path_factory.getbasetemp().parent / "model-cache"
        shared.mkdir(exist_ok=True)
        folder = str(shared)
    else:
        folder = str(tmp_path_factory.mktemp("model-cache"))
    previous = os.environ.get("AUTOGRADER_MODEL_CACHE")
    os.environ["AUTOGRADER_MODEL_CACHE"] = folder
    yield folder
    if previous is None:
        os.environ.pop("AUTOGRADER_MODEL_CACHE", None)
    else:
        os.environ["AUTOGRADER_MODEL_CACHE"] = previous


@pytest.fixture(scope="session")
def assignment():
    return Assignment.load(ASSIGNMENT, SOURCE_ROOT)


@pytest.fixture(scope="session")
def solutions():
    return solution_answers(SOURCE_ROOT / ASSIGNMENT)


@pytest.fixture(scope="session")
def grade(assignment, model_cache):
    """grade(answers, notebook, **settings) -> JSON result of the release notebook with those answers filled."""
    def _grade(answers, notebook, **settings):
        release_nb = nbformat.read(RELEASE / f"{notebook}.ipynb", as_version=4)
        settings = GradingSettings(**{"model_cache": model_cache, **settings})
        return grade_notebook(student_copy(release_nb, answers), assignment, notebook, settings)
    return _grade


@pytest.fixture(scope="session")
def test_students():
    """The students of the ``course`` fixture: the demo's samples, one correct but noisy student, and
    one whose markup would run script (samples.markup) in ``MARKUP_NOTEBOOK``."""
    return TEST_STUDENTS


@pytest.fixture(scope="session")
def course(tmp_path_factory, solutions):
    """A course folder where nbgrader generated the release and autograded the test students."""
    root = make_course(tmp_path_factory.mktemp("course"))
    nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    write_submissions(root, ASSIGNMENT, TEST_STUDENTS)
    for path in (root / "submitted" / "noisy_full" / ASSIGNMENT).glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
                cell.source = NOISE + cell.source
        nbformat.write(nb, path)
    hostile = root / "submitted" / "markup_hostile" / ASSIGNMENT / f"{MARKUP_NOTEBOOK}.ipynb"
    nbformat.write(hostile_markup_copy(nbformat.read(hostile, as_version=4)), hostile)
    nbgrader(root, "autograde", ASSIGNMENT, "--create", "--force")
    nbgrader(root, "generate_feedback", ASSIGNMENT, "--force")
    return root
