"""Jinja rendering: StrictUndefined, autoescape, exam labels, header, answer grid, languages."""
import re
from dataclasses import replace

import jinja2
import pytest

from quizzes.bank import load_section
from quizzes.questions import LABELS
from quizzes.render import ENV, css_string, inline_html, render, render_key_sheet
from quizzes.variants import RosterEntry, canonical_form, student_forms

from quiz_support import FIXTURE_BANK



@pytest.fixture(scope="module")
def forms():
    bank = load_section("9-2", FIXTURE_BANK)
    return canonical_form(bank, 0), student_forms(bank, 0, [RosterEntry("2024001", "김철수"), RosterEntry("2024002", "이영희")])


def test_strict_undefined_stops_rendering(forms):
    canonical, _ = forms
    with pytest.raises(jinja2.UndefinedError):
        ENV.get_template("handout.html").render(lang="ko")
    template = ENV.from_string("{{ student.nickname }}")
    with pytest.raises(jinja2.UndefinedError):
        template.render(student=RosterEntry("1", "a"))


def test_html_is_autoescaped_and_markdown_lite_works(forms):
    canonical, _ = forms
    evil = replace(canonical.questions[0], stem={"ko": "<script>alert(1)</script> **아닌** `x<y`", "en": "e"})
    html = render("handout.html", replace(canonical, questions=(evil,)))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>아닌</strong>" in html and "<code>x&lt;y</code>" in html
    md = render("handout.md", replace(canonical, questions=(evil,)))
    assert "<script>alert(1)</script> **아닌** `x<y`" in md  # Markdown is not escaped
    assert inline_html("a\n**b `c`**") == "a<br><strong>b <code>c</code></strong>"
    assert css_string('9-2 "x" </style>') == '"9-2 \\22 x\\22  \\3c /style\\3e "'


def test_handout_header_labels_and_answer_sheet(forms):
    _, students = forms
    form = students[0]
    html = render("handout.html", form, course="테스트 과목")
    for text in ("테스트 과목", "9-2", "김철수", "2024001", form.variant, "답안지"):
        assert text in html
    n = len(form.questions)
    assert html.count('class="question"') == n
    for label in LABELS:
        assert html.count(f'<span class="label">{label}</span>') == n
    sheet = html[html.index('<section class="sheet"'):]
    assert form.variant in sheet and "2024001" in sheet  # the answer sheet identifies its copy
    assert sheet.count('class="box"') == 4 * n and sheet.count('class="mark"') == 4
    assert sheet.count("<svg") == 1  # the QR code, drawn as vector paths
    numbers = re.findall(r'<div class="l number"[^>]*>(\d+)</div>', sheet)
    assert [int(x) for x in numbers] == list(range(1, n + 1))
    assert 'class="l title"' not in sheet  # a student's own copy has nothing to bubble


def test_key_marks_the_key_and_explains(forms):
    canonical, _ = forms
    html = render("key.html", canonical)
    blocks = html.split('<li class="question"')[1:]
    assert len(blocks) == len(canonical.questions)
    for block, q in zip(blocks, canonical.questions):
        assert re.findall(r'<li class="key-choice"><span class="label">(.)</span>', block) == [LABELS[q.key - 1]]
        assert str(inline_html(q.explanation["ko"])) in block
        assert all(str(inline_html(c.why["ko"])) in block for c in q.choices)


def test_english(forms):
    canonical, _ = forms
    html = render("handout.html", canonical, lang="en")
    assert 'lang="en"' in html and "Student ID" in html and "Answer sheet" in html
    assert canonical.questions[0].stem["en"] in html and "학번" not in html


def test_markdown_handout_and_key(forms):
    canonical, _ = forms
    md = render("handout.md", canonical)
    assert md.startswith("# ") and "```python" in md and "## 답안 표기란" in md
    assert md.count("| ① | ② | ③ | ④ |") == len(canonical.questions)
    key = render("key.md", canonical)
    for n, q in enumerate(canonical.questions, 1):
        assert f"| {n} | {LABELS[q.key - 1]} |" in key


def test_key_sheet(forms):
    _, students = forms
    html = render_key_sheet(students)
    for form in students:
        row = re.search(rf"<td>{form.student.student_id}</td>.*?</tr>", html, re.S).group(0)
        assert re.findall(r"<td>([①②③④])</td>", row) == [LABELS[q.key - 1] for q in form.questions]


def test_answer_sheet_holds_every_question(forms):
    canonical, _ = forms
    long = replace(canonical, questions=canonical.questions * 4)
    sheet = render("handout.html", long).split('<section class="sheet"')[1]
    numbers = re.findall(r'<div class="l number"[^>]*>(\d+)</div>', sheet)
    assert [int(x) for x in numbers] == list(range(1, len(long.questions) + 1))
    assert ">학번<" in sheet and sheet.count('class="box"') == 4 * len(long.questions) + 100  # 10 digits x 0-9


def test_canonical_form_prints_its_korean_label(forms):
    canonical, _ = forms
    for template in ("handout.html", "key.html", "handout.md", "key.md"):
        text = render(template, canonical, "ko")
        assert "CANON" not in text and "기본형" in text, template
    assert "canonical" in render("handout.html", canonical, "en")


def test_print_css_breaks_korean_between_words():
    css = (ENV.loader.searchpath[0] + "/print.css")
    text = open(css, encoding="utf-8").read()
    assert "word-break: keep-all" in text and "page-break-before: always" not in text
