"""The review list: what the reader could not decide alone, and the instructor's decisions.

``review.csv`` (UTF-8 with BOM, for Excel) has one row per problem: ``item`` (a stable name: the
scan file, its page, then the row, e.g. ``scans.pdf#3/answer:5``), the sheet's student and
variant, the problem, what was read, and ``decision``, empty until the instructor fills it in.
The next ``scan`` of the same files reads the decisions back and applies them:

    answer:N        1-4 (the choice), - (no answer), or 1/3 (a double answer: 0 points)
    student_id:N    the digit (- for none);  variant:N  the character
    sheet           the student's 학번 (whose copy this sheet is), or skip
    duplicate       use (this sheet, not the one read first) or skip
    other problems  skip (leave the sheet out) or, for a missing sheet or page, absent

``review.html`` is one offline page (images inlined) with the crop of every doubtful row beside
what was read.
"""
import base64
import csv
import html
from dataclasses import dataclass

import cv2

from quizzes.csvfiles import read_rows

COLUMNS = ("item", "student_id", "variant", "problem", "read", "decision")


@dataclass
class Problem:
    """One review row; ``image`` is a grey crop (numpy) for the HTML page, or None."""

    item: str
    student_id: str
    variant: str
    problem: str
    read: str
    decision: str = ""
    image: object = None


def read_decisions(path):
    """{item: decision} of a review.csv (empty decisions left out); {} when there is none yet."""
    if not path.exists():
        return {}
    header, reader = read_rows(path, "검토(review)")
    if "item" not in header or "decision" not in header:
        return {}
    decisions = {}
    for cells in reader:
        row = dict(zip(header, (c.strip() for c in cells)))
        if row.get("item") and row.get("decision"):
            decisions[row["item"]] = row["decision"]
    return decisions


def write_csv(problems, path):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for p in problems:
            writer.writerow([p.item, p.student_id, p.variant, p.problem, p.read, p.decision])


def _png(image, width=520):
    if image is None or image.size == 0:
        return ""
    if image.shape[1] > width or image.shape[1] < width / 2:
        f = width / image.shape[1]
        image = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC)
    ok, data = cv2.imencode(".png", image)
    return base64.b64encode(data.tobytes()).decode("ascii") if ok else ""


_PAGE = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>답안지 검토 (scan review)</title>
<style>
body {{ font-family: "NanumGothic", sans-serif; margin: 1.5em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #999; padding: 4px 8px; vertical-align: top; }}
tr.decided {{ color: #777; }} img {{ max-width: 520px; }} code {{ font-size: 90%; }}
</style></head><body>
<h1>답안지 검토 (scan review)</h1>
<p>{summary}</p>
<p>아래 문제마다 <code>review.csv</code>의 <code>decision</code> 칸에 결정을 적고 같은 명령으로 다시 실행하면 다시
스캔하지 않고 반영됩니다. 문항: 1-4 (고른 답), - (답 없음), 1/3 (이중 표시, 0점). 학번·유형 칸: 숫자나 글자. 읽지 못한 답안지:
학생의 학번 또는 skip. 같은 학생의 두 번째 답안지: use 또는 skip. 빠진 답안지나 쪽: absent.</p>
<table>
<tr><th>item</th><th>학번 · 유형</th><th>문제 (problem)</th><th>읽은 값 (read)</th><th>결정 (decision)</th><th>이미지</th></tr>
{rows}
</table></body></html>
"""


def write_html(problems, path, summary):
    rows = []
    for p in problems:
        png = _png(p.image)
        img = f'<img alt="{html.escape(p.item)}" src="data:image/png;base64,{png}">' if png else ""
        rows.append(f'<tr class="{"decided" if p.decision else "open"}"><td><code>{html.escape(p.item)}</code></td>'
                    f"<td>{html.escape(p.student_id)} · {html.escape(p.variant)}</td><td>{html.escape(p.problem)}</td>"
                    f"<td>{html.escape(p.read)}</td><td>{html.escape(p.decision)}</td><td>{img}</td></tr>")
    path.write_text(_PAGE.format(summary=html.escape(summary), rows="\n".join(rows)), encoding="utf-8")
