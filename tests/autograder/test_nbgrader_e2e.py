"""The real nbgrader CLI: autograde agrees with the JSON path, feedback hides hidden tests, stderr is harmless."""
import json

import nbformat
from nbgrader.utils import determine_grade

from autograder.grade import grade_notebook
from helpers import ASSIGNMENT, RELEASE, run_cli
from samples.course import gradebook_scores, release_differences


def test_generated_release_matches_the_committed_one(course):
    assert release_differences(course / "release" / ASSIGNMENT, RELEASE) == []


def test_json_path_and_nbgrader_autograde_agree(course, assignment, test_students):
    gradebook = gradebook_scores(course, ASSIGNMENT)
    assert set(gradebook) == set(test_students)
    for student in test_students:
        for path in sorted((course / "submitted" / student / ASSIGNMENT).glob("*.ipynb")):
            result = grade_notebook(nbformat.read(path, as_version=4), assignment, path.stem)
            for p in result["parts"]:
                if p["function"]:
                    score, max_score = gradebook[student][path.stem][p["grade_id"]]
                    assert (score, max_score) == (p["score"], p["max_score"]), (student, path.stem, p["grade_id"])


def test_cli_prints_what_grade_notebook_returns(course, assignment):
    path = course / "submitted" / "park_padding" / ASSIGNMENT / "01_padding_encoding.ipynb"
    proc = run_cli("grade", path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout) == grade_notebook(nbformat.read(path, as_version=4), assignment, path.stem)


def test_manual_parts_wait_for_the_instructor(course):
    scores = gradebook_scores(course, ASSIGNMENT)["kim_full"]["01_padding_encoding"]
    assert scores["written_padding_side"][0] is None


def test_correct_answer_with_stderr_noise_keeps_full_marks(course):
    for notebook, grades in gradebook_scores(course, ASSIGNMENT)["noisy_full"].items():
        for grade_id, (score, max_score) in grades.items():
            if grade_id.startswith("test_"):
                assert score == max_score, (notebook, grade_id)


def test_stock_nbgrader_would_zero_a_cell_with_stderr():
    """Why the sandboxed path matters: nbgrader scores any stderr output in a test cell as 0."""
    cell = nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {
        "grade": True, "solution": False, "points": 3, "grade_id": "t", "schema_version": 3}})
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="oneDNN custom operations are on\n")]
    assert determine_grade(cell) == (0, 3)


def test_feedback_shows_messages_not_hidden_tests(course, test_students):
    pages = sorted((course / "feedback").glob(f"*/{ASSIGNMENT}/*.html"))
    assert len(pages) == len(test_students) * len(list(RELEASE.glob("*.ipynb")))
    for page in pages:
        html = page.read_text()
        assert "HIDDEN TESTS" not in html and "autograder" not in html and "check(" not in html, page
    park = (course / "feedback" / "park_padding" / ASSIGNMENT / "01_padding_encoding.html").read_text()
    assert "패딩을 반대쪽에 넣었습니다" in park
