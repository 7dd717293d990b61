"""Simulated scans of the answer sheets the build prints, for the scan tests and benchmark.

A sheet page of a real built PDF is rasterised (PDFium), marked the way students mark paper
(pens and pencils of different darkness, filled/ticked/crossed/partly filled boxes, rubbed-out
marks, boxes filled black to cancel them, stray strokes) and degraded like an office copier
(resolution, a little rotation and shift, blur, toner contrast, noise, JPEG, pages upside
down) or a phone photo (the page on a table, perspective, up to 10 degrees of rotation, uneven
light and a shadow, blur, noise, JPEG). ``Truth`` says what each row was meant to say.

Marks are drawn with OpenCV strokes at the layout's box positions (quizzes.sheets.layout); that
the printed boxes are where the layout says is checked separately, on the rendered PDF.
"""
import io
from dataclasses import dataclass, field

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from quizzes.sheets.layout import ANSWER

PEN = {"pen": (20, 70), "pencil": (95, 150), "light pencil": (150, 185)}  # grey level of the stroke
SHAPES = ("fill", "tick", "cross", "partial")


@dataclass
class Truth:
    """What the student meant: {(field, row): value} ("" blank, "2", a double "1/3"), and the
    rows whose marks are meant to be doubtful (faint, tiny) or otherwise worth review."""

    values: dict
    doubtful: set = field(default_factory=set)
    notes: dict = field(default_factory=dict)


def render_pdf_page(pdf_path, index, dpi):
    """Page ``index`` (from 0) of a PDF as the printer puts it on paper: grey uint8 at ``dpi``."""
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        pixels = document[index].render(scale=dpi / 72, grayscale=True).to_numpy()
        return np.ascontiguousarray(pixels[..., 0] if pixels.ndim == 3 else pixels)
    finally:
        document.close()


def page_count(pdf_path):
    """How many pages a PDF has (a handout's answer sheet is its last pages)."""
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        return len(document)
    finally:
        document.close()


class Pen:
    """A writing tool: grey level, stroke width in px, pencil grain or not."""

    def __init__(self, rng, kind, dpi):
        lo, hi = PEN[kind]
        self.level = int(rng.integers(lo, hi))
        self.width = max(1, int(round(rng.uniform(0.35, 0.7) * dpi / 25.4)))
        self.grain = kind != "pen"
        self.rng = rng

    def apply(self, img, mask, strength=1.0):
        """Lay ``mask`` (float 0-1) on ``img`` in this pen's ink."""
        alpha = mask * strength
        if self.grain:
            alpha = alpha * np.clip(self.rng.normal(0.85, 0.25, mask.shape), 0.2, 1.0)
        out = img.astype(np.float32) * (1 - alpha) + self.level * alpha
        img[:] = np.minimum(img, out).astype(np.uint8)


def _box_px(box, dpi):
    f = dpi / 25.4
    return box.x * f, box.y * f, box.w * f, box.h * f


def _mask(img):
    return np.zeros(img.shape, np.float32)


def _jitter(rng, scale):
    return rng.normal(0, scale)


def draw_mark(img, box, dpi, pen, shape, rng, size=1.0):
    """Draw one mark of ``shape`` in ``box`` (``size`` < 1: a smaller mark)."""
    x, y, w, h = _box_px(box, dpi)
    cx, cy = x + w / 2 + _jitter(rng, w * 0.04), y + h / 2 + _jitter(rng, h * 0.04)
    mask = _mask(img)
    if shape in ("fill", "partial", "solid"):
        cover = {"fill": rng.uniform(0.85, 1.05), "partial": rng.uniform(0.5, 0.7), "solid": 1.3}[shape] * size
        axes = (max(1, int(w / 2 * cover)), max(1, int(h / 2 * cover)))
        if shape == "partial":
            cx += rng.choice([-1, 1]) * w * 0.12
        pts = cv2.ellipse2Poly((int(cx), int(cy)), axes, int(rng.uniform(-8, 8)), 0, 360, 20)
        pts = pts + rng.normal(0, max(w, h) * 0.02, pts.shape).astype(np.int32)
        if shape == "solid":
            cv2.rectangle(mask, (int(x - w * 0.12), int(y - h * 0.15)), (int(x + w * 1.12), int(y + h * 1.15)), 1.0, -1)
        else:
            cv2.fillPoly(mask, [pts], 1.0, lineType=cv2.LINE_AA)
        if shape != "solid" and pen.grain:  # pencil fills leave strokes and gaps
            mask *= np.clip(rng.normal(0.9, 0.2, mask.shape), 0, 1).astype(np.float32)
    elif shape == "tick":
        s = size
        p = [(cx - w * 0.32 * s, cy + h * 0.02 * s), (cx - w * 0.08 * s, cy + h * 0.42 * s), (cx + w * 0.42 * s, cy - h * 0.55 * s)]
        p = np.array([(px + _jitter(rng, w * 0.04), py + _jitter(rng, h * 0.04)) for px, py in p], np.int32)
        cv2.polylines(mask, [p], False, 1.0, pen.width, cv2.LINE_AA)
    elif shape == "cross":
        s = size
        for sign in (1, -1):
            a = (int(cx - w * 0.45 * s + _jitter(rng, 2)), int(cy - sign * h * 0.5 * s + _jitter(rng, 2)))
            b = (int(cx + w * 0.45 * s + _jitter(rng, 2)), int(cy + sign * h * 0.5 * s + _jitter(rng, 2)))
            cv2.line(mask, a, b, 1.0, pen.width, cv2.LINE_AA)
    else:
        raise ValueError(shape)
    pen.apply(img, mask)


def erase(img, box, dpi, rng, clean):
    """Rub out whatever is in ``box``: towards the paper, leaving a grey residue and smudge."""
    x, y, w, h = (int(v) for v in _box_px(box, dpi))
    pad = int(0.15 * w)
    region = img[y - pad:y + h + pad, x - pad:x + w + pad].astype(np.float32)
    paper = np.percentile(img[max(0, y - 3 * h):y + 4 * h, max(0, x - 2 * w):x + 3 * w], 95)
    residue = rng.uniform(0.05, 0.2) if clean else rng.uniform(0.2, 0.35)
    erased = paper - (paper - region) * residue
    erased = cv2.GaussianBlur(erased, (0, 0), 1.2)
    original = img[y - pad:y + h + pad, x - pad:x + w + pad].astype(np.float32)
    # the printed outline survives an eraser: keep the darker of the print-only page and the smudge
    img[y - pad:y + h + pad, x - pad:x + w + pad] = np.clip(np.maximum(erased, original), 0, 255).astype(np.uint8)


def _stroke(img, pen, start, length, angle):
    """A straight stray stroke in ``pen`` (80% pressed) from ``start`` (px), ``length`` px long."""
    mask = _mask(img)
    x, y = start
    cv2.line(mask, (int(x), int(y)), (int(x + length * np.cos(angle)), int(y + length * np.sin(angle))), 1.0,
             pen.width, cv2.LINE_AA)
    pen.apply(img, mask, 0.8)


def stray_marks(img, dpi, rng, n):
    """``n`` stray strokes and dots anywhere on the page's lower part (margins, rows, boxes)."""
    h, w = img.shape
    pen = Pen(rng, "pencil", dpi)
    for _ in range(n):
        x, y = int(rng.uniform(0.12, 0.88) * w), int(rng.uniform(0.25, 0.9) * h)
        if rng.random() < 0.5:
            mask = _mask(img)
            cv2.circle(mask, (x, y), max(1, int(dpi / 25.4 * rng.uniform(0.2, 0.5))), 1.0, -1)
            pen.apply(img, mask, 0.8)
        else:
            _stroke(img, pen, (x, y), dpi / 25.4 * rng.uniform(3, 12), rng.uniform(0, np.pi))


def stroke_across(img, box, dpi, rng):
    """A straight stray stroke (pencil, 4-10 mm) through a point inside ``box``: a slip of the
    hand across a box, as thin as a tick."""
    x, y, w, h = _box_px(box, dpi)
    length, angle = dpi / 25.4 * rng.uniform(4, 10), rng.uniform(0, np.pi)
    through = rng.uniform(0.3, 0.7)  # where along the stroke it passes the box's point
    px, py = x + w * rng.uniform(0.3, 0.7), y + h * rng.uniform(0.3, 0.7)
    start = (px - through * length * np.cos(angle), py - through * length * np.sin(angle))
    _stroke(img, Pen(rng, "pencil", dpi), start, length, angle)


def mark_sheet(img, layout, dpi, rng, answers, ids=None, *, pen_kind=None, shapes=SHAPES, erasures=0.06,
               cancels=0.03, doubles=0.0, faint=0.0, strays=2):
    """Mark a rendered sheet page in place: ``answers`` {question: choice or None}, ``ids``
    {(field, row): value} for bubbled 학번 digits and code characters. Returns the Truth."""
    rows = layout.rows()
    truth = Truth({})
    kind = pen_kind or rng.choice(["pen", "pencil", "pencil", "light pencil"], p=[0.4, 0.3, 0.2, 0.1])
    pen = Pen(rng, kind, dpi)
    for (fld, row), boxes in rows.items():
        if fld == ANSWER:
            choice = answers.get(row)
            if choice is None:
                truth.values[(fld, row)] = ""
                if rng.random() < erasures:  # answered, then rubbed out, left blank
                    box = boxes[rng.integers(len(boxes))]
                    draw_mark(img, box, dpi, pen, "fill" if rng.random() < 0.5 else "cross", rng)
                    erase(img, box, dpi, rng, clean=True)
                    truth.notes[(fld, row)] = "erased, blank"
                continue
            target = boxes[choice - 1]
            others = [b for b in boxes if b is not target]
            r = rng.random()
            if r < erasures:
                old = others[rng.integers(len(others))]
                draw_mark(img, old, dpi, pen, "fill", rng)
                erase(img, old, dpi, rng, clean=True)
                truth.notes[(fld, row)] = "erased"
            elif r < erasures + cancels:
                old = others[rng.integers(len(others))]
                draw_mark(img, old, dpi, pen, "solid", rng)
                draw_mark(img, target, dpi, pen, rng.choice(["tick", "cross"]), rng)
                truth.values[(fld, row)] = str(choice)
                truth.notes[(fld, row)] = "cancelled"
                continue
            elif r < erasures + cancels + doubles:
                other = others[rng.integers(len(others))]
                shape = rng.choice(shapes)
                draw_mark(img, other, dpi, pen, shape, rng)
                draw_mark(img, target, dpi, pen, shape, rng)
                a, b = sorted([choice, other.value])
                truth.values[(fld, row)] = f"{a}/{b}"
                truth.doubtful.add((fld, row))
                continue
            if rng.random() < faint:
                draw_mark(img, target, dpi, Pen(rng, "light pencil", dpi), "tick", rng, size=0.45)
                truth.doubtful.add((fld, row))
            else:
                draw_mark(img, target, dpi, pen, rng.choice(shapes), rng)
            truth.values[(fld, row)] = str(choice)
        elif ids is not None and (fld, row) in ids:
            value = ids[(fld, row)]
            truth.values[(fld, row)] = value
            if value:
                box = next(b for b in boxes if str(b.value) == value)
                draw_mark(img, box, dpi, pen, "fill", rng)
    if strays:
        stray_marks(img, dpi, rng, strays)
    return truth


def _rotate(img, angle, scale=1.0, shift=(0, 0), border=255):
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    m[:, 2] += shift
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def _jpeg(img, quality):
    ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    return cv2.imdecode(data, cv2.IMREAD_UNCHANGED)


def copier(img, rng, *, upside_down=False):
    """An office copier's scan of a marked page (same resolution): toner contrast, rotation up
    to 1.5 degrees, shift, blur, noise, JPEG."""
    out = img.astype(np.float32)
    gamma = rng.uniform(0.8, 1.3)
    out = 255 * (out / 255) ** gamma
    out = np.clip((out - rng.uniform(0, 25)) * rng.uniform(1.0, 1.15), 0, 255)
    out = _rotate(out, rng.uniform(-1.5, 1.5), 1.0, (rng.uniform(-15, 15), rng.uniform(-15, 15)), 250)
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.3, 0.9))
    out += rng.normal(0, rng.uniform(2, 6), out.shape)
    out = np.clip(out, 0, 255).astype(np.uint8)
    if upside_down:
        out = cv2.rotate(out, cv2.ROTATE_180)
    return _jpeg(out, rng.integers(55, 95))


def phone(img, rng):
    """A phone photo of a marked page on a table: perspective, up to 10 degrees of rotation,
    uneven light and a soft shadow, blur, noise, JPEG; about 2000-3000 px on the long side."""
    h, w = img.shape
    long_side = rng.integers(2000, 3000)
    canvas_h = int(long_side)
    canvas_w = int(long_side * rng.uniform(0.72, 0.8))
    scale = rng.uniform(0.78, 0.92) * min(canvas_w / w, canvas_h / h)
    cx, cy = canvas_w / 2 + rng.uniform(-0.04, 0.04) * canvas_w, canvas_h / 2 + rng.uniform(-0.04, 0.04) * canvas_h
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]]) * scale
    angle = np.radians(rng.uniform(-10, 10))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    corners = corners @ rot.T
    corners += rng.normal(0, 0.035, corners.shape) * np.array([canvas_w, canvas_h])  # tilt of the camera
    corners += [cx, cy]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src, np.float32(corners))
    table = rng.uniform(60, 140)
    page = cv2.warpPerspective(img.astype(np.float32), m, (canvas_w, canvas_h), flags=cv2.INTER_AREA,
                               borderValue=-1)
    background = table + rng.normal(0, 8, (canvas_h, canvas_w))
    out = np.where(page < 0, background, page)
    yy, xx = np.mgrid[0:canvas_h, 0:canvas_w].astype(np.float32)
    a, b = rng.uniform(-1, 1, 2)
    light = 1 - rng.uniform(0.1, 0.35) * ((a * xx / canvas_w + b * yy / canvas_h) - min(0, a) - min(0, b)) / (abs(a) + abs(b) + 1e-6)
    shadow = np.ones_like(light)
    if rng.random() < 0.7:  # a soft shadow (a hand, a phone) over one side
        sx = rng.uniform(0, canvas_w)
        edge = (xx - sx) * np.cos(rng.uniform(0, np.pi)) + (yy - canvas_h * rng.uniform(0.2, 0.8)) * 0.3
        shadow = 1 - rng.uniform(0.2, 0.4) / (1 + np.exp(-edge / (0.03 * canvas_w)))
    out = out * light * shadow
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 1.4))
    out += rng.normal(0, rng.uniform(2, 5), out.shape)
    return _jpeg(np.clip(out, 0, 255).astype(np.uint8), rng.integers(70, 92))


def pdf_of(images, dpi):
    """A multi-page PDF of grey page images (JPEG inside), as a copier writes one: bytes."""
    pages = [Image.fromarray(i) for i in images]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi), quality=85)
    return buffer.getvalue()
