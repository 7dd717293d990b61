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

from quizzes.csvfiles import column, read_rows
from quizzes.errors import InputError
from quizzes.fonts import font_file
from quizzes.option_names import OPTION_NAMES_KO
from quizzes.korean import josa
from quizzes.questions import LABELS
from quizzes.variants import CANONICAL, normal_code

_MARKS = {str(n): n for n in range(1, 5)} | {label: n for n, label in enumerate(LABELS, 1)}
_QUESTION_COLUMN = re.compile(r"^[qQ]?(\d+)$")
UPPER_LOWER = 0.27
_ID_COLUMNS = ("student_id", "학번")
_VARIANT_COLUMNS = ("variant", "유형")


@dataclass
class Copy:
    """One printed copy: who it was for, its variant code, [(item_id, key)] by question number
    and, where the key sheet has them, the option tags of each question's printed choices."""

    student_id: str
    name: str
    variant: str
    keys: list = field(default_factory=list)
    options: list = field(default_factory=list)


@dataclass
class Report:
    students: list  # dicts: student_id, name, variant, score, total, percent
    items: list  # dicts: item_id, n, difficulty, discrimination, upper_lower
    messages: list  # one str per problem, "line N: ..."
    distractors: list = field(default_factory=list)  # dicts: item_id, option, key, share, upper, lower
    kr20: float | None = None  # reliability (Kuder-Richardson 20) of the scores
    sections: tuple = ()  # the sections of the key sheet


_KEY_COLUMNS = {"student_id", "variant", "question", "item_id", "key"}


def read_key(path):
    """(copies by student id ('' for the canonical form), sections) of a key sheet CSV."""
    copies, sections = {}, []
    header, reader = read_rows(path, "정답표(key sheet)")
    missing = _KEY_COLUMNS - set(header)
    if missing:
        raise InputError(f"{path}: not a key sheet, missing columns {sorted(missing)}")
    for cells in reader:
        row = dict(zip(header, cells))
        try:
            question, key = int(row["question"]), int(row["key"])
        except (TypeError, ValueError):
            raise InputError(f"{path}:{reader.line_num}: 문항 번호와 정답은 숫자여야 합니다 "
                             f"(question and key must be numbers)") from None
        copy = copies.setdefault(row["student_id"], Copy(row["student_id"], row.get("name", ""),
                                                         row["variant"]))
        if question != len(copy.keys) + 1:
            raise InputError(f"{path}:{reader.line_num}: questions of {row['student_id'] or CANONICAL} "
                             f"are not numbered 1, 2, ... in order")
        copy.keys.append((row["item_id"], key))
        if row.get("choices"):
            copy.options.append(tuple(row["choices"].split("|")))
        if row.get("section") and row["section"] not in sections:
            sections.append(row["section"])
    if not copies:
        raise InputError(f"{path}: the key sheet is empty")
    return copies, tuple(sections)


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
    student_id = row.get("student_id", "")
    canonical = copies.get("")
    if not student_id:
        messages.append(f"line {line}: blank student id; row skipped")
        return None
    if student_id in done:
        messages.append(f"line {line}: student {student_id} already answered on line {done[student_id]}; "
                        f"row skipped")
        return None
    copy = copies.get(student_id) or (canonical and Copy(student_id, "", CANONICAL, canonical.keys,
                                                         canonical.options))
    if copy is None:
        messages.append(f"line {line}: unknown student id {student_id} (not on the key sheet); row skipped")
        return None
    written = row.get("variant", "")
    variant = normal_code(written)
    if variant and variant != copy.variant:
        printed = by_variant.get(variant)
        if printed is None:
            messages.append(f"line {line}: 학생 {student_id}이(가) 적은 유형 {written}은(는) 어느 사본에도 없어 "
                            f"본인 사본(유형 {copy.variant})으로 채점합니다 (student {student_id} wrote variant "
                            f"{written}, which is on no copy; scored on their own copy {copy.variant})")
        else:
            messages.append(f"line {line}: student {student_id} answered on the copy printed for "
                            f"{printed.student_id} (variant {variant}, theirs is {copy.variant}); "
                            f"scored on variant {variant}")
            copy = Copy(student_id, copy.name, variant, printed.keys, printed.options)
    done[student_id] = line
    return copy


def _responses(path):
    """(header, reader) of a responses CSV whose id column is named ``student_id``."""
    header, reader = read_rows(path, "답안(responses)")
    id_col = column(header, _ID_COLUMNS, path)
    variant_col = next((name for name in _VARIANT_COLUMNS if name in header), None)
    renamed = {id_col: "student_id", variant_col: "variant"}
    return [renamed.get(h, h) for h in header], reader


def _check_sections(path, key_path, rows, copies, by_variant, sections):
    """InputError when the responses cannot belong to the key sheet: none of their ids or
    variant codes is on it (answers of one section scored against another's key sheet)."""
    ids = {r["student_id"] for r in rows if r.get("student_id")}
    codes = {normal_code(r["variant"]) for r in rows if r.get("variant", "").strip()}
    known_ids = "" in copies or ids & set(copies)
    if rows and (not known_ids or (codes and not codes & set(by_variant))):
        what = josa("학번" if not known_ids else "유형 코드", "이/가")
        raise InputError(f"{path}: 답안의 {what} 정답표 {key_path}(절 {', '.join(sections) or '?'})와 "
                         f"하나도 맞지 않습니다. 다른 절의 정답표가 아닌지 확인하세요 (no "
                         f"{'student id' if not known_ids else 'variant code'} of the responses is on the "
                         f"key sheet of section {', '.join(sections) or '?'})")


def score(responses_path, key_path):
    """A Report for a responses CSV scored against a key sheet CSV."""
    copies, sections = read_key(key_path)
    by_variant = {c.variant: c for c in copies.values()}
    header, reader = _responses(responses_path)
    columns = _columns(header)
    rows, problems = [], []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        row = dict(zip(header, (c.strip() for c in cells)))
        if len(cells) != len(header):
            who = f"student {row['student_id']}: " if row.get("student_id") else ""
            problems.append((reader.line_num, row.get("student_id"),
                             f"line {reader.line_num}: {who}{len(cells)} fields where the header has "
                             f"{len(header)}; row skipped"))
            continue
        rows.append((reader.line_num, row))
    _check_sections(responses_path, key_path, [r for _, r in rows] + [{"student_id": i} for _, i, _ in problems],
                    copies, by_variant, sections)
    messages, done, scored = [], {}, []  # scored: (Copy, [0/1 per question], [choice or None])
    present = {student_id for _, student_id, _ in problems}
    events = sorted([(line, "row", row) for line, row in rows] + [(line, "bad", m) for line, _, m in problems],
                    key=lambda e: e[0])
    for line, kind, payload in events:
        if kind == "bad":
            messages.append(payload)
            continue
        row = payload
        present.add(row["student_id"])
        copy = _copy_for(row, line, copies, by_variant, done, messages)
        if copy is None:
            continue
        marks, chosen = [], []
        for number, (item_id, key) in enumerate(copy.keys, 1):
            choice, problem = _mark(row[columns[number]]) if number in columns else (None, "no column")
            if problem:
                messages.append(f"line {line}: student {copy.student_id} question {number}: {problem}; "
                                f"scored 0")
            marks.append(int(choice == key))
            chosen.append(choice)
        extra = [n for n in columns if n > len(copy.keys) and row[columns[n]].strip()]
        if extra:
            messages.append(f"line {line}: student {copy.student_id} answered questions {extra}, which "
                            f"their copy does not have; ignored")
        scored.append((copy, marks, chosen))
    for student_id, copy in copies.items():
        if student_id and student_id not in present:
            messages.append(f"student {student_id} ({copy.variant}) has no responses row")
    pairs = [(c, m) for c, m, _ in scored]
    return Report(_student_rows(pairs), item_statistics(pairs), messages, distractor_table(scored),
                  kr20(pairs), sections)


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
    lower, upper = _groups(totals, [c.student_id for c, _ in scored])
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


def _groups(totals, ids):
    """(lower, upper): the indexes of the lowest and highest 27% by total score (ties by id)."""
    order = sorted(range(len(totals)), key=lambda s: (totals[s], ids[s]))
    group = max(1, round(UPPER_LOWER * len(totals)))
    return set(order[:group]), set(order[-group:])


def distractor_table(scored):
    """Per item and option: who was offered it, who chose it, and the share of the upper and
    lower 27% groups who chose it. An option is its tag on the key sheet (the bank's choice
    number of a fixed item, ``key`` or the misconception of a parameterized one), or the printed
    number when the key sheet has no ``choices`` column; "-" is a blank or unreadable answer."""
    if not scored:
        return []
    totals = [sum(m) for _, m, _ in scored]
    lower, upper = _groups(totals, [c.student_id for c, _, _ in scored])
    table = {}  # (item_id, option) -> {"key": bool, "offered": set, "chosen": set}
    answered = {}  # item_id -> students with that item
    for s, (copy, _, chosen) in enumerate(scored):
        for q, ((item_id, key), choice) in enumerate(zip(copy.keys, chosen)):
            tags = copy.options[q] if q < len(copy.options) else tuple(str(n) for n in range(1, 5))
            answered.setdefault(item_id, set()).add(s)
            for n, tag in enumerate(tags, 1):
                cell = table.setdefault((item_id, tag), {"key": n == key, "offered": set(), "chosen": set()})
                cell["offered"].add(s)
                if choice == n:
                    cell["chosen"].add(s)
            if choice is None:
                table.setdefault((item_id, "-"), {"key": False, "offered": set(), "chosen": set()})["chosen"].add(s)

    def share(chosen, among):
        return round(len(chosen & among) / len(among), 3) if among else None

    rows = []
    for (item_id, tag), cell in table.items():
        offered = cell["offered"] or answered[item_id]
        rows.append({"item_id": item_id, "option": tag, "key": cell["key"], "offered": len(offered),
                     "chosen": len(cell["chosen"]), "share": share(cell["chosen"], offered),
                     "upper": share(cell["chosen"], offered & upper), "lower": share(cell["chosen"], offered & lower)})
    return sorted(rows, key=lambda r: (r["item_id"], r["option"] == "-", not r["key"], r["option"]))


def misconception_summary(distractors):
    """The class's misconceptions, most chosen first: each wrong option (a misconception named
    on the key sheet counts once over every item it appears in) with how often it was chosen."""
    summary = {}
    for row in distractors:
        if row["key"] or row["option"] == "-" or not row["chosen"]:
            continue
        name = row["option"] if not row["option"].isdigit() else f"{row['item_id']} {LABELS[int(row['option']) - 1]}"
        entry = summary.setdefault(name, {"misconception": name, "items": [], "chosen": 0, "offered": 0})
        entry["items"].append(row["item_id"])
        entry["chosen"] += row["chosen"]
        entry["offered"] += row["offered"]
    rows = [dict(e, items=" ".join(e["items"]), share=round(e["chosen"] / e["offered"], 3))
            for e in summary.values()]
    return sorted(rows, key=lambda r: (-r["share"], -r["chosen"], r["misconception"]))


def option_label(option, lang="ko"):
    """An option (a tag of ``distractor_table``, or a name of ``misconception_summary``) as the
    report names it: the tag itself in English; in Korean 보기 ② (the bank's choice number of a
    fixed item), 무응답 (blank or unreadable), or the parameterized option's Korean name."""
    if lang != "ko":
        return option
    if option.isdigit():
        return f"보기 {LABELS[int(option) - 1]}"
    if option == "-":
        return "무응답"
    return OPTION_NAMES_KO.get(option, option)


def kr20(scored):
    """Kuder-Richardson 20 of 0/1 scores: k/(k-1) * (1 - sum p(1-p) / var(total)), over the
    students who answered every item of the test; None with fewer than 2 items or no variance."""
    if not scored:
        return None
    items = sorted({item_id for copy, _ in scored for item_id, _ in copy.keys})
    matrix = []
    for copy, marks in scored:
        by_item = {item_id: m for (item_id, _), m in zip(copy.keys, marks)}
        if set(by_item) == set(items):
            matrix.append([by_item[i] for i in items])
    if len(items) < 2 or len(matrix) < 2:
        return None
    x = np.array(matrix, dtype=float)
    variance = x.sum(axis=1).var()
    if variance == 0:
        return None
    p = x.mean(axis=0)
    k = len(items)
    return float(k / (k - 1) * (1 - (p * (1 - p)).sum() / variance))


def write_csv(rows, path):
    """Write dict rows (the Report's students or items) as CSV."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["empty"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def korean_font_family():
    """The matplotlib family name of the installed Korean font, registered from its file (so a
    font cache made before the font's install still finds it); FontNotInstalledError without it."""
    from matplotlib import font_manager

    path = str(font_file())
    if not any(f.fname == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def report_figure(report, lang="ko"):
    """The matplotlib Figure of ``plot``: the score distribution, and each item's difficulty and
    discrimination with its id beside its point (ids at one point share a label; no two overlap)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    ko = lang == "ko"
    families = [korean_font_family()] if ko else []
    with plt.rc_context({"font.family": families + ["DejaVu Sans"], "axes.unicode_minus": False}):
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
        scores = [s["score"] for s in report.students]
        top = max((s["total"] for s in report.students), default=1)
        left.hist(scores, bins=np.arange(-0.5, top + 1.5, 1), color="#4c72b0", edgecolor="black")
        left.set_xlabel("점수" if ko else "Score")
        left.set_ylabel("학생 수" if ko else "Students")
        left.set_title("점수 분포" if ko else "Score distribution")
        left.yaxis.set_major_locator(MaxNLocator(integer=True))
        points = {}  # (difficulty, discrimination or 0) -> item ids there
        for item in report.items:  # an item everyone (or no one) got right has no discrimination: x at 0
            known = item["discrimination"] is not None
            y = item["discrimination"] if known else 0.0
            right.scatter(item["difficulty"], y, color="#dd8452" if known else "gray", marker="o" if known else "x")
            points.setdefault((item["difficulty"], y), []).append(item["item_id"])
        right.axhline(0.2, color="gray", linestyle="--", linewidth=0.8)
        right.set_xlim(-0.05, 1.05)
        right.set_xlabel("난이도 (정답률)" if ko else "Difficulty (proportion correct)")
        right.set_ylabel("변별도 (점이연 상관)" if ko else "Discrimination (point-biserial)")
        right.set_title("문항 분석" if ko else "Item analysis")
        fig.tight_layout()
        _label_points(right, points)
    return fig


def _label_points(ax, points, size=7):
    """Annotate each point with its ids; a label that would overlap one already placed moves a
    line up or down, further each time (placed after the layout, so the pixels are final)."""
    renderer = ax.figure.canvas.get_renderer()
    placed = []
    for (x, y), ids in sorted(points.items()):
        right_side = x > 0.75  # labels of points near the right edge go to their left
        for step in range(60):
            shift = (step + 1) // 2 * (1 if step % 2 else -1) * (size + 2)
            label = ax.annotate(", ".join(ids), (x, y), fontsize=size, ha="right" if right_side else "left",
                                xytext=(-3 if right_side else 3, 3 + shift), textcoords="offset points")
            box = label.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                break
            label.remove()
        placed.append(box)


def plot(report, path, lang="ko"):
    """PNG (``report_figure``) at ``path``; FontNotInstalledError for Korean without the font."""
    import matplotlib.pyplot as plt

    fig = report_figure(report, lang)
    try:
        fig.savefig(path, dpi=110)
    finally:
        plt.close(fig)
