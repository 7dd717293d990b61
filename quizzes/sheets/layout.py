"""The answer sheet's layout, computed from ``sheet.yaml`` (millimetres on an A4 page).

A sheet is one or more pages (``PageLayout``). Each page has the four corner marks, the QR
code's square, the boxes to mark (``Box``) and the labels printed beside them (``Label``).
``sheet_layout(choices, fields)`` lays out a copy whose question i has ``choices[i - 1]``
choices, with bubbles on every page for the ``fields`` the QR code does not carry
(``"student_id"``: 학번, a column of 0-9 per digit; ``"variant"``: the variant code, a row of
the code's alphabet per character). The PDF renderer draws exactly these objects and the scan
reader measures exactly these boxes; ``layout_hash`` names what the reader relies on and goes
into the QR code.
"""
import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from quizzes.variants import CODE_ALPHABET, CODE_LENGTH

SPEC_PATH = Path(__file__).with_name("sheet.yaml")
FIELDS = ("student_id", "variant")
CHOICE_LABELS = "①②③④⑤⑥⑦⑧"
DIGITS = "0123456789"
ANSWER = "answer"


@dataclass(frozen=True)
class Box:
    """One box to mark, its top-left corner and size in mm. ``field`` is ``"answer"`` (``row`` =
    question number, ``value`` = choice 1..n), ``"student_id"`` (``row`` = digit position from 0,
    ``value`` = the digit) or ``"variant"`` (``row`` = character position, ``value`` = the
    character). The boxes of one (field, row) are the alternatives of which one is marked."""

    field: str
    row: int
    value: object
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Label:
    """Text printed on the sheet: ``kind`` is "number", "choice", "digit", "char", "title" (``text``
    names the field; the template prints its name in the handout's language) or "write_in" (an
    empty square for the student's handwriting); its box in mm."""

    kind: str
    text: str
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class PageLayout:
    """One page of a sheet (page numbers from 1), every position in mm."""

    page: int
    pages: int
    size: tuple  # (width, height)
    marks: tuple  # centres (x, y): top left, top right, bottom right, bottom left
    mark_size: float
    qr: tuple  # (x, y, side)
    boxes: tuple
    labels: tuple
    questions: tuple  # the question numbers on this page
    fields: tuple  # the fields bubbled on this page, in FIELDS order

    def rows(self):
        """{(field, row): [Box, ...]} in printed order: each row's alternatives."""
        rows = {}
        for box in self.boxes:
            rows.setdefault((box.field, box.row), []).append(box)
        return rows

    def hash(self):
        """8 hex digits of SHA-256 over the geometry the reader measures (marks, QR, boxes)."""
        data = [self.page, self.pages, self.size, self.marks, self.mark_size, self.qr,
                [(b.field, b.row, str(b.value), b.x, b.y, b.w, b.h) for b in self.boxes]]
        text = json.dumps(data, separators=(",", ":"), default=lambda v: round(v, 3))
        return hashlib.sha256(text.encode("ascii")).hexdigest()[:8]


@lru_cache(maxsize=1)
def spec():
    """The parsed ``sheet.yaml``."""
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def _box(field, row, value, cx, cy, s):
    size = s["answers" if field == ANSWER else field]["box"]
    w, h = size["width"], size["height"]
    return Box(field, row, value, round(cx - w / 2, 3), round(cy - h / 2, 3), w, h)


def _student_id_block(y, s, boxes, labels):
    """학번 bubbles from ``y`` down; returns the block's bottom."""
    b = s["student_id"]
    x0 = s["header"]["x"]
    labels.append(Label("title", "student_id", x0, y, 40, 5))
    top = y + 5
    grid = top + b["write_in"] + 1
    for d in range(b["digits"]):
        cx = x0 + b["label"] + (d + 0.5) * b["pitch_x"]
        labels.append(Label("write_in", "", cx - b["pitch_x"] / 2 + 0.3, top, b["pitch_x"] - 0.6, b["write_in"]))
        for r, digit in enumerate(DIGITS):
            boxes.append(_box("student_id", d, digit, cx, grid + (r + 0.5) * b["pitch_y"], s))
    for r, digit in enumerate(DIGITS):
        labels.append(Label("digit", digit, x0, grid + r * b["pitch_y"], b["label"], b["pitch_y"]))
    return grid + len(DIGITS) * b["pitch_y"]


def _variant_block(y, s, boxes, labels):
    """Variant-code bubbles from ``y`` down; returns the block's bottom."""
    v = s["variant"]
    x0 = s["header"]["x"]
    labels.append(Label("title", "variant", x0, y, 40, 5))
    head = y + 5
    grid = head + v["head"]
    for c, char in enumerate(CODE_ALPHABET):
        labels.append(Label("char", char, x0 + v["label"] + c * v["pitch_x"], head, v["pitch_x"], v["head"]))
    for r in range(CODE_LENGTH):
        cy = grid + (r + 0.5) * v["pitch_y"]
        labels.append(Label("number", str(r + 1), x0, grid + r * v["pitch_y"], v["label"], v["pitch_y"]))
        for c, char in enumerate(CODE_ALPHABET):
            boxes.append(_box("variant", r, char, x0 + v["label"] + (c + 0.5) * v["pitch_x"], cy, s))
    return grid + CODE_LENGTH * v["pitch_y"]


def _answer_rows(y, s):
    a = s["answers"]
    return min(a["max_rows"], math.floor((s["bottom"] - y - a["head"]) / a["pitch_y"]))


def _answer_block(y, numbers, choices, s, boxes, labels):
    """Answer boxes of questions ``numbers`` from ``y`` down, column by column."""
    a = s["answers"]
    rows = math.ceil(len(numbers) / a["columns"])
    for c in range(a["columns"]):
        column = numbers[c * rows:(c + 1) * rows]
        if not column:
            break
        x0 = s["header"]["x"] + c * a["column_width"]
        width = max(choices[n - 1] for n in column)
        for k in range(width):
            labels.append(Label("choice", CHOICE_LABELS[k], x0 + a["number"] + k * a["pitch_x"], y,
                                a["pitch_x"], a["head"]))
        for r, number in enumerate(column):
            top = y + a["head"] + r * a["pitch_y"]
            labels.append(Label("number", str(number), x0, top, a["number"], a["pitch_y"]))
            for k in range(choices[number - 1]):
                boxes.append(_box(ANSWER, number, k + 1, x0 + a["number"] + (k + 0.5) * a["pitch_x"],
                                  top + a["pitch_y"] / 2, s))


def sheet_layout(choices, fields=()):
    """The pages of a sheet for questions with ``choices`` choices each (a sequence of ints),
    with bubbles for ``fields`` (a subset of FIELDS) on every page."""
    s = spec()
    fields = tuple(f for f in FIELDS if f in fields)
    if not choices or max(choices) > len(CHOICE_LABELS) or min(choices) < 2:
        raise ValueError(f"an answer sheet needs 1+ questions of 2-{len(CHOICE_LABELS)} choices, not {choices}")

    def blocks(boxes, labels):
        y = s["top"]
        for field in fields:
            block = _student_id_block if field == "student_id" else _variant_block
            y = block(y, s, boxes, labels) + s["gap"]
        return y

    answers_top = blocks([], [])
    per_page = _answer_rows(answers_top, s) * s["answers"]["columns"]
    numbers = list(range(1, len(choices) + 1))
    chunks = [numbers[i:i + per_page] for i in range(0, len(numbers), per_page)]
    pages = []
    for page, chunk in enumerate(chunks, 1):
        boxes, labels = [], []
        y = blocks(boxes, labels)
        _answer_block(y, chunk, choices, s, boxes, labels)
        pages.append(PageLayout(page, len(chunks), (s["page"]["width"], s["page"]["height"]),
                                tuple(tuple(c) for c in s["mark"]["centers"]), s["mark"]["size"],
                                (s["qr"]["x"], s["qr"]["y"], s["qr"]["size"]), tuple(boxes), tuple(labels),
                                tuple(chunk), fields))
    return tuple(pages)
