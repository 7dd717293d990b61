"""The real nbgrader CLI: autograde agrees with the JSON path, feedback hides hidden tests, stderr is harmless."""
import json

import lxml.html
import nbformat
import pytest
from nbconvert import HTMLExporter
from nbgrader.utils import determine_grade

from autograder.grading.grade import grade_notebook
from autograder.settings import GradingSettings
from helpers import ASSIGNMENT, MARKUP_NOTEBOOK, RELEASE, chromium_path, run_cli
from samples.course import gradebook_scores, release_differences
from samples.markup import ON_CLICK


def test_generated_release_matches_the_committed_one(course):
    assert release_differences(course / "release" / ASSIGNMENT, RELEASE) == []


def test_json_path_and_nbgrader_autograde_agree(course, assignment, test_students, model_cache):
    """Notebook 05 included: the grader's trained models are the session's (as one class shares them)."""
    gradebook = gradebook_scores(course, ASSIGNMENT)
    assert set(gradebook) == set(test_students)
    settings = GradingSettings(model_cache=model_cache)
    for student in test_students:
        for path in sorted((course / "submitted" / student / ASSIGNMENT).glob("*.ipynb")):
            result = grade_notebook(nbformat.read(path, as_version=4), assignment, path.stem, settings)
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


def test_model_feedback_has_the_layer_table_and_the_curves(course):
    """Notebook 05's feedback HTML: under each model's message, its layers beside the reference's and the
    grader's training curves as a picture; a stack Keras cannot build is named, with no curves."""
    choi = lxml.html.parse(str(course / "feedback" / "choi_rnn" / ASSIGNMENT / "05_imdb_models.html"))
    tables = [t for t in choi.xpath("//table") if "참조 모델의 층" in t.text_content()]
    assert len(tables) == 3
    lstm = [[td.text_content() for td in tr.xpath("td")] for tr in tables[1].xpath(".//tr")[1:]]
    assert lstm[-1][0] == "✘" and "sigmoid" in lstm[-1][1] and "sigmoid" not in lstm[-1][3]  # Dense without sigmoid
    pictures = choi.xpath("//img[starts-with(@src, 'data:image/png;base64,')]")
    assert len(pictures) == 3  # every model trained by the grader: its curves
    park = (course / "feedback" / "park_padding" / ASSIGNMENT / "05_imdb_models.html").read_text()
    assert "return_sequences=True" in park and park.count("data:image/png;base64,") == 2


def _scripts_run_in_chromium(browser, page_path):
    """The alerts a page raises when chromium opens it and then follows every link a student
    could have written (no network: the page's CDN scripts fail fast)."""
    page = browser.new_page()
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(page_path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    page.evaluate("""names => document.querySelectorAll('a').forEach(a => {
        if (names.includes(a.textContent) || a.textContent.startsWith('javascript:')) a.click(); })""",
                  list(ON_CLICK))
    page.wait_for_timeout(300)
    text = page.inner_text("body")
    page.close()
    return alerts, text


def _rendered_markdown(page_path):
    """The rendered markdown cells of an nbconvert HTML page, as HTML strings."""
    tree = lxml.html.parse(str(page_path))
    return [lxml.html.tostring(div, encoding="unicode")
            for div in tree.xpath("//div[contains(@class, 'text_cell_render')]")]


def test_student_markup_never_runs_where_feedback_or_the_autograded_copy_is_read(course, tmp_path):
    """markup_hostile's notebook carries script in its written answer, an edited course cell, added
    markdown and raw cells and an HTML output (samples.markup): none of it runs when chromium
    opens the feedback or the autograded copy as nbconvert renders it (what formgrader shows a TA),
    nor when its links are followed; the attacks are still there to read, as text."""
    playwright = pytest.importorskip("playwright.sync_api")
    feedback = course / "feedback" / "markup_hostile" / ASSIGNMENT / f"{MARKUP_NOTEBOOK}.html"
    ta_view = tmp_path / "autograded.html"
    autograded = course / "autograded" / "markup_hostile" / ASSIGNMENT / f"{MARKUP_NOTEBOOK}.ipynb"
    ta_view.write_text(HTMLExporter().from_filename(str(autograded))[0], encoding="utf-8")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            for page_path in (feedback, ta_view):
                alerts, text = _scripts_run_in_chromium(browser, page_path)
                assert alerts == [], (page_path.name, alerts)
                assert "<script>alert('script')</script>" in text and "onerror=\"alert('img')\"" not in text
        finally:
            browser.close()


def test_the_course_cells_render_as_before_beside_student_markup(course):
    """Only what markup_hostile wrote differs from an honest student's feedback: the written answer
    and the course cell it edited; every other rendered cell and every grader message is the same."""
    pages = {s: course / "feedback" / s / ASSIGNMENT / f"{MARKUP_NOTEBOOK}.html" for s in ("kim_full", "markup_hostile")}
    honest, hostile = (_rendered_markdown(pages[s]) for s in ("kim_full", "markup_hostile"))
    assert len(honest) >= 10 and len([b for b in honest if b not in hostile]) == 2
    release = nbformat.read(RELEASE / f"{MARKUP_NOTEBOOK}.ipynb", as_version=4)
    autograded = {s: nbformat.read(course / "autograded" / s / ASSIGNMENT / f"{MARKUP_NOTEBOOK}.ipynb", as_version=4)
                  for s in pages}
    tests = {s: [(c.source, c.outputs) for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
                 and c.cell_type == "code"] for s, nb in autograded.items()}
    assert tests["kim_full"] and tests["kim_full"] == tests["markup_hostile"]
    kept = [c.source for c in autograded["markup_hostile"].cells]
    plain = [c.source for c in release.cells if c.cell_type == "markdown" and not c.metadata.get("nbgrader")]
    assert len(plain) > 5 and all(source in kept for source in plain[1:])  # the first is the one the student edited
