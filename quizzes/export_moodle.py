"""Moodle XML export: one multichoice question per item, parameterized items as fixed variants.

Each section goes into its own question category; the variants of a parameterized item go
into a sub-category of their own, ready for a "random question from category" slot.
"""
import xml.etree.ElementTree as ET

from quizzes.render import inline_html, question_html
from quizzes.xmlwrite import document, element

# Moodle's grade options (question/type/questionbase / get_grade_options), in percent.
MOODLE_FRACTIONS = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
                    16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0)
CORRECT, WRONG = 100, 0
PENALTY = "0.3333333"  # one of Moodle's penalty options: a third off per wrong try
CATEGORY = {"ko": "9장 확인 문제", "en": "Chapter 9 quizzes"}
_FEEDBACK = {"ko": ("정답입니다.", "다시 생각해 보세요."), "en": ("Correct.", "Not quite; think again.")}


def _text(parent, tag, text, html=True):
    """Moodle's text field: ``<tag format="html"><text>...</text></tag>``."""
    node = element(parent, tag, {"format": "html"} if html else None)
    element(node, "text", text=text)
    return node


def _category(quiz, names):
    """A category question for the path ``names`` (a "/" inside a name is written "//")."""
    question = element(quiz, "question", {"type": "category"})
    path = "/".join(name.replace("/", "//") for name in names)
    _text(question, "category", f"$course$/top/{path}", html=False)


def _multichoice(quiz, q, lang, name, idnumber):
    question = element(quiz, "question", {"type": "multichoice"})
    _text(question, "name", name, html=False)
    _text(question, "questiontext", question_html(q, lang))
    _text(question, "generalfeedback", str(inline_html(q.explanation[lang])))
    for tag, value in (("defaultgrade", "1"), ("penalty", PENALTY), ("hidden", "0"),
                       ("idnumber", idnumber), ("single", "true"), ("shuffleanswers", "true"),
                       ("answernumbering", "123"), ("showstandardinstruction", "0")):
        element(question, tag, text=value)
    right, wrong = _FEEDBACK[lang]
    _text(question, "correctfeedback", right)
    _text(question, "partiallycorrectfeedback", "")
    _text(question, "incorrectfeedback", wrong)
    for number, choice in enumerate(q.choices, 1):
        fraction = CORRECT if number == q.key else WRONG
        answer = element(question, "answer", {"fraction": f"{fraction:g}", "format": "html"})
        element(answer, "text", text=str(inline_html(choice.text[lang])))
        _text(answer, "feedback", str(inline_html(choice.why[lang])))


def moodle_xml(sections, lang="ko"):
    """Moodle XML (a str) for [(Section, export_groups(...)), ...]."""
    quiz = ET.Element("quiz")
    for bank, groups in sections:
        base = [CATEGORY[lang], f"{bank.section} {bank.title[lang]}"]
        _category(quiz, base)
        for item_id, questions in groups:
            if questions[0].origin != "parametric":
                _multichoice(quiz, questions[0], lang, item_id, item_id)
        for item_id, questions in groups:
            if questions[0].origin == "parametric":
                _category(quiz, [*base, item_id])
                for n, q in enumerate(questions, 1):
                    _multichoice(quiz, q, lang, f"{item_id} v{n}", f"{item_id}-v{n}")
    return document(quiz)
