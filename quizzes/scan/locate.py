"""Where a sheet lies in a page image: its QR code (zxing-cpp) and its four corner marks (OpenCV).

The QR code says which sheet it is and, by its four corners, roughly where the page is in any
rotation (upside down included) and perspective. Each corner mark is then looked for around
where that puts it, nearest to the code first, the estimate refined with every mark found. The
page's homography (mm on the sheet -> pixels of the image) comes from the four marks, or from the
code and the marks found when a corner is missing. A page whose code cannot be read is located by
its marks alone (the four square blobs at the extremes of the page), and the code is read again
from the straightened page, in both orientations.
"""
from dataclasses import dataclass, field

import cv2
import numpy as np
import segno
import zxingcpp

from quizzes.sheets.layout import spec
from quizzes.sheets.qr import decode

R = 5.0  # pixels per mm of the straightened page (127 dpi)
_QR = zxingcpp.BarcodeFormat.QRCode


@dataclass
class Located:
    """A sheet found on a page image: ``sheet`` is its decoded SheetId (None when the code could
    not be read), ``homographies`` the candidate mm -> pixel maps (one when the code was read; the
    upright and upside-down ones when not), ``marks`` how many corner marks were found."""

    sheet: object
    homographies: list
    marks: int
    problem: str = ""
    notes: list = field(default_factory=list)


def _page_marks():
    s = spec()
    return np.array(s["mark"]["centers"], dtype=np.float64), float(s["mark"]["size"])


def _apply(h, points):
    return cv2.perspectiveTransform(np.asarray(points, np.float64).reshape(-1, 1, 2), h).reshape(-1, 2)


def _qr_corners_mm(text):
    """The QR symbol's corners in mm (TL, TR, BR, BL), as printed by quizzes.sheets.render."""
    s = spec()["qr"]
    n = segno.make(text, error="m", micro=False).symbol_size(border=0)[0]
    module = s["size"] / (n + 8)
    x0, y0, side = s["x"] + 4 * module, s["y"] + 4 * module, n * module
    return np.array([[x0, y0], [x0 + side, y0], [x0 + side, y0 + side], [x0, y0 + side]], np.float64)


def read_codes(gray):
    """[(SheetId or None, error text, barcode)] of every QR code zxing-cpp finds in ``gray``."""
    found = []
    for code in zxingcpp.read_barcodes(gray, formats=_QR):
        try:
            found.append((decode(code.text), "", code))
        except ValueError as exc:
            found.append((None, str(exc), code))
    return found


def _corners_px(code):
    p = code.position
    return np.array([[p.top_left.x, p.top_left.y], [p.top_right.x, p.top_right.y],
                     [p.bottom_right.x, p.bottom_right.y], [p.bottom_left.x, p.bottom_left.y]], np.float64)


def _scale(h, point_mm):
    """Pixels per mm of homography ``h`` around ``point_mm``."""
    a, b = _apply(h, [point_mm, (point_mm[0] + 1, point_mm[1] + 1)])
    return float(np.hypot(*(b - a)) / np.sqrt(2))


def _blobs(gray, box, adaptive=False):
    """Dark, square, solid blobs in the window ``box`` = (x0, y0, x1, y1) of ``gray``:
    [(centre x, centre y, side in px)] in image coordinates. Square: its smallest enclosing
    rectangle nearly square (a box is 1.37 times as wide as high) and at least 70% inked (a
    square seen in perspective), convex, holes counted out (a QR code is not solid). ``adaptive``: threshold against the neighbourhood (a
    whole photo with shadows) instead of Otsu over the window."""
    x0, y0, x1, y1 = box
    window = gray[y0:y1, x0:x1]
    if window.size == 0:
        return []
    if adaptive:
        block = (max(window.shape) // 12) | 1
        binary = cv2.adaptiveThreshold(window, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)
    else:
        _, binary = cv2.threshold(window, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    contours, hierarchy = cv2.findContours(binary, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    holes = {}
    for i, (_, _, _, parent) in enumerate(hierarchy[0]):
        if parent >= 0:
            holes[parent] = holes.get(parent, 0.0) + cv2.contourArea(contours[i])
    blobs = []
    for i, contour in enumerate(contours):
        if hierarchy[0][i][3] >= 0:
            continue
        area = cv2.contourArea(contour) - holes.get(i, 0.0)
        if area < 16:
            continue
        (cx, cy), (w, h), _ = cv2.minAreaRect(contour)
        hull = cv2.contourArea(cv2.convexHull(contour))
        if not 0.75 < w / max(h, 1e-6) < 1.33 or area / max(w * h, 1e-6) < 0.7 or area < 0.92 * hull:
            continue
        blobs.append((cx + x0, cy + y0, float(np.sqrt(area))))
    return blobs


def _find_mark(gray, h, centre_mm, size_mm):
    """The image position of the corner mark expected at ``centre_mm`` under ``h``, or None:
    the nearest square blob of about the mark's size, looked for close by, then farther (the
    estimate from the code alone can be far off in a tilted photo)."""
    scale = _scale(h, centre_mm)
    guess = _apply(h, [centre_mm])[0]
    side = size_mm * scale
    for reach in (4.5, 14):
        half = reach * side
        box = (max(0, int(guess[0] - half)), max(0, int(guess[1] - half)),
               min(gray.shape[1], int(guess[0] + half)), min(gray.shape[0], int(guess[1] + half)))
        near = [(np.hypot(x - guess[0], y - guess[1]), (x, y)) for x, y, s in _blobs(gray, box)
                if 0.7 * side < s < 1.45 * side]
        if near:
            return np.array(min(near)[1])
    return None


def _by_code(gray, sheet, text, corners):
    """Located from a read code (its text, its corners in the image): marks searched nearest to
    the code first."""
    marks_mm, size = _page_marks()
    qr_mm = _qr_corners_mm(text)
    src, dst = list(qr_mm), list(corners)
    h = cv2.getPerspectiveTransform(np.float32(qr_mm), np.float32(dst))
    found = {}
    order = np.argsort(np.hypot(*(marks_mm - qr_mm.mean(axis=0)).T))
    for i in order:
        point = _find_mark(gray, h, marks_mm[i], size)
        if point is None:
            continue
        found[i] = point
        pts_mm = np.array(src + [marks_mm[j] for j in found])
        pts_px = np.array(dst + [found[j] for j in found])
        h, _ = cv2.findHomography(pts_mm, pts_px, 0)
    if len(found) == 4:
        h = cv2.getPerspectiveTransform(np.float32(marks_mm), np.float32([found[i] for i in range(4)]))
        error = np.hypot(*(_apply(h, qr_mm) - np.asarray(dst)).T).max() / _scale(h, qr_mm[0])
        if error > 2.0:  # a blob taken for a mark: keep the marks that agree with the code
            pts_mm = np.array(src + list(marks_mm))
            pts_px = np.array(dst + [found[i] for i in range(4)])
            h, inliers = cv2.findHomography(pts_mm, pts_px, cv2.RANSAC, 2.0 * _scale(h, qr_mm[0]))
            found = {i: found[i] for i in range(4) if h is not None and inliers[4 + i]}
    if len(found) < 4:  # a steep photo: the code's estimate was too far off; the marks at the extremes
        better = _marks_agreeing(gray, qr_mm, np.asarray(dst))
        if better is not None:
            h, found = better, dict(enumerate(range(4)))
    problem = "" if len(found) >= 3 and h is not None else "모서리 표시를 찾지 못했습니다 (corner marks not found)"
    return Located(sheet, [h], len(found), problem)


def _marks_agreeing(gray, qr_mm, qr_px):
    """The homography from the four extreme square blobs, in the one order of the page's corners
    (any rotation) that puts the code where it was read (within 2 mm), or None."""
    quad = _extreme_marks(gray)
    if quad is None:
        return None
    marks_mm, _ = _page_marks()
    best = None
    for roll in range(4):
        h = cv2.getPerspectiveTransform(np.float32(marks_mm), np.float32(np.roll(quad, -roll, axis=0)))
        error = np.hypot(*(_apply(h, qr_mm) - qr_px).T).max() / _scale(h, qr_mm[0])
        if error < 2.0 and (best is None or error < best[0]):
            best = (error, h)
    return None if best is None else best[1]


def _extreme_marks(gray):
    """The four corner marks found without the code: square blobs of one size at the four
    extremes of the page (TL, TR, BR, BL in the image), or None."""
    side = max(gray.shape)
    blobs = [b for b in _blobs(gray, (0, 0, gray.shape[1], gray.shape[0]), adaptive=True) if b[2] > side / 120]
    if len(blobs) < 4:
        return None
    points = np.array([(x, y) for x, y, _ in blobs])
    sizes = np.array([s for _, _, s in blobs])
    corners = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        score = sx * points[:, 0] + sy * points[:, 1]
        corners.append(int(np.argmax(score)))
    if len(set(corners)) < 4 or sizes[corners].max() > 2.2 * sizes[corners].min():  # near ones look bigger
        return None
    quad = points[corners]
    if not cv2.isContourConvex(np.float32(quad).reshape(-1, 1, 2)):
        return None
    return quad


def _straight(gray, h, region_mm, scale):
    """The part ``region_mm`` = (x, y, w, h) of the page, straightened at ``scale`` px per mm."""
    x, y, w, hh = region_mm
    to_page = np.array([[1 / scale, 0, x], [0, 1 / scale, y], [0, 0, 1]])
    return cv2.warpPerspective(gray, h @ to_page, (int(w * scale), int(hh * scale)),
                               flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderValue=255)


def _by_marks(gray):
    """Located from the corner marks alone; the code read again from the straightened page."""
    quad = _extreme_marks(gray)
    if quad is None:
        return None
    marks_mm, _ = _page_marks()
    upright = cv2.getPerspectiveTransform(np.float32(marks_mm), np.float32(quad))
    flipped = cv2.getPerspectiveTransform(np.float32(marks_mm), np.float32(np.roll(quad, 2, axis=0)))
    s = spec()["qr"]
    margin = 4
    region = (s["x"] - margin, s["y"] - margin, s["size"] + 2 * margin, s["size"] + 2 * margin)
    for h in (upright, flipped):
        for sheet, _, code in read_codes(_straight(gray, h, region, 8.0)):
            if sheet is not None:
                corners = _apply(h, _corners_px(code) / 8.0 + np.array(region[:2]))
                return _by_code(gray, sheet, code.text, corners)
    return Located(None, [upright, flipped], 4, "QR 코드를 읽지 못했습니다 (QR code unreadable)")


def locate(gray):
    """The Located sheet on a page image, or None when the page shows no sheet (no code, no marks)."""
    codes = read_codes(gray)
    for sheet, _, code in codes:
        if sheet is not None:
            return _by_code(gray, sheet, code.text, _corners_px(code))
    located = _by_marks(gray)
    if located is None and codes:
        return Located(None, [], 0, f"QR 코드가 답안지의 것이 아닙니다 ({codes[0][1]})")
    return located


def straighten(gray, h):
    """The whole page straightened: (297 R) x (210 R) pixels, white outside the image."""
    s = spec()["page"]
    return _straight(gray, h, (0, 0, s["width"], s["height"]), R)
