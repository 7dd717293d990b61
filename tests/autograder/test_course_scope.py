"""The package inside a real course (issue 21): nbgrader stays nbgrader for every other assignment.

One course holds the chapter (ch09) and an instructor's own assignments: hw2 (``f`` with a test
cell ``assert f(2) == 4``; ``one_hot(labels, depth)`` whose test cell is named ``test_one_hot``,
like one of ours; a cell that writes a file next to the notebook; a cell slower than
``c.Execute.timeout``) and hw3 (opted into the sandbox). The same course is graded with the
project's config and with stock nbgrader's; hw2 must come out the same, grade for grade and file
for file, and hw3 in the sandbox must score as nbgrader scores it.
"""
import json
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from helpers import ASSIGNMENT
from samples.course import gradebook_scores, make_course, nbgrader
from samples.submissions import write_submissions

SOLUTION_META = {"grade": False, "solution": True, "locked": False, "schema_version": 3}
TEST_META = {"grade": True, "solution": False, "locked": True, "points": 1, "schema_version": 3}
STOCK_CONFIG = 'c = get_config()\nc.CourseDirectory.course_id = "rnn-ch09"\nc.Execute.timeout = 3\n'


def _cell(kind, source, grade_id=None, meta=None):
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if grade_id:
        cell.metadata["nbgrader"] = {**meta, "grade_id": grade_id}
    return cell


def _source_notebook(cells):
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


HW2 = _source_notebook([
    _cell("markdown", "# 과제 2"),
    _cell("code", "def f(x):\n    ### BEGIN SOLUTION\n    return x * 2\n    ### END SOLUTION", "f_answer", SOLUTION_META),
    _cell("code", "assert f(2) == 4", "test_f", TEST_META),
    _cell("code", "import numpy as np\n\ndef one_hot(labels, depth):\n    ### BEGIN SOLUTION\n"
                  "    return np.eye(depth)[labels]\n    ### END SOLUTION", "one_hot_answer", SOLUTION_META),
    _cell("code", "assert (one_hot([0, 2], 3) == [[1, 0, 0], [0, 0, 1]]).all()", "test_one_hot", TEST_META),
    _cell("code", "open('side_effect.txt', 'w').write('written next to the notebook')"),
    _cell("code", "import time\ntime.sleep(SLEEP)\nprint('done')", "test_slow", TEST_META),
])
HW3 = _source_notebook([
    _cell("code", "def g(x):\n    ### BEGIN SOLUTION\n    return x + 1\n    ### END SOLUTION", "g_answer", SOLUTION_META),
    _cell("code", "assert g(1) == 2", "test_g", TEST_META),
    _cell("code", "DATA = open('data.txt').read().split()\nassert DATA == ['a', 'b']", "test_data", TEST_META),
    _cell("code", "import sys\nprint('careful', file=sys.stderr)", "test_stderr", TEST_META),
    _cell("code", "g(41) / 42", "test_partial", TEST_META),
])
ANSWERS = {  # student -> {answer grade id: source}
    "right": {"f_answer": "def f(x):\n    return x * 2", "one_hot_answer":
              "import numpy as np\n\ndef one_hot(labels, depth):\n    return np.eye(depth)[labels]",
              "g_answer": "def g(x):\n    return x + 1"},
    "wrong": {"f_answer": "def f(x):\n    return x + 1", "one_hot_answer":
              "import numpy as np\n\ndef one_hot(labels, depth):\n    return np.eye(depth)[labels].T",
              "g_answer": "def g(x):\n    return x"},
}


def _submit(course, assignment, name, sleep):
    release = nbformat.read(course / "release" / assignment / f"{name}.ipynb", as_version=4)
    for student, answers in ANSWERS.items():
        nb = nbformat.from_dict(release)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in answers:
                cell.source = answers[grade_id]
        nb.cells.insert(0, nbformat.v4.new_code_cell(f"SLEEP = {sleep}"))
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / f"{name}.ipynb")
        if assignment == "hw3":
            (folder / "data.txt").write_text("a b")


@pytest.fixture(scope="module")
def mixed_course(tmp_path_factory):
    """The chapter plus hw2 and hw3, released; hw3 opted into the sandbox; Execute.timeout 3 s."""
    course = make_course(tmp_path_factory.mktemp("mixed") / "course")
    for assignment, nb in (("hw2", HW2), ("hw3", HW3)):
        (course / "source" / assignment).mkdir(parents=True)
        nbformat.write(nb, course / "source" / assignment / f"{assignment}.ipynb")
    (course / "source" / "hw3" / "data.txt").write_text("a b")
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as f:
        f.write('\nc.Execute.timeout = 3\nadd_chapter(c, sandbox_assignments=["hw3"])\n')
    for assignment in ("hw2", "hw3", ASSIGNMENT):
        nbgrader(course, "generate_assignment", assignment, "--force")
    _submit(course, "hw2", "hw2", sleep=10)
    _submit(course, "hw3", "hw3", sleep=0)
    _only_02(write_submissions(course, ASSIGNMENT, {"kim": ["solution"]}))
    return course


def _only_02(paths):
    """Keep one chapter notebook a student (the others count as missing: a fast autograde)."""
    for path in paths:
        if path.stem != "02_parameter_counts":
            path.unlink()


def _autograde(course, assignment):
    return subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"], cwd=course,
                          capture_output=True, text=True, timeout=600)


def _stock_copy(course, target):
    shutil.copytree(course, target)
    (target / "nbgrader_config.py").write_text(STOCK_CONFIG, encoding="utf-8")
    return target


def test_another_assignment_is_graded_by_nbgrader_exactly_as_stock(mixed_course, tmp_path):
    stock = _stock_copy(mixed_course, tmp_path / "stock")
    ours, theirs = _autograde(mixed_course, "hw2"), _autograde(stock, "hw2")
    assert ours.returncode == theirs.returncode == 0, ours.stderr[-3000:]
    assert gradebook_scores(mixed_course, "hw2") == gradebook_scores(stock, "hw2")
    right = gradebook_scores(mixed_course, "hw2")["right"]["hw2"]
    assert right["test_f"] == (1.0, 1.0) and right["test_one_hot"] == (1.0, 1.0)  # its own assert, not our grader
    assert right["test_slow"] == (0.0, 1.0)  # c.Execute.timeout (3 s) honoured: the 10 s cell timed out
    assert gradebook_scores(mixed_course, "hw2")["wrong"]["hw2"]["test_f"] == (0.0, 1.0)
    for student in ANSWERS:
        ran = mixed_course / "autograded" / student / "hw2"
        assert (ran / "side_effect.txt").read_text() == "written next to the notebook"
        ours_nb = nbformat.read(ran / "hw2.ipynb", as_version=4)
        stock_nb = nbformat.read(stock / "autograded" / student / "hw2" / "hw2.ipynb", as_version=4)
        assert [c.get("outputs") for c in ours_nb.cells] == [c.get("outputs") for c in stock_nb.cells]


def test_an_unknown_kernel_fails_as_in_stock_nbgrader(mixed_course, tmp_path):
    course = _stock_copy(mixed_course, tmp_path / "ours")
    shutil.copy(mixed_course / "nbgrader_config.py", course / "nbgrader_config.py")
    stock = _stock_copy(mixed_course, tmp_path / "stock")
    for root in (course, stock):  # the kernelspec nbgrader keeps for the notebook (it overwrites the student's)
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            gb.find_notebook("hw2", "hw2").kernelspec = json.dumps(
                {"name": "no-such-kernel", "display_name": "x", "language": "python"})
            gb.db.commit()
    ours, theirs = _autograde(course, "hw2"), _autograde(stock, "hw2")
    assert ours.returncode == theirs.returncode != 0
    assert gradebook_scores(course, "hw2") == gradebook_scores(stock, "hw2")


def test_the_chapter_is_still_graded_in_the_sandbox(mixed_course):
    proc = _autograde(mixed_course, ASSIGNMENT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Graded 02_parameter_counts: 12.0 / 12.0" in proc.stderr  # SandboxedAutograde's own log line
    assert sum(g[0] for g in gradebook_scores(mixed_course)["kim"]["02_parameter_counts"].values()) == 12.0


def test_an_opted_in_assignment_runs_in_the_sandbox_with_nbgraders_scoring(mixed_course, tmp_path):
    stock = _stock_copy(mixed_course, tmp_path / "stock")
    ours, theirs = _autograde(mixed_course, "hw3"), _autograde(stock, "hw3")
    assert ours.returncode == theirs.returncode == 0, ours.stderr[-3000:]
    assert "Ran hw3 in the sandbox" in ours.stderr
    scores = gradebook_scores(mixed_course, "hw3")
    assert scores == gradebook_scores(stock, "hw3")  # nbgrader's own rules on the sandbox's outputs
    assert scores["right"]["hw3"] == {"test_g": (1.0, 1.0), "test_data": (1.0, 1.0), "test_stderr": (0.0, 1.0),
                                      "test_partial": (1.0, 1.0)}
    assert scores["wrong"]["hw3"]["test_g"] == (0.0, 1.0)
    assert scores["wrong"]["hw3"]["test_partial"][0] == pytest.approx(41 / 42, abs=0.01)


def test_an_opted_in_notebook_cannot_reach_the_course(mixed_course, tmp_path):
    course = _stock_copy(mixed_course, tmp_path / "probe")
    shutil.copy(mixed_course / "nbgrader_config.py", course / "nbgrader_config.py")
    path = course / "submitted" / "wrong" / "hw3" / "hw3.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        f"import os\nprint(os.path.exists({str(course / 'gradebook.db')!r}), "
        f"os.path.exists({str(course / 'submitted' / 'right')!r}))"))
    nbformat.write(nb, path)
    assert _autograde(course, "hw3").returncode == 0
    ran = nbformat.read(course / "autograded" / "wrong" / "hw3" / "hw3.ipynb", as_version=4)
    assert ran.cells[0].outputs[0]["text"] == "False False\n"


def test_check_says_how_each_notebook_is_graded(mixed_course):
    proc = subprocess.run([sys.executable, "-m", "autograder", "check", "--course", str(mixed_course)],
                          capture_output=True, text=True, timeout=300)
    assert "hw2/hw2" in proc.stdout and "nbgrader's own Execute" in proc.stdout
    assert "hw3/hw3" in proc.stdout and "opt-in" in proc.stdout
    assert "ch09/01_padding_encoding" in proc.stdout and "hidden graders" in proc.stdout


def test_a_chapter_notebook_that_differs_is_a_clear_error(mixed_course, tmp_path):
    course = _stock_copy(mixed_course, tmp_path / "edited")
    shutil.copy(mixed_course / "nbgrader_config.py", course / "nbgrader_config.py")
    source = course / "source" / ASSIGNMENT / "02_parameter_counts.ipynb"
    nb = nbformat.read(source, as_version=4)
    nb.cells.append(_cell("code", "assert True", "test_mine", TEST_META))
    nbformat.write(nb, source)
    proc = subprocess.run([sys.executable, "-m", "autograder", "check", "--course", str(course)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "test_mine" in proc.stdout
    batch = subprocess.run([sys.executable, "-m", "autograder", "autograde", ASSIGNMENT, "--course", str(course)],
                           capture_output=True, text=True, timeout=300)
    assert batch.returncode == 2 and "test_mine" in batch.stderr and len(batch.stderr.strip().splitlines()) == 1


def test_adding_the_chapter_to_an_existing_course_on_postgresql(tmp_path):
    """The README's recipe: a course with its own config, course id and PostgreSQL gradebook gets
    source/ch09 copied in and two lines added to its nbgrader_config.py; check says it is set up,
    the chapter grades into that gradebook, and the course's own homework still goes to nbgrader."""
    from pg_cluster import create_database, throwaway_postgres

    from autograder.settings import SOURCE_ROOT

    course = tmp_path / "intro-ml"
    (course / "source").mkdir(parents=True)
    shutil.copytree(SOURCE_ROOT / ASSIGNMENT, course / "source" / ASSIGNMENT)          # 1. what to copy
    (course / "source" / "hw2").mkdir()
    nbformat.write(HW2, course / "source" / "hw2" / "hw2.ipynb")
    with throwaway_postgres() as server:
        url = create_database(server, "intro_ml")
        (course / "nbgrader_config.py").write_text(
            "c = get_config()\n"
            'c.CourseDirectory.course_id = "intro-ml-2026"\n'
            f'c.CourseDirectory.db_url = "{url}"\n'
            "c.Execute.timeout = 3\n"
            "\n# the chapter 9 exercises (rnn-ch09-course)\n"                                # 2. the lines to merge
            "from autograder.course_config import add_chapter\n"
            "add_chapter(c)\n", encoding="utf-8")
        for assignment in (ASSIGNMENT, "hw2"):
            nbgrader(course, "generate_assignment", assignment, "--force")
        check = subprocess.run([sys.executable, "-m", "autograder", "check", "--course", str(course)],
                               capture_output=True, text=True, timeout=300)               # 3. the check
        assert check.returncode == 0, check.stdout + check.stderr[-2000:]
        assert "intro-ml-2026" in check.stdout and "postgresql" in check.stdout
        _only_02(write_submissions(course, ASSIGNMENT, {"kim": ["solution"]}))
        _submit(course, "hw2", "hw2", sleep=0)
        for assignment in (ASSIGNMENT, "hw2"):
            proc = _autograde(course, assignment)
            assert proc.returncode == 0, proc.stderr[-3000:]
        with Gradebook(url, "intro-ml-2026") as gb:
            chapter = gb.find_submission_notebook("02_parameter_counts", ASSIGNMENT, "kim").score
            homework = gb.find_submission_notebook("hw2", "hw2", "right").score
    assert chapter == 12.0 and homework == 3.0  # test_f, test_one_hot and (sleeping 0 s here) test_slow
