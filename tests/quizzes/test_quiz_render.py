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


def test_handout_header_labels_and_grid(forms):
    _, students = forms
    form = students[0]
    html = render("handout.html", form, course="테스트 과목")
    for text in ("테스트 과목", "9-2", "김철수", "2024001", form.variant, "답안 표기란"):
        assert text in html
    n = len(form.questions)
    assert html.count('class="question"') == n
    for label in LABELS:
        assert html.count(f'<span class="label">{label}</span>') == n
    grid = html[html.index('<section class="grid">'):]
    assert form.variant in grid and "2024001" in grid  # the answer page identifies its copy
    tables = re.findall(r'<table class="bubbles">(.*?)</table>', grid, re.S)
    assert len(tables) == (n + 9) // 10  # columns of at most 10 questions
    # one row per question: its number, then one text cell with the four bubbles to fill
    rows = [r for t in tables for r in re.findall(r"<tr><th>(\d+)</th><td>([^<]*)</td></tr>", t)]
    assert [int(number) for number, _ in rows] == list(range(1, n + 1))
    assert all(cells.split() == list(LABELS) for _, cells in rows)
    assert all(re.search(r"<tr><th>문항</th><th>답 \(하나만 칠하기\)</th></tr>", t) for t in tables)


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


def test_grid_columns_of_ten(forms):
    canonical, _ = forms
    long = replace(canonical, questions=canonical.questions * 4)  # 24 questions
    grid = render("handout.html", long).split('<section class="grid">')[1]
    assert [t.count("<tr><th>") - 1 for t in grid.split('<table class="bubbles">')[1:]] == [10, 10, 4]


def test_canonical_form_prints_its_korean_label(forms):
    canonical, _ = forms
    for template in ("handout.html", "key.html", "handout.md", "key.md"):
        text = render(template, canonical, "ko")
        assert "CANON" not in text and "기본형" in text, template
    assert "canonical" in render("handout.html", canonical, "en")


def test_grid_header_has_no_empty_cells(forms):
    _, students = forms
    grid = render("handout.html", students[0]).split('<section class="grid">')[1]
    headers = re.findall(r"<th[^>]*>(.*?)</th>", grid)
    assert headers and all(h.strip() for h in headers), headers


def test_print_css_breaks_korean_between_words():
    css = (ENV.loader.searchpath[0] + "/print.css")
    text = open(css, encoding="utf-8").read()
    assert "word-break: keep-all" in text and "page-break-before: always" not in text
