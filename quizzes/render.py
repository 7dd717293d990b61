"""Jinja2 rendering of handouts, answer keys (HTML and Markdown) and the key sheet.

Templates live in ``quizzes/templates``; HTML templates are autoescaped and every template
runs under ``StrictUndefined``, so a missing variable stops the build instead of printing blank.
"""
import re

import jinja2
from markupsafe import Markup, escape

from quizzes.bank import PACKAGE_DIR
from quizzes.questions import LABELS
from quizzes.korean import josa
from quizzes.sheets.render import sheet_context, sheet_fields, sheet_pages
from quizzes.variants import CANONICAL

TEMPLATE_DIR = PACKAGE_DIR / "templates"
GRID_ROWS = 10  # questions per column of the Markdown handout's answer grid

COURSE = {"ko": "혼자 공부하는 머신러닝+딥러닝 · 9장 텍스트를 위한 인공 신경망",
          "en": "Machine Learning + Deep Learning, self-study · Ch. 9 Neural networks for text"}

UI = {
    "ko": {"course": "과목", "section": "절", "name": "이름", "student_id": "학번", "variant": "유형",
           "handout": "확인 문제", "answer_key": "정답과 해설", "key_sheet": "학생별 정답표",
           "grid": "답안 표기란", "question": "문항", "key": "정답", "explanation": "해설",
           "objective": "학습 목표", "page": "쪽", "canonical": "기본형", "choices": "답 (하나만 칠하기)",
           "instructions": "각 문항에서 알맞은 답을 하나만 골라 답안지에 표시하시오.", "sheet": "답안지",
           "blank_page": "이 쪽은 비워 두었습니다: 답안지는 새 장에서 시작합니다 (양면 인쇄).",
           "sheet_instructions": "문항마다 칸 하나를 칠하거나 V·X로 표시하세요. 고칠 때는 지우개로 깨끗이 지우거나, "
                                 "잘못 표시한 칸을 까맣게 모두 칠하고 새 답을 표시하세요. 네 귀퉁이의 검은 네모와 "
                                 "QR 코드에는 아무것도 쓰지 마세요."},
    "en": {"course": "Course", "section": "Section", "name": "Name", "student_id": "Student ID",
           "variant": "Variant", "handout": "Quiz", "answer_key": "Answer key", "key_sheet": "Key sheet",
           "grid": "Answer sheet", "question": "Q", "key": "Key", "explanation": "Explanation",
           "objective": "Objective", "page": "page", "canonical": "canonical", "choices": "Answer (fill one)",
           "instructions": "Choose the one best answer to each question and mark it on the answer sheet.",
           "sheet": "Answer sheet",
           "blank_page": "This page is left blank: the answer sheet starts on a new leaf (double-sided printing).",
           "sheet_instructions": "Fill one box per question, or mark it with a tick or a cross. To change an "
                                 "answer, erase it cleanly or fill the wrong box completely black, then mark "
                                 "the new one. Write nothing on the black corner squares or the QR code."},
}

_INLINE = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`")


def inline_html(text):
    """Markdown-lite to safe HTML: **bold** -> <strong>, `code` -> <code>, newlines -> <br>."""
    parts, pos = [], 0
    for m in _INLINE.finditer(text):
        parts.append(escape(text[pos:m.start()]))
        if m.group(1) is not None:
            parts.append(Markup("<strong>%s</strong>") % inline_html(m.group(1)))
        else:
            parts.append(Markup("<code>%s</code>") % m.group(2))
        pos = m.end()
    parts.append(escape(text[pos:]))
    return Markup("").join(parts).strip().replace("\n", Markup("<br>"))


def css_string(text):
    """A CSS string literal (for ``content:`` in @page margin boxes), safe inside <style>."""
    body = "".join(ch if ch.isalnum() or ch in " -·.,:/()[]_" or ord(ch) > 127 else f"\\{ord(ch):x} "
                   for ch in str(text))
    return Markup(f'"{body}"')


def question_html(question, lang):
    """The stem (and code block) of a Question as an HTML fragment, for LMS exports."""
    stem = Markup("<p>%s</p>") % inline_html(question.stem[lang])
    if question.code:
        stem += Markup("<pre><code>%s</code></pre>") % question.code
    return str(stem)


def _mm(value):
    """A length in mm for CSS: ``12.5`` -> ``"12.5mm"`` (3 decimals at most)."""
    return f"{round(float(value), 3):g}mm"


def _environment():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True)
    env.filters.update(inline=inline_html, css_string=css_string, josa=josa, mm=_mm)
    return env


ENV = _environment()


def _context(form, lang, course):
    return {
        "lang": lang, "ui": UI[lang], "labels": LABELS, "course": course or COURSE[lang],
        "section": form.section, "title": form.title[lang],
        "variant": UI[lang]["canonical"] if form.variant == CANONICAL else form.variant,
        "student": form.student, "grid_rows": GRID_ROWS,
        "questions": [dict(q.text(lang), number=n) for n, q in enumerate(form.questions, 1)],
    }


def render(template, form, lang="ko", course=None):
    """Render one form with ``template`` ("handout.html", "key.html", "handout.md", "key.md");
    the HTML handout ends with the copy's answer sheet."""
    context = _context(form, lang, course)
    if template == "handout.html":
        context.update(sheet=sheet_pages(form, sheet_fields(form), context["variant"]), geometry=sheet_context())
    return ENV.get_template(template).render(context)


def render_blank_sheet(form, lang="ko", course=None):
    """A blank answer sheet for ``form``'s section (any copy of it): the student bubbles 학번 and
    the variant code printed on their handout."""
    context = _context(form, lang, course)
    context.update(student=None, sheet=sheet_pages(form, sheet_fields(form, blank=True)), geometry=sheet_context())
    return ENV.get_template("answer_sheet.html").render(context)


def render_key_sheet(forms, lang="ko", course=None):
    """HTML table of every student's variant code and keys (labels ①-④), for printing."""
    first = _context(forms[0], lang, course)
    rows = [{"student": f.student, "variant": f.variant, "answers": [LABELS[q.key - 1] for q in f.questions]}
            for f in forms]
    return ENV.get_template("key_sheet.html").render(first, rows=rows,
                                                     width=max(len(f.questions) for f in forms))
