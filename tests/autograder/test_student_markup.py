"""SanitizeStudentMarkup on single cells: what a student wrote renders inert; the course's cells and
the grader's output stay byte for byte (the browser test is in test_nbgrader_e2e.py)."""
import copy
import re

import lxml.html
import nbformat
import pytest
from nbconvert import HTMLExporter
from nbgrader.utils import compute_checksum

from autograder.gradebook.student_markup import SanitizeStudentMarkup
from helpers import RELEASE
from samples.markup import ON_CLICK, ON_OPEN

ACTIVE_TAGS = {"script", "iframe", "object", "embed", "svg", "style", "input", "body", "form", "base", "meta", "link"}


def _sanitized(nb):
    nb = copy.deepcopy(nb)
    SanitizeStudentMarkup().preprocess(nb, {})
    return nb


def _page(nb):
    return HTMLExporter(template_name="basic").from_notebook_node(nb)[0]


def _active(html):
    """Tags and attributes in an nbconvert page that could run script (when it opens, or on a click)."""
    found = re.findall(rf"<(?:{'|'.join(ACTIVE_TAGS)})\b", html, flags=re.I)
    for el in lxml.html.fromstring(html).iter():
        if not isinstance(el.tag, str):
            continue
        found += [f"{el.tag}@{name}" for name in el.attrib if name.startswith("on")]
        found += [f"{el.tag}@{name}={value}" for name, value in el.attrib.items()
                  if name in ("href", "src", "data", "action") and "script:" in value.replace(" ", "").lower()]
    return found


@pytest.mark.parametrize("name", [*ON_OPEN, *ON_CLICK])
def test_each_attack_in_a_student_markdown_cell_renders_inert(name):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"내 답: {(ON_OPEN | ON_CLICK)[name]}")])
    assert _active(_page(nb)), "the attack must be live without the preprocessor"
    page = _page(_sanitized(nb))
    assert _active(page) == [] and "내 답" in lxml.html.fromstring(page).text_content()


def test_html_outputs_are_sanitized_and_scripts_removed_but_text_and_images_stay():
    cell = nbformat.v4.new_code_cell("display(...)")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<table><tr><td>1</td></tr></table>" + ON_OPEN["img"],
                                                     "application/javascript": "alert(1)", "text/plain": "표",
                                                     "image/png": "iVBORw0KGgo="}),
        nbformat.v4.new_output("display_data", data={"text/markdown": ON_CLICK["md-link"]}),
        nbformat.v4.new_output("stream", name="stdout", text="<b>출력</b>\n")]
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert _active(_page(nb))
    out = _sanitized(nb)
    assert _active(_page(out)) == []
    data = out.cells[0].outputs[0].data
    assert "application/javascript" not in data and data["text/plain"] == "표" and data["image/png"] == "iVBORw0KGgo="
    assert "<td>1</td>" in data["text/html"]
    assert out.cells[0].outputs[2] == cell.outputs[2]


def test_course_cells_answers_as_released_and_the_graders_output_are_untouched():
    release = nbformat.read(RELEASE / "01_padding_encoding.ipynb", as_version=4)
    nb = copy.deepcopy(release)
    locked = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("locked") and c.cell_type == "markdown")
    locked.source = "<b>강사의 표</b> <img src=\"x.png\" onerror=\"x()\">"  # the course may write anything
    locked.metadata.nbgrader["checksum"] = compute_checksum(locked)  # as the gradebook records it
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code")
    test.outputs = [nbformat.v4.new_output("stream", name="stdout", text="<정답> 3/3\n"),
                    nbformat.v4.new_output("execute_result", data={"text/plain": "3.0"}, execution_count=1)]
    assert _sanitized(nb) == nb


def test_only_a_changed_cell_with_markup_changes_and_twice_is_once():
    release = nbformat.read(RELEASE / "01_padding_encoding.ipynb", as_version=4)
    nb = copy.deepcopy(release)
    written = next(c for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution"))
    written.source = "앞쪽 패딩: `a < b` **중요** " + ON_OPEN["img"]
    plain = next(c for c in nb.cells if c.cell_type == "markdown" and not c.metadata.get("nbgrader"))
    plain.source += "\n\n> 인용과 `x & y` 그리고 [링크](https://keras.io)"  # markdown only: left as written
    once = _sanitized(nb)
    changed = [i for i, (a, b) in enumerate(zip(nb.cells, once.cells)) if a != b]
    assert changed == [nb.cells.index(written)]
    assert _sanitized(once) == once
    assert "a &lt; b" in once.cells[changed[0]].source and "<strong>중요</strong>" in once.cells[changed[0]].source
