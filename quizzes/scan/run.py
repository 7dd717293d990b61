"""One pass over the scans: every page located, identified, read, checked against the key sheet;
``responses.csv`` for ``quizzes score``, ``review.csv`` and ``review.html`` written to OUT.

A page is identified by its QR code (or, when the code cannot be read, by the instructor's
decision naming the student). Its layout is rebuilt from the key sheet's copy and must hash to
the code's layout; the boxes are read (``marks``), a blank sheet's 학번 and variant code from
its bubbles. The pages of one sheet are merged by (section, variant, student). Problems never
pass silently: each is a review row, and the reader's best reading (if any) is what is scored
until the instructor decides. A file or page that cannot be read costs only itself.
"""
import csv
from dataclasses import dataclass, field
from pathlib import Path

import cv2
from tqdm import tqdm

from quizzes.scan.images import ImageError, pages, scan_files
from quizzes.scan.locate import locate, straighten
from quizzes.scan.marks import read_page
from quizzes.scan.review import Problem, read_decisions, write_csv, write_html
from quizzes.scoring import read_key
from quizzes.sheets.layout import ANSWER, sheet_layout
from quizzes.sheets.qr import SheetId
from quizzes.variants import CANONICAL, normal_code

SKIP = "skip"
FIT = 0.5  # read_page's fit below this: the printed boxes are not where the marks put them (a good page: 0.6-0.8)


@dataclass
class Sheet:
    """What one page said: the page's ``item`` name, its SheetId, the student and variant it
    belongs to ("" where unknown), {question: value} and the rows read (for crops)."""

    item: str
    sheet: SheetId
    student_id: str
    variant: str
    answers: dict


@dataclass
class Result:
    """The pass: pages seen, sheets read, sheets with an open problem, pages and files that
    could not be read (with why), pages without a sheet, the review rows and the responses."""

    pages: int = 0
    read: int = 0
    flagged: set = field(default_factory=set)
    unreadable: list = field(default_factory=list)
    blank_pages: int = 0
    problems: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    width: int = 0


class _Key:
    """The key sheet, as the reader needs it: copies by student and by variant, and each copy's
    number of choices per question (the sheet's layout)."""

    def __init__(self, path):
        self.copies, self.sections = read_key(path)
        self.by_variant = {c.variant: c for c in self.copies.values()}
        self.roster = {s for s in self.copies if s}

    def copy(self, student_id="", variant=""):
        if student_id in self.copies:
            return self.copies[student_id]
        if variant in self.by_variant:
            return self.by_variant[variant]
        return self.copies.get("") or next(iter(self.copies.values()))

    @staticmethod
    def choices(copy):
        return [len(tags) for tags in copy.options] if copy.options else [4] * len(copy.keys)


def _fields(sheet):
    return tuple(f for f, v in (("student_id", sheet.student_id), ("variant", sheet.variant)) if not v)


def _layout(key, sheet):
    """The PageLayout a SheetId was printed with, rebuilt from the key sheet, or None."""
    copy = key.copy(sheet.student_id, sheet.variant)
    layouts = sheet_layout(key.choices(copy), _fields(sheet))
    if not 1 <= sheet.page <= len(layouts):
        return None
    return layouts[sheet.page - 1]


def _crop(straight, rect):
    x, y, w, h = rect
    return straight[max(0, y):y + h, max(0, x):x + w]


def _thumbnail(gray):
    f = 700 / max(gray.shape)
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray


class _Pass:
    def __init__(self, key, decisions):
        self.key, self.decisions, self.result = key, decisions, Result()
        self.sheets = []  # Sheet per page read
        self.waiting = set()  # students whose sheet waits for a decision (its variant code): not "missing"

    def problem(self, item, who, text, read="", image=None, flag=True):
        """A review row; ``flag`` counts its sheet as flagged unless the instructor decided it."""
        decision = self.decisions.get(item, "")
        self.result.problems.append(Problem(item, who[0], who[1], text, read, decision, image))
        if flag and not decision:
            self.result.flagged.add(item.split("/")[0])
        return decision

    def unresolved_sheet(self, gray, item, located):
        """A page whose code could not be read: the decision names the student, or it waits."""
        decision = self.problem(f"{item}/sheet", ("", ""), located.problem or "QR 코드를 읽지 못했습니다",
                                image=_thumbnail(gray))
        if not decision or decision.lower() == SKIP:
            if not decision:
                self.result.unreadable.append(f"{item}: {located.problem}")
            return None
        student, _, page = decision.partition(" ")
        copy = self.key.copies.get(student)
        if copy is None:
            self.result.unreadable.append(f"{item}: 결정의 학번 {student}이(가) 정답표에 없습니다")
            return None
        best = None
        for fields in ((), ("student_id",), ("student_id", "variant")):
            layouts = sheet_layout(self.key.choices(copy), fields)
            n = int(page) if page.isdigit() and 1 <= int(page) <= len(layouts) else 1
            for h in located.homographies:
                straight = straighten(gray, h)
                rows, fit = read_page(straight, layouts[n - 1])
                if best is None or fit > best[0]:
                    best = (fit, layouts[n - 1], straight, rows)
        fit, layout, straight, rows = best
        sheet = SheetId(self.key.sections[0] if self.key.sections else "", copy.variant, student, layout.page,
                        layout.pages, layout.hash())
        return sheet, layout, straight, (rows, fit)

    def page(self, gray, item):
        located = locate(gray)
        if located is None:
            self.result.blank_pages += 1
            return
        if located.sheet is None:
            found = self.unresolved_sheet(gray, item, located)
            if found is None:
                return
            sheet, layout, straight, (rows, fit) = found
        else:
            sheet = located.sheet
            who = (sheet.student_id, sheet.variant)
            if self.key.sections and sheet.section not in self.key.sections:
                self.problem(f"{item}/section", who, f"다른 절({sheet.section})의 답안지입니다. 정답표는 "
                             f"{', '.join(self.key.sections)} (a sheet of another section)", flag=False)
                self.result.unreadable.append(f"{item}: 다른 절 {sheet.section}의 답안지")
                return
            if located.problem:
                self.problem(f"{item}/sheet", who, located.problem, image=_thumbnail(gray))
                self.result.unreadable.append(f"{item}: {located.problem}")
                return
            layout = _layout(self.key, sheet)
            if layout is None or layout.hash() != sheet.layout:
                self.problem(f"{item}/sheet", who, "답안지 배치가 정답표와 다릅니다: 다른 빌드나 다른 판의 답안지 "
                             "(the sheet's layout hash does not match the key sheet's copy)", image=_thumbnail(gray))
                self.result.unreadable.append(f"{item}: 배치 해시 불일치")
                return
            straight = straighten(gray, located.homographies[0])
            rows, fit = read_page(straight, layout)
        if fit < FIT:
            self.problem(f"{item}/sheet", (sheet.student_id, sheet.variant), "인쇄된 칸이 제자리에 보이지 않습니다: 구겨짐, "
                         "가림, 잘못 찾은 모서리 (the printed boxes are not where the marks put them)",
                         image=_thumbnail(gray))
            self.result.unreadable.append(f"{item}: 칸 위치가 맞지 않음 (boxes out of place)")
            return
        self.sheet(item, sheet, rows, straight)

    def _row_value(self, item, who, row, straight, label):
        """A row's value after the instructor's decision; a review row while it has a problem."""
        name = f"{item}/{row.field}:{row.row}"
        decision = self.decisions.get(name)
        if row.problem:
            read = " ".join(f"{b.value}:{b.state}{'+erased' if b.rubbed else ''}({b.cover:.2f}, {b.contrast:.2f})"
                            for b in row.boxes if b.state != "empty")
            self.problem(name, who, f"{label} {row.problem}", f"{row.value or '-'}  [{read}]",
                         _crop(straight, row.rect))
        if decision:
            return "" if decision in ("-", "0") else decision
        return row.value

    def _bubbled(self, item, rows, fld, straight):
        """The value of a field bubbled on the sheet (학번 digits, variant characters), or None."""
        values = [self._row_value(item, ("", ""), r, straight, f"{'학번' if fld == 'student_id' else '유형'} "
                                  f"{r.row + 1}번째 칸") for (f, _), r in sorted(rows.items(), key=lambda kv: kv[0][1])
                  if f == fld]
        text = "".join(v or " " for v in values).strip()
        if not text or " " in text or any(len(v) > 1 for v in values):
            return None
        return text

    def sheet(self, item, sheet, rows, straight):
        student_id, variant = sheet.student_id, sheet.variant
        if "student_id" in _fields(sheet):
            student_id = self._bubbled(item, rows, "student_id", straight) or ""
        if "variant" in _fields(sheet):
            variant = normal_code(self._bubbled(item, rows, "variant", straight) or "")
        who = (student_id, variant)
        if not student_id:
            student_id = self.problem(f"{item}/student_id", who, "학번을 읽지 못했습니다 (student id not read)",
                                      image=_thumbnail(straight))
            if not student_id or student_id.lower() == SKIP:
                return
        elif self.key.roster and student_id not in self.key.roster:
            decision = self.problem(f"{item}/student_id", who, f"정답표에 없는 학번 {student_id} (unknown student id)",
                                    student_id, _thumbnail(straight))
            if not decision or decision.lower() == SKIP:
                return
            student_id = decision
        if "variant" in _fields(sheet) and variant not in self.key.by_variant:
            decision = self.problem(f"{item}/variant", who, f"정답표에 없는 유형 {variant or '-'} (unknown variant code)",
                                    variant, _thumbnail(straight))
            if not decision or decision.lower() == SKIP:
                self.waiting.add(student_id)
                return
            variant = normal_code(decision)
        printed_for = self.key.by_variant.get(variant)
        if "variant" in _fields(sheet) and printed_for and printed_for.student_id not in ("", student_id):
            self.problem(f"{item}/variant", who, f"유형 {variant}은(는) {printed_for.student_id}의 사본입니다 "
                         f"(the variant code is another student's copy)", variant, _thumbnail(straight))
        answers = {}
        for (fld, number), row in rows.items():
            if fld == ANSWER:
                answers[number] = self._row_value(item, (student_id, variant), row, straight, f"{number}번")
        self.sheets.append(Sheet(item, sheet, student_id, variant, answers))
        self.result.read += 1

    def merge(self):
        """One responses row per student: pages merged, repeats and missing pages to review."""
        by_student = {}
        for s in self.sheets:
            pages = by_student.setdefault(s.student_id, {})
            if s.sheet.page in pages:
                first = pages[s.sheet.page]
                decision = self.problem(f"{s.item}/duplicate", (s.student_id, s.variant),
                                        f"같은 학생의 답안지가 또 있습니다: 먼저 읽은 {first.item} (same student twice)")
                if decision.lower() == "use":
                    pages[s.sheet.page] = s
                continue
            pages[s.sheet.page] = s
        for student_id, pages in by_student.items():
            any_page = next(iter(pages.values()))
            total = any_page.sheet.pages
            for n in range(1, total + 1):
                if n not in pages:
                    self.problem(f"{any_page.sheet.section}:{student_id}/page:{n}", (student_id, any_page.variant),
                                 f"답안지 {n}/{total}쪽이 없습니다 (page missing)")
            answers = {}
            for page in pages.values():
                answers.update(page.answers)
            variant = "" if any_page.variant == CANONICAL else any_page.variant
            self.result.rows.append((student_id, variant, answers))
            self.result.width = max([self.result.width] + list(answers))
        for student_id, copy in self.key.copies.items():
            if student_id and student_id not in by_student and student_id not in self.waiting:
                self.problem(f"{copy.variant}:{student_id}/missing", (student_id, copy.variant),
                             "이 학생의 답안지가 스캔에 없습니다 (no sheet scanned)", flag=False)


def scan(paths, key_path, out, *, progress=True):
    """Read every sheet in ``paths`` (files or folders) against the key sheet ``key_path``;
    write ``responses.csv``, ``review.csv`` and ``review.html`` under ``out`` (decisions
    already in ``out/review.csv`` applied). Returns the Result."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    key = _Key(key_path)
    run = _Pass(key, read_decisions(out / "review.csv"))
    files = scan_files(paths)
    with tqdm(total=len(files), desc="scan", unit="file", disable=not progress or None) as bar:
        for path in files:
            try:
                for number, gray in pages(path):
                    run.result.pages += 1
                    item = f"{path.name}#{number}"
                    if isinstance(gray, ImageError):
                        run.result.unreadable.append(f"{item}: {gray}")
                        continue
                    try:
                        run.page(gray, item)
                    except Exception as exc:  # one page's failure costs only that page
                        run.result.unreadable.append(f"{item}: {type(exc).__name__}: {exc}")
            except ImageError as exc:
                run.result.unreadable.append(f"{path}: {exc}")
            bar.update()
    run.merge()
    _write_responses(run.result, out / "responses.csv")
    write_csv(run.result.problems, out / "review.csv")
    write_html(run.result.problems, out / "review.html", summary(run.result))
    return run.result


def _write_responses(result, path):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["student_id", "variant"] + [str(n) for n in range(1, result.width + 1)])
        for student_id, variant, answers in result.rows:
            writer.writerow([student_id, variant] + [answers.get(n, "") for n in range(1, result.width + 1)])


def summary(result):
    """One line: pages, sheets read, flagged, unreadable, open review rows."""
    open_rows = sum(1 for p in result.problems if not p.decision)
    return (f"{result.pages}쪽 중 답안지 {result.read}장 읽음, 검토 필요 {len(result.flagged)}장, "
            f"읽지 못함 {len(result.unreadable)}, 답안지 아닌 쪽 {result.blank_pages}; 검토 항목 {open_rows}개 "
            f"({result.pages} pages: {result.read} sheets read, {len(result.flagged)} flagged, "
            f"{len(result.unreadable)} unreadable, {result.blank_pages} without a sheet; {open_rows} open review rows)")
