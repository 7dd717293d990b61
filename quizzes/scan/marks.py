"""Each box's ink on a straightened page, and what each row of boxes says.

Ink is measured against the page itself: the paper's local brightness (a grey closing wider than
any mark, so shadows, their edges and uneven light cancel out) gives each pixel's ink, 0 (paper)
to 1 (black). Every row is first aligned on its printed outlines (within SHIFT_MM). Two measures
of a box's inside are taken against an empty box of its row (the row's lower median: noise,
speckle and the paper's grain, the same in all its boxes, count out):

    contrast   how dark its darkest strokes are (95th percentile of ink, CORE_MM inside the
               outline), as a share of how dark this page's marks are (the median over rows of
               their darkest box: one hand and one pen a page, whether ballpoint or light pencil)
    cover      the share of its pixels inked, a pixel being inked above the paper's noise plus 45%
               of the page's marks' darkness

Two cover thresholds, as in auto-multiple-choice, and the contrast split the boxes:

    MARKED <= cover                marked ("cancelled" when filled solid beside a lighter mark
                                   in the row); doubtful when its contrast is under PALE
    EMPTY <= cover < MARKED        doubtful: a small mark, or a pale one
    cover < EMPTY                  doubtful when its contrast is ERASED or more (a faint mark);
                                   "erased" when fainter but still greyer than an empty box by
                                   FAINT (what a rubber leaves); else empty

A box with a mark is also "rubbed" when its inside BESIDE_MM or more away from the mark's strokes
is still RUBBED greyer than an empty box (medians): a stroke over a rubbed-out mark.

A row's answer is its one marked box; a small mark as dark as the page's marks alone in an
otherwise clean row counts. A row that shows a change of mind (an erased, cancelled or rubbed
box, or beside a thin mark an empty box with a trace of ink: contrast TRACE or more) is decided
alone only when its answer is a clear mark, covering CLEAR of its box or more:
a stray stroke or a tick is the same thin line, and beside erased ink it may be either a new
answer or a stroke across a row left blank. Every other row with ink goes to review with the
reader's best reading: two or more marked boxes, a doubtful box beside other ink or a pale or
faint one alone (read as that box), a thin mark beside erased or cancelled ink or over erased
ink (read as that box), only erased ink (an answer rubbed out to leave it blank, or a mark too
faint to tell: read as that box when its contrast is VISIBLE or more, else as blank). The same
holds for the small 학번 and variant bubbles (EMPTY_ID: they are filled, not ticked), so a faint
or rubbed-out digit never shortens a 학번 unnoticed.
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
FAINT = 0.015  # mean ink of a box's inside above an empty box's: ink, if too little to count
RUBBED = 0.03  # median ink beside a mark's strokes above an empty box's: a rubbed-out mark under it (thin marks: 0.023 at most)
PALE = 0.5  # contrast under this share of the page's marks: a pale mark
ERASED = 0.3  # ... under this, what a rubber leaves of a mark (it takes 70% or more); above it, a faint mark
CLEAR = 0.5  # beside erased or cancelled ink, a mark covering less of its box (a tick, a stray stroke): review
TRACE = 0.08  # ... and beside such a mark, an empty box this much darker than the others holds a rubbed-out mark
VISIBLE = 0.15  # an erased box at least this dark is read as a faint mark, until the instructor decides
CONTRAST = 0.06  # a row's darkest box at least this much darker than an empty one holds a mark
THRESHOLD = (0.04, 0.30)  # the per-pixel ink threshold above the paper's noise: 45% of the marks' darkness, within these
SHIFT_MM = 1.5  # how far a row is searched for its printed outlines
BESIDE_MM = 0.4  # a mark's strokes and their blurred edges: ink this far from them is not theirs
CORE_MM = 0.8  # contrast is taken this far inside the outline (cover from 0.45 mm): a blurred outline stays out


@dataclass
class BoxRead:
    """One box: its value (choice number, digit, character), cover (0-1), contrast (a share of
    the page's marks, 1.0 when the page has too few marks to tell), state: "empty", "erased",
    "doubtful", "marked" or "cancelled", and rubbed: erased ink beside its mark."""

    value: object
    cover: float
    contrast: float
    state: str
    rubbed: bool = False


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
    """Ink (float32, 0 paper - 1 black) of a straightened page, against the paper's local
    brightness: a grey closing wider than any mark (marks filled in, a shadow's edge kept where
    it is), smoothed over a millimetre."""
    k = int(round(8 * R)) | 1
    paper = cv2.morphologyEx(straight, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    paper = cv2.blur(paper, (int(R) | 1, int(R) | 1)).astype(np.float32)
    return np.clip(1.0 - straight.astype(np.float32) / np.maximum(paper, 1.0), 0.0, 1.0)


def _px(v):
    return int(round(v * R))


def _interior(box, dx=0, dy=0, inset=0.45):
    """The box's inside, ``inset`` mm within its printed outline: (row slice, column slice) in px."""
    inset += spec()["box"]["line"]
    return (slice(_px(box.y + inset) + dy, _px(box.y + box.h - inset) + dy),
            slice(_px(box.x + inset) + dx, _px(box.x + box.w - inset) + dx))


def _outline_shift(lines, boxes, reach_mm, start=(0, 0)):
    """((dx, dy) in px that lays the printed outlines of ``boxes`` best on the page's thin lines,
    searched within ``reach_mm`` of ``start``, fit): template matching of the outline rings (fills,
    wider than a line, are not in ``lines``); fit is how much the best place stands out from the
    rest of the search window, (best - median) / best, 0 when it lies on the window's edge (the
    outlines are farther off). ``start`` and fit 0 when nothing matches."""
    pad = _px(reach_mm)
    x0, y0 = _px(min(b.x for b in boxes)), _px(min(b.y for b in boxes))
    x1, y1 = _px(max(b.x + b.w for b in boxes)), _px(max(b.y + b.h for b in boxes))
    template = np.zeros((y1 - y0 + 1, x1 - x0 + 1), np.float32)
    for b in boxes:
        cv2.rectangle(template, (_px(b.x) - x0, _px(b.y) - y0), (_px(b.x + b.w) - x0, _px(b.y + b.h) - y0), 1.0, 1)
    wx0, wy0 = x0 + start[0] - pad, y0 + start[1] - pad
    if wy0 < 0 or wx0 < 0 or y1 + start[1] + pad + 1 > lines.shape[0] or x1 + start[0] + pad + 1 > lines.shape[1]:
        return start, 0.0
    score = cv2.matchTemplate(lines[wy0:y1 + start[1] + pad + 1, wx0:x1 + start[0] + pad + 1], template, cv2.TM_CCORR)
    _, best, _, (bx, by) = cv2.minMaxLoc(score)
    if best <= 0 or bx in (0, score.shape[1] - 1) or by in (0, score.shape[0] - 1):
        return start, 0.0
    return (start[0] + bx - pad, start[1] + by - pad), float((best - np.median(score)) / best)


@dataclass
class _Measured:
    """A row's boxes with its shift and fit (``_outline_shift``) and, per box, its interior's ink,
    95th percentile and mean."""

    boxes: list
    shift: tuple
    fit: float
    pixels: list
    dark: list
    mean: list


def _measure(ink, lines, boxes):
    shift, fit = _outline_shift(lines, boxes, SHIFT_MM)
    pixels, dark, mean = [], [], []
    for box in boxes:
        p = ink[_interior(box, *shift)]
        if not p.size:
            p = np.zeros(1, np.float32)
        pixels.append(p)
        core = ink[_interior(box, *shift, inset=CORE_MM)]
        dark.append(float(np.percentile(core if core.size else p, 95)))
        mean.append(float(p.mean()))
    return _Measured(boxes, shift, fit, pixels, dark, mean)


def _empty(values):
    """A row's value for an empty box: the lower median of its boxes' (at most half a row is inked)."""
    return sorted(values)[(len(values) - 1) // 2]


def _page_marks(rows):
    """(noise, level): the paper's noise (median over rows of an empty box's 95th percentile) and
    how much darker this page's marks are (median over rows holding a mark of their darkest box
    against an empty one; None with fewer than 3 such rows)."""
    noise = float(np.median([_empty(r.dark) for r in rows]))
    spans = [max(r.dark) - _empty(r.dark) for r in rows]
    spans = [s for s in spans if s >= CONTRAST]
    return noise, (float(np.median(spans)) if len(spans) >= 3 else None)


def _threshold(noise, level):
    """The per-pixel ink threshold of a page: above the paper's noise by 45% of its marks' darkness
    (within THRESHOLD; the upper bound when the page has too few marks to tell)."""
    return noise + (THRESHOLD[1] if level is None else float(np.clip(0.45 * level, *THRESHOLD)))


def _beside(pixels, threshold):
    """Median ink of a box's inside BESIDE_MM or more away from its inked pixels (``pixels`` above
    ``threshold``; the median, as a pencil stroke's grainy ends lie there too); None when under 15%
    of the inside is that far (a filled box)."""
    reach = 2 * _px(BESIDE_MM) + 1
    away = cv2.dilate((pixels > threshold).astype(np.uint8), np.ones((reach, reach), np.uint8)) == 0
    return float(np.median(pixels[away])) if away.sum() >= max(1, 0.15 * pixels.size) else None


def _row_reads(m, noise, level, empty):
    """BoxReads of one measured row."""
    threshold = _threshold(noise, level)
    covers = [float((p > threshold).mean()) for p in m.pixels]
    least, floor, emptiest = _empty(covers), _empty(m.mean), _empty(m.dark)
    paper = _empty([float(np.median(p)) for p in m.pixels])
    reads = []
    for box, cover, dark, mean, pixels in zip(m.boxes, covers, m.dark, m.mean, m.pixels):
        cover = max(0.0, cover - least)
        contrast = 1.0 if level is None else (dark - emptiest) / level
        if cover >= max(MARKED, empty):
            state = "marked" if contrast >= PALE else "doubtful"
        elif cover >= empty or contrast >= ERASED:
            state = "doubtful"
        else:
            state = "erased" if mean - floor >= FAINT else "empty"
        beside = _beside(pixels, threshold) if state in ("marked", "doubtful") else None
        rubbed = beside is not None and beside - paper >= RUBBED
        reads.append(BoxRead(box.value, round(cover, 3), round(contrast, 2), state, rubbed))
    return reads


_OVER_ERASED = ("지운 자국이나 취소한 칸 옆의 가는 표시: 새 답인지 지나간 선인지 확인 "
                "(a thin mark beside or over erased or cancelled ink: a new answer or a stray stroke)")


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
    if not marked and len(doubtful) == 1 and not erased:  # a mark alone in its row
        only = doubtful[0]
        if only.rubbed:
            return str(only.value), _OVER_ERASED
        if only.contrast >= PALE and only.cover >= EMPTY:  # small, but as dark as the page's marks: it counts
            only.state = "marked"
            return str(only.value), ""
        return str(only.value), "흐린 표시 하나만 있음 (only a faint mark)"
    value = "/".join(str(r.value) for r in marked)
    thin = len(marked) == 1 and marked[0].cover < CLEAR
    traces = [r for r in reads if r.state == "empty" and r.contrast >= TRACE]
    changed = erased or (thin and traces) or any(r.state == "cancelled" or r.rubbed for r in reads)  # a change of mind
    if len(marked) >= 2:
        return value, "두 개 이상 표시 (more than one box marked)"
    if doubtful:
        return value, "흐리거나 작은 표시 (faint or small mark)"
    if changed and (thin or marked and marked[0].rubbed):
        return value, _OVER_ERASED
    if erased and not marked:  # rubbed out to leave it blank, or a mark too faint to count
        value = str(erased[0].value) if len(erased) == 1 and erased[0].contrast >= VISIBLE else ""
        return value, "지운 자국이나 아주 흐린 표시만 있음 (only an erased or very faint mark)"
    return value, ""


def read_page(straight, layout):
    """({(field, row): RowRead} of every row of boxes on a straightened page of ``layout``, fit):
    ``fit`` is how well the page shows the printed outlines where the rows were read, the median
    over rows of ``_outline_shift``'s fit: 0.6-0.8 on scans and photos of the page, under 0.5 for
    another layout or the page upside down, 0 when the boxes are more than SHIFT_MM off."""
    ink = ink_map(cv2.GaussianBlur(straight, (3, 3), 0))
    lines = ink - cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    rows = [_measure(ink, lines, boxes) for boxes in layout.rows().values()]
    noise, level = _page_marks(rows)
    result = {}
    for m in rows:
        boxes, shift = m.boxes, m.shift
        reads = _row_reads(m, noise, level, EMPTY if boxes[0].field == ANSWER else EMPTY_ID)
        value, problem = _decide(boxes[0].field, reads)
        x0, y0 = min(b.x for b in boxes), min(b.y for b in boxes)
        x1, y1 = max(b.x + b.w for b in boxes), max(b.y + b.h for b in boxes)
        rect = (_px(x0 - 10) + shift[0], _px(y0 - 1.5) + shift[1], _px(x1 - x0 + 11.5), _px(y1 - y0 + 3))
        result[(boxes[0].field, boxes[0].row)] = RowRead(boxes[0].field, boxes[0].row, reads, value, problem, rect)
    return result, float(np.median([m.fit for m in rows]))
