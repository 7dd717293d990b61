"""Each box's ink on a straightened page, and what each row of boxes says.

Ink is measured against the page itself: the paper's local brightness (a grey closing wider than
any box, so shadows and uneven light cancel out) gives each pixel's ink, 0 (paper) to 1 (black).
A pixel is inked above ``threshold``, a fraction of how dark this page's clear marks are (a soft
pencil page gets a lower one than a pen page, within bounds). A box's ``cover`` is the share of
its interior inked (the printed outline left out, the row first aligned on its printed outlines
to within 1.5 mm), beyond that of the row's emptiest box. Two thresholds, as in auto-multiple-choice, split the boxes:

    cover <  EMPTY                 empty ("erased" when the interior is still greyer than the row's
                                   emptiest box: a rubbed-out mark, or one too faint to count)
    EMPTY <= cover < MARKED        doubtful: sent to review
    MARKED <= cover                marked ("cancelled" when filled solid beside a lighter mark in the
                                   row; doubtful when far paler than the page's marks: a rub that shows)

(EMPTY_ID instead of EMPTY for the small 학번 and variant bubbles, which are filled; a greyed
bubble there is a blank position: a 학번 read wrong that way is caught by the roster, the variant
code's own student and the code list, which send the sheet to review.)

A row's answer is its one marked box, beside which greyed boxes are erased answers; a doubtful
box alone in an otherwise clean row is a light mark and counts. Two or more marked boxes, a
doubtful box beside other ink, or a greyed box in a row with nothing marked (an answer rubbed
out, or a mark too faint to count) is a problem that goes to review, with the best reading.
"""
from dataclasses import dataclass

import cv2
import numpy as np

from quizzes.scan.locate import R
from quizzes.sheets.layout import ANSWER, spec

EMPTY = 0.05
EMPTY_ID = 0.15  # 학번 and variant bubbles are small and filled, not ticked: noise weighs more, marks are larger
MARKED = 0.12
SOLID = 0.90  # a box this covered beside a lighter mark was filled to cancel it
LIGHTER = 0.75  # ... when the other mark covers less than this
FAINT = 0.015  # mean ink of a box's interior above the row's emptiest box: ink, if too little to count
THRESHOLD = (0.12, 0.30)  # bounds of the per-pixel ink threshold
PALE = 0.5  # a marked box whose ink is under this share of the page's marks' is doubtful
SHIFT_MM = 1.5  # how far a row is searched for its printed outlines


@dataclass
class BoxRead:
    """One box: its value (choice number, digit, character), cover and mean ink of the
    interior (0-1) and state: "empty", "erased", "doubtful", "marked" or "cancelled"."""

    value: object
    cover: float
    ink: float
    state: str


@dataclass
class RowRead:
    """One row of alternatives: ``value`` is what it says ("" for nothing marked; for a double
    mark the values joined by "/"), ``problem`` why it goes to review ("" when it does not),
    ``rect`` its area on the straightened page (x, y, w, h in px) for the review's crop."""

    field: str
    row: int
    boxes: list
    value: str
    problem: str
    rect: tuple


def ink_map(straight):
    """Ink (float32, 0 paper - 1 black) of a straightened page, against the paper's local brightness."""
    k = int(round(8 * R)) | 1
    paper = cv2.dilate(straight, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.blur(paper, (k, k)).astype(np.float32)
    return np.clip(1.0 - straight.astype(np.float32) / np.maximum(paper, 1.0), 0.0, 1.0)


def _px(v):
    return int(round(v * R))


def _interior(box, dx=0, dy=0):
    inset = spec()["box"]["line"] + 0.45
    return (slice(_px(box.y + inset) + dy, _px(box.y + box.h - inset) + dy),
            slice(_px(box.x + inset) + dx, _px(box.x + box.w - inset) + dx))


def _row_shift(lines, boxes):
    """(dx, dy) in px that lays the row's printed outlines best on the page's thin lines
    (template matching of the outline rings; fills, wider than a line, are not in ``lines``)."""
    pad = _px(SHIFT_MM)
    x0, y0 = _px(min(b.x for b in boxes)), _px(min(b.y for b in boxes))
    x1, y1 = _px(max(b.x + b.w for b in boxes)), _px(max(b.y + b.h for b in boxes))
    template = np.zeros((y1 - y0 + 1, x1 - x0 + 1), np.float32)
    for b in boxes:
        cv2.rectangle(template, (_px(b.x) - x0, _px(b.y) - y0), (_px(b.x + b.w) - x0, _px(b.y + b.h) - y0), 1.0, 1)
    wy0, wx0 = max(0, y0 - pad), max(0, x0 - pad)
    window = lines[wy0:y1 + pad + 1, wx0:x1 + pad + 1]
    if window.shape[0] < template.shape[0] or window.shape[1] < template.shape[1]:
        return 0, 0
    score = cv2.matchTemplate(window, template, cv2.TM_CCORR)
    _, best, _, (bx, by) = cv2.minMaxLoc(score)
    return (bx + wx0 - x0, by + wy0 - y0) if best > 0 else (0, 0)


def _mark_ink(ink, rows):
    """How dark this page's clear marks are: the median over boxes well covered of their 90th
    percentile of ink (None with fewer than 3 such boxes)."""
    first = THRESHOLD[1] - 0.08
    strong = []
    for boxes, (dx, dy) in rows:
        for b in boxes:
            pixels = ink[_interior(b, dx, dy)]
            if pixels.size and (pixels > first).mean() > 0.3:
                strong.append(np.percentile(pixels, 90))
    return float(np.median(strong)) if len(strong) >= 3 else None


def _threshold(level):
    """The per-pixel ink threshold of a page whose marks are ``level`` dark: 40% of it, within
    THRESHOLD."""
    return THRESHOLD[1] - 0.08 if level is None else float(np.clip(0.4 * level, *THRESHOLD))


def _row_reads(ink, boxes, shift, level, empty=EMPTY):
    """BoxReads of one row, cover and ink counted beyond the row's emptiest box (noise and
    speckle are the same in all its boxes); a box under EMPTY whose interior is greyer than the
    emptiest by FAINT or more is "erased" (a rubbed-out mark, or a mark too faint to count)."""
    threshold = _threshold(level)
    measured = []
    for box in boxes:
        pixels = ink[_interior(box, *shift)]
        measured.append((float((pixels > threshold).mean()), float(pixels.mean()),
                         float(np.percentile(pixels, 90))) if pixels.size else (0.0, 0.0, 0.0))
    least = min(m[0] for m in measured)
    floor = min(m[1] for m in measured)
    reads = []
    for box, (cover, mean, dark) in zip(boxes, measured):
        cover -= least
        state = ("marked" if cover >= max(MARKED, empty) else "doubtful" if cover >= empty
                 else "erased" if mean - floor >= FAINT else "empty")
        if state == "marked" and level is not None and dark < PALE * level:
            state = "doubtful"  # far paler than this page's marks: a rubbed-out mark that still shows
        reads.append(BoxRead(box.value, round(cover, 3), round(mean, 3), state))
    return reads


def _decide(field, reads):
    """(value, problem) of one row of BoxReads; marks a cancelled box in place."""
    marked = [r for r in reads if r.state == "marked"]
    if len(marked) >= 2 and field == ANSWER:
        solid = [r for r in marked if r.cover >= SOLID]
        light = [r for r in marked if r.cover < LIGHTER]
        if solid and len(light) == 1 and len(solid) + 1 == len(marked):
            for r in solid:
                r.state = "cancelled"
            marked = light
    doubtful = [r for r in reads if r.state == "doubtful"]
    erased = [r for r in reads if r.state == "erased"]
    if not marked and len(doubtful) == 1 and not erased:  # a light mark, alone in a clean row
        doubtful[0].state = "marked"
        marked, doubtful = doubtful, []
    value = "/".join(str(r.value) for r in marked)
    if len(marked) >= 2:
        return value, "두 개 이상 표시 (more than one box marked)"
    if doubtful:
        return value, "흐리거나 작은 표시 (faint or small mark)"
    if not marked and erased and field == ANSWER:  # rubbed out to leave it blank, or too faint to count
        return value, "지운 자국이나 아주 흐린 표시만 있음 (only an erased or very faint mark)"
    return value, ""


def read_page(straight, layout):
    """{(field, row): RowRead} of every row of boxes on a straightened page of ``layout``."""
    ink = ink_map(cv2.GaussianBlur(straight, (3, 3), 0))
    lines = ink - cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    rows = [(boxes, _row_shift(lines, boxes)) for boxes in layout.rows().values()]
    level = _mark_ink(ink, rows)
    result = {}
    for boxes, shift in rows:
        reads = _row_reads(ink, boxes, shift, level, EMPTY if boxes[0].field == ANSWER else EMPTY_ID)
        value, problem = _decide(boxes[0].field, reads)
        x0, y0 = min(b.x for b in boxes), min(b.y for b in boxes)
        x1, y1 = max(b.x + b.w for b in boxes), max(b.y + b.h for b in boxes)
        rect = (_px(x0 - 10) + shift[0], _px(y0 - 1.5) + shift[1], _px(x1 - x0 + 11.5), _px(y1 - y0 + 3))
        result[(boxes[0].field, boxes[0].row)] = RowRead(boxes[0].field, boxes[0].row, reads, value, problem, rect)
    return result


def outline_fit(straight, layout):
    """How well the page shows ``layout``'s printed boxes: per box, the darker of a little band
    across its left edge and of one across its top edge is taken at its weaker; the mean over
    boxes less the ink beside them. About 0.5 for a well-placed page, near 0 for a page placed
    a millimetre off, of another layout or upside down."""
    ink = ink_map(straight)
    height, width = ink.shape
    on, off = [], []
    for b in layout.boxes:
        ym, xm, x, y = _px(b.y + b.h / 2), _px(b.x + b.w / 2), _px(b.x), _px(b.y)
        if not (2 <= x and x + 2 < width and 2 <= y and y + 2 < height and ym < height and xm < width):
            on.append(0.0)
            continue
        on.append(min(ink[ym, x - 1:x + 2].max(), ink[y - 1:y + 2, xm].max()))
        off.append(ink[ym, max(0, _px(b.x - 0.9))])
    return float(np.mean(on) - (np.mean(off) if off else 0.0))
