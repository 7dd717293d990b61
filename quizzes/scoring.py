"""``python -m quizzes score RESPONSES.csv --key KEY.csv``: scores and item analysis.

KEY.csv is the key sheet a build writes (``key-sheet.csv`` for a roster, ``key.csv`` for the
canonical form): one row per student and printed question. RESPONSES.csv has a
``student_id`` column, optionally ``variant``, and one column per printed question named
``1``, ``2``, ... or ``q1``, ``q2``, ...; a cell holds the circled choice (1-4 or ①-④).

Every problem with a row gets one message and costs that row (or that answer) only:
unknown or blank student ids and repeated rows are skipped; a sheet whose variant code is
another student's is scored on the copy it was printed from; blank, double and unreadable
answers score 0 on that question.
"""
import csv
import re
from dataclasses import dataclass, field

import numpy as np

from quizzes.errors import InputError
from quizzes.questions import LABELS
from quizzes.variants import CANONICAL

_MARKS = {str(n): n for n in range(1, 5)} | {label: n for n, label in enumerate(LABELS, 1)}
_QUESTION_COLUMN = re.compile(r"^[qQ]?(\d+)$")
UPPER_LOWER = 0.27


@dataclass
class Copy:
    """One printed copy: who it was for, its variant code and [(item_id, key)] by question number."""

    student_id: str
    name: str
    variant: str
    keys: list = field(default_factory=list)


@dataclass
class Report:
    students: list  # dicts: student_id, name, variant, score, total, percent
    items: list  # dicts: item_id, n, difficulty, discrimination, upper_lower
    messages: list  # one str per problem, "line N: ..."


def read_key(path):
    """Copies by student id ('' for the canonical form) from a key sheet CSV."""
    copies = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"student_id", "variant", "question", "item_id", "key"} - set(reader.fieldnames or [])
        if missing:
            raise InputError(f"{path}: not a key sheet, missing columns {sorted(missing)}")
        for row in reader:
            copy = copies.setdefault(row["student_id"], Copy(row["student_id"], row.get("name", ""),
                                                             row["variant"]))
            if int(row["question"]) != len(copy.keys) + 1:
                raise InputError(f"{path}:{reader.line_num}: questions of {row['student_id'] or CANONICAL} "
                                 f"are not numbered 1, 2, ... in order")
            copy.keys.append((row["item_id"], int(row["key"])))
    if not copies:
        raise InputError(f"{path}: the key sheet is empty")
    return copies


def _mark(cell):
    """(choice or None, problem or None) for one answer cell."""
    text = cell.strip()
    if not text:
        return None, "blank"
    marks = re.findall(r"[1-4①②③④]", text)
    leftover = re.sub(r"[1-4①②③④\s,;/|]", "", text)
    if leftover or not marks:
        return None, f"unreadable mark {text!r}"
    if len({_MARKS[m] for m in marks}) > 1:
        return None, "double answer " + ", ".join(LABELS[_MARKS[m] - 1] for m in marks)
    return _MARKS[marks[0]], None


def _columns(header):
    """{question number: column name} of a responses header."""
    found = {}
    for name in header:
        m = _QUESTION_COLUMN.match(name.strip())
        if m:
            found[int(m.group(1))] = name
    return found


def _copy_for(row, line, copies, by_variant, done, messages):
    """The Copy a responses row is scored on, or None (with a message) to skip the row."""
    student_id = (row.get("student_id") or "").strip()
    canonical = copies.get("")
    if not student_id:
        messages.append(f"line {line}: blank student id; row skipped")
        return None
    if student_id in done:
        messages.append(f"line {line}: student {student_id} already answered on line {done[student_id]}; "
                        f"row skipped")
        return None
    copy = copies.get(student_id) or (canonical and Copy(student_id, "", CANONICAL, canonical.keys))
    if copy is None:
        messages.append(f"line {line}: unknown student id {student_id} (not on the key sheet); row skipped")
        return None
    variant = (row.get("variant") or "").strip()
    if variant and variant != copy.variant:
        printed = by_variant.get(variant)
        if printed is None:
            messages.append(f"line {line}: student {student_id} wrote variant {variant}, which is on no "
                            f"copy (theirs is {copy.variant}); row skipped")
            return None
        messages.append(f"line {line}: student {student_id} answered on the copy printed for "
                        f"{printed.student_id} (variant {variant}, theirs is {copy.variant}); "
                        f"scored on variant {variant}")
        copy = Copy(student_id, copy.name, variant, printed.keys)
    done[student_id] = line
    return copy


def score(responses_path, key_path):
    """A Report for a responses CSV scored against a key sheet CSV."""
    copies = read_key(key_path)
    by_variant = {c.variant: c for c in copies.values()}
    messages, done, scored = [], {}, []  # scored: (Copy, [0/1 per question])
    with open(responses_path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if not header or "student_id" not in [h.strip() for h in header]:
            raise InputError(f"{responses_path}: the header needs a student_id column")
        header = [h.strip() for h in header]
        columns = _columns(header)
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                messages.append(f"line {line}: {len(cells)} fields where the header has {len(header)}; "
                                f"row skipped")
                continue
            row = dict(zip(header, cells))
            copy = _copy_for(row, line, copies, by_variant, done, messages)
            if copy is None:
                continue
            marks = []
            for number, (item_id, key) in enumerate(copy.keys, 1):
                choice, problem = _mark(row[columns[number]]) if number in columns else (None, "no column")
                if problem:
                    messages.append(f"line {line}: student {copy.student_id} question {number}: {problem}; "
                                    f"scored 0")
                marks.append(int(choice == key))
            extra = [n for n in columns if n > len(copy.keys) and row[columns[n]].strip()]
            if extra:
                messages.append(f"line {line}: student {copy.student_id} answered questions {extra}, which "
                                f"their copy does not have; ignored")
            scored.append((copy, marks))
    for student_id, copy in copies.items():
        if student_id and student_id not in done:
            messages.append(f"student {student_id} ({copy.variant}) has no responses row")
    return Report(_student_rows(scored), item_statistics(scored), messages)


def _student_rows(scored):
    return [{"student_id": c.student_id, "name": c.name, "variant": c.variant, "score": sum(m),
             "total": len(m), "percent": round(100 * sum(m) / len(m), 1) if m else 0.0}
            for c, m in scored]


def item_statistics(scored):
    """Per item id: n, difficulty (proportion correct), discrimination (point-biserial of the
    item with the rest score, None when either is constant) and the upper-lower 27% index."""
    if not scored:
        return []
    totals = np.array([sum(m) for _, m in scored], dtype=float)
    by_item = {}
    for s, (copy, marks) in enumerate(scored):
        for (item_id, _), mark in zip(copy.keys, marks):
            by_item.setdefault(item_id, {})[s] = mark
    order = sorted(range(len(scored)), key=lambda s: (totals[s], scored[s][0].student_id))
    group = max(1, round(UPPER_LOWER * len(scored)))
    lower, upper = set(order[:group]), set(order[-group:])
    rows = []
    for item_id, marks in by_item.items():
        students = sorted(marks)
        x = np.array([marks[s] for s in students], dtype=float)
        rest = totals[students] - x
        r = None if x.std() == 0 or rest.std() == 0 else float(np.corrcoef(x, rest)[0, 1])
        up = [marks[s] for s in students if s in upper]
        low = [marks[s] for s in students if s in lower]
        d = float(np.mean(up) - np.mean(low)) if up and low else None
        rows.append({"item_id": item_id, "n": len(x), "difficulty": float(x.mean()),
                     "discrimination": r, "upper_lower": d})
    return sorted(rows, key=lambda r: r["item_id"])


def write_csv(rows, path):
    """Write dict rows (the Report's students or items) as CSV."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["empty"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def plot(report, path, lang="ko"):
    """PNG with the score distribution and each item's difficulty and discrimination."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ko = lang == "ko"
    with plt.rc_context({"font.family": ["NanumGothic", "DejaVu Sans"], "axes.unicode_minus": False}):
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
        scores = [s["score"] for s in report.students]
        top = max((s["total"] for s in report.students), default=1)
        left.hist(scores, bins=np.arange(-0.5, top + 1.5, 1), color="#4c72b0", edgecolor="black")
        left.set_xlabel("점수" if ko else "Score")
        left.set_ylabel("학생 수" if ko else "Students")
        left.set_title("점수 분포" if ko else "Score distribution")
        for item in report.items:  # an item everyone (or no one) got right has no discrimination: x at 0
            known = item["discrimination"] is not None
            y = item["discrimination"] if known else 0.0
            right.scatter(item["difficulty"], y, color="#dd8452" if known else "gray", marker="o" if known else "x")
            right.annotate(item["item_id"], (item["difficulty"], y), fontsize=7,
                           xytext=(3, 3), textcoords="offset points")
        right.axhline(0.2, color="gray", linestyle="--", linewidth=0.8)
        right.set_xlim(-0.05, 1.05)
        right.set_xlabel("난이도 (정답률)" if ko else "Difficulty (proportion correct)")
        right.set_ylabel("변별도 (점이연 상관)" if ko else "Discrimination (point-biserial)")
        right.set_title("문항 분석" if ko else "Item analysis")
        fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)
