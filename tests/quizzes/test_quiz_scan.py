"""Answer sheets end to end: the build's real PDFs, marked and scanned (samples/scans.py), read back by
``quizzes scan`` and compared with what was marked. A few dozen sheets in all; the 200+ sheet
measurement is benchmarks/scan.py."""
import copy
import csv
import shutil

import cv2
import numpy as np
import pytest
import yaml

from quizzes.build import build
from quizzes.cli import main
from quizzes.scan.run import scan
from quizzes.scoring import read_key
from quizzes.sheets.layout import ANSWER, sheet_layout
from quizzes.sheets.qr import SheetId, decode, encode

from quiz_support import FIXTURE_BANK, copy_bank
from samples.scans import (Pen, copier, draw_mark, erase, mark_sheet, page_count, pdf_of, phone, render_pdf_page,
                           stroke_across)

ROSTER = ["2024101", "2024102", "2024103", "2024104", "2024105", "2024106"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(build folder, key sheet path, copies by student) for sections 9-1 and 9-2."""
    folder = tmp_path_factory.mktemp("sheets")
    roster = folder / "roster.csv"
    roster.write_text("student_id,name\n" + "".join(f"{s},학생{i}\n" for i, s in enumerate(ROSTER)), encoding="utf-8")
    build(["9-1", "9-2"], ("pdf",), folder / "out", roster=roster, bank_dir=FIXTURE_BANK, jobs=1)
    key = folder / "out" / "9-2" / "key-sheet.csv"
    copies, _ = read_key(key)
    return folder / "out", key, copies


def _pdf(out, section, student):
    (path,) = (out / section / "students").glob(f"{student}_*.pdf")
    return path


def _choices(copies):
    return [4] * len(next(iter(copies.values())).keys)


def _marked(out, copies, student, rng, dpi=200, section="9-2", **kw):
    """A marked sheet page of ``student``'s copy: (image, {question: choice}, Truth)."""
    pdf = _pdf(out, section, student)
    img = render_pdf_page(pdf, page_count(pdf) - 1, dpi)
    layout = sheet_layout(_choices(copies), ())[0]
    answers = {q: int(rng.integers(1, 5)) for q in range(1, len(layout.questions) + 1)}
    truth = mark_sheet(img, layout, dpi, rng, answers, **kw)
    return img, answers, truth


def _responses(folder):
    with open(folder / "responses.csv", encoding="utf-8-sig", newline="") as f:
        return {row["student_id"]: row for row in csv.DictReader(f)}


def _review(folder):
    with open(folder / "review.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _open_items(folder):
    return {r["item"] for r in _review(folder) if not r["decision"]}


def _assert_read(responses, review_items, student, item_prefix, truth):
    """Every answer row reads as marked, or its row is in the review list."""
    row = responses[student]
    wrong = []
    for (field, q), value in truth.values.items():
        if field == ANSWER and row[str(q)] != value and f"{item_prefix}/answer:{q}" not in review_items:
            wrong.append((q, value, row[str(q)]))
    assert not wrong, (student, wrong)
    for field, q in truth.doubtful:
        assert row[str(q)] == truth.values[(field, q)] or f"{item_prefix}/answer:{q}" in review_items


def test_printed_boxes_are_where_the_layout_says(built):
    """The boxes and corner marks of the rendered PDFs (a student's copy and the blank sheet) lie
    within 0.15 mm of the layout the reader measures."""
    out, _, copies = built
    for pdf, fields in ((_pdf(out, "9-2", ROSTER[0]), ()), (out / "9-2" / "answer-sheet.pdf", ("student_id", "variant"))):
        layout = sheet_layout(_choices(copies), fields)[0]
        f = 300 / 25.4
        img = render_pdf_page(pdf, page_count(pdf) - 1, 300)
        _, bw = cv2.threshold(img, 128, 255, cv2.THRESH_BINARY_INV)
        contours, _ = cv2.findContours(bw, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        rects = np.array([cv2.boundingRect(c) for c in contours], float) / f
        wanted = [(b.x, b.y, b.w, b.h) for b in layout.boxes]
        wanted += [(x - layout.mark_size / 2, y - layout.mark_size / 2, layout.mark_size, layout.mark_size)
                   for x, y in layout.marks]
        for want in wanted:
            error = np.abs(rects - np.array(want)).max(axis=1).min()
            assert error < 0.15, (pdf.name, want, error)


def test_layout_is_data_and_pages_split():
    one = sheet_layout([4] * 12, ())
    assert len(one) == 1 and len(one[0].boxes) == 48
    many = sheet_layout([5] * 60 + [3] * 40, ("student_id", "variant"))
    assert len(many) > 1 and all(p.pages == len(many) for p in many)
    numbers = [q for p in many for q in p.questions]
    assert numbers == list(range(1, 101))
    rows = {k: v for p in many for k, v in p.rows().items() if k[0] == ANSWER}
    assert [len(rows[(ANSWER, q)]) for q in range(1, 101)] == [5] * 60 + [3] * 40
    assert all(len([k for k in p.rows() if k[0] == "student_id"]) == 10 for p in many)  # 학번 on every page
    assert len({p.hash() for p in many}) == len(many) and one[0].hash() != sheet_layout([4] * 11, ())[0].hash()


def test_qr_text_round_trip_and_checksum():
    sheet = SheetId("9-2", "AB12CD", "학번|7/1", 1, 2, "0123abcd")
    assert decode(encode(sheet)) == sheet
    tampered = encode(sheet).replace("AB12CD", "AB12CE")
    with pytest.raises(ValueError, match="checksum"):
        decode(tampered)
    with pytest.raises(ValueError):
        decode("https://example.org")


def test_copier_pdf_and_phone_photos_read_as_marked(built, tmp_path):
    """Six students: pens, pencils, shapes, erasures, cancels and stray strokes; copier scans at
    150/200/300 dpi in one PDF (one page upside down), two phone photos; a broken file."""
    out, key, copies = built
    rng = np.random.default_rng(16)
    scans = tmp_path / "scans"
    scans.mkdir()
    truths, pages = {}, []
    for i, student in enumerate(ROSTER[:4]):
        dpi = (150, 200, 300, 200)[i]
        img, _, truth = _marked(out, copies, student, rng, dpi, erasures=0.15, cancels=0.1)
        scanned = copier(img, rng, upside_down=i == 1)
        if dpi != 200:
            scanned = cv2.resize(scanned, None, fx=200 / dpi, fy=200 / dpi, interpolation=cv2.INTER_AREA)
        pages.append(scanned)
        truths[student] = (f"copier.pdf#{i + 1}", truth)
    (scans / "copier.pdf").write_bytes(pdf_of(pages, 200))
    for student in ROSTER[4:]:
        img, _, truth = _marked(out, copies, student, rng, 200, pen_kind="pencil")
        cv2.imwrite(str(scans / f"{student}.jpg"), phone(img, rng))
        truths[student] = (f"{student}.jpg#1", truth)
    (scans / "broken.png").write_bytes(b"\x89PNG but not really")
    result = scan([scans], key, tmp_path / "res", progress=False)
    assert result.read == 6 and len(result.unreadable) == 1 and "broken.png" in result.unreadable[0]
    responses, review = _responses(tmp_path / "res"), _open_items(tmp_path / "res")
    for student, (item, truth) in truths.items():
        _assert_read(responses, review, student, item, truth)
        assert responses[student]["variant"] == copies[student].variant
    html = (tmp_path / "res" / "review.html").read_text(encoding="utf-8")
    assert "답안지 검토" in html


def test_doubles_and_faint_marks_go_to_review_and_decisions_apply(built, tmp_path):
    out, key, copies = built
    rng = np.random.default_rng(7)
    img, _, truth = _marked(out, copies, ROSTER[0], rng, 200, doubles=0.3, faint=0.3, erasures=0, cancels=0,
                            pen_kind="pen")
    assert truth.doubtful
    scans = tmp_path / "scans"
    scans.mkdir()
    cv2.imwrite(str(scans / "a.png"), copier(img, rng))
    res = tmp_path / "res"
    scan([scans], key, res, progress=False)
    responses, review = _responses(res), _open_items(res)
    _assert_read(responses, review, ROSTER[0], "a.png#1", truth)
    doubles = [q for (f, q), v in truth.values.items() if "/" in v]
    for q in doubles:  # a double mark is never scored as one of its answers silently
        assert f"a.png#1/answer:{q}" in review
    assert any("/answer:" in item for item in review)
    rows = _review(res)
    for row in rows:  # the instructor decides every open answer row: here, the first choice
        if "/answer:" in row["item"]:
            row["decision"] = "1"
    with open(res / "review.csv", "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    result = scan([scans], key, res, progress=False)
    decided = {r["item"] for r in rows if r["decision"]}
    assert not (decided & _open_items(res)) and not result.flagged
    again = _responses(res)[ROSTER[0]]
    for item in decided:
        assert again[item.rsplit(":", 1)[1]] == "1"


def _change_of_mind(img, layout, dpi, rng, pen):
    """Mark the rows of a sheet page with changes of mind beside strokes that are not a clear mark:
    {question: (what the student meant, must the row go to review?)}."""
    rows = layout.rows()
    truth = {}
    for q in layout.questions:
        boxes = rows[(ANSWER, q)]
        old, other = (boxes[i] for i in rng.permutation(len(boxes))[:2])
        case = (q - 1) % 6
        if case in (0, 1, 3, 4):  # a mark rubbed out, a grey left (case 1: a fill's, all around the later stroke)
            draw_mark(img, old, dpi, pen, "fill" if case == 1 else rng.choice(["fill", "cross"]), rng)
            erase(img, old, dpi, rng, clean=case == 4)  # a darker grey than a clean rub's reads as a faint mark
        if case == 0:  # ... and a stray stroke across another box: the row was left blank
            stroke_across(img, other, dpi, rng)
            truth[q] = ("", True)
        elif case == 1:  # ... and a stray stroke over the rubbed-out filled box
            stroke_across(img, old, dpi, rng)
            truth[q] = ("", True)
        elif case == 2:  # a box filled to cancel it, and a stray stroke across another box
            draw_mark(img, old, dpi, pen, "solid", rng)
            stroke_across(img, other, dpi, rng)
            truth[q] = ("", True)
        elif case == 3:  # ... and a faint small tick: the new answer, too faint to be sure of
            draw_mark(img, other, dpi, Pen(rng, "light pencil", dpi), "tick", rng, size=0.45)
            truth[q] = (str(other.value), True)
        elif case == 4:  # ... cleanly, and a new answer filled in: a plain change of answer, read alone
            draw_mark(img, other, dpi, pen, "fill", rng)
            truth[q] = (str(other.value), False)
        else:  # an ordinary mark
            draw_mark(img, other, dpi, pen, rng.choice(["fill", "cross", "tick"]), rng)
            truth[q] = (str(other.value), False)
    return truth


def test_stray_strokes_beside_erased_or_cancelled_marks_go_to_review(built, tmp_path):
    """A row that shows a change of mind (a mark rubbed out, a box filled to cancel) and another
    stroke that is not a clear mark is never decided silently: a straight stray stroke (as thin as
    a tick) across another box or over the rubbed-out box of a row left blank, a stray stroke
    beside a cancelled box, a faint tick beside a rubbed-out mark each go to review with the crop
    of their row; a rubbed-out mark beside a new filled answer, and ordinary marks, are read alone.
    Two students' copies: a copier scan (pen) and a phone photo (pencil)."""
    out, key, copies = built
    rng = np.random.default_rng(1616)
    scans = tmp_path / "scans"
    scans.mkdir()
    layout = sheet_layout(_choices(copies), ())[0]
    assert len(layout.questions) >= 6
    truths = {}
    for student, pen_kind, name in ((ROSTER[0], "pen", "a.png"), (ROSTER[1], "pencil", "b.jpg")):
        pdf = _pdf(out, "9-2", student)
        img = render_pdf_page(pdf, page_count(pdf) - 1, 200)
        truths[student] = (name, _change_of_mind(img, layout, 200, rng, Pen(rng, pen_kind, 200)))
        cv2.imwrite(str(scans / name), copier(img, rng) if name.endswith("png") else phone(img, rng))
    res = tmp_path / "res"
    scan([scans], key, res, progress=False)
    responses, review = _responses(res), _open_items(res)
    html = (res / "review.html").read_text(encoding="utf-8")
    for student, (name, truth) in truths.items():
        for q, (meant, doubtful) in truth.items():
            item, got = f"{name}#1/answer:{q}", responses[student][str(q)]
            if doubtful:
                assert item in review, (item, meant, got)
                assert f'<img alt="{item}" src="data:image/png;base64,' in html, item
            else:
                assert got == meant and item not in review, (item, meant, got)


def test_blank_sheet_bubbled_id_and_variant(built, tmp_path):
    """A blank sheet: the student bubbles 학번 and the variant code; a phone photo of it is scored
    on the copy that code names. A faint bubble after the 학번's last digit is not taken as blank
    (it would lengthen or, rubbed out, shorten the 학번 unnoticed): it goes to review."""
    out, key, copies = built
    rng = np.random.default_rng(3)
    student = ROSTER[2]
    variant = copies[student].variant
    img = render_pdf_page(out / "9-2" / "answer-sheet.pdf", 0, 200)
    layout = sheet_layout(_choices(copies), ("student_id", "variant"))[0]
    ids = {("student_id", i): (student + " " * 10)[i].strip() for i in range(10)}
    ids |= {("variant", i): c for i, c in enumerate(variant)}
    answers = {q: k for q, (_, k) in enumerate(copies[student].keys, 1)}
    truth = mark_sheet(img, layout, 200, rng, answers, ids, pen_kind="pen", erasures=0, cancels=0, strays=0)
    faint = next(b for b in layout.boxes if b.field == "student_id" and b.row == len(student) and b.value == "5")
    draw_mark(img, faint, 200, Pen(rng, "pencil", 200), "tick", rng, size=0.6)
    scans = tmp_path / "scans"
    scans.mkdir()
    cv2.imwrite(str(scans / "photo.jpg"), phone(img, rng))
    scan([scans], key, tmp_path / "res", progress=False)
    review = _open_items(tmp_path / "res")
    assert f"photo.jpg#1/student_id:{len(student)}" in review, review
    row = _responses(tmp_path / "res").get(student)
    if row is not None:  # read as the 학번 without the faint digit, the digit in review
        assert row["variant"] == variant
        _assert_read({student: row}, review, student, "photo.jpg#1", truth)


def test_unreadable_code_duplicate_other_section_missing(built, tmp_path):
    """A page whose QR code is smudged waits for the instructor's 학번; the same student twice,
    a sheet of another section and a student with no sheet each go to review; the rest is read."""
    out, key, copies = built
    rng = np.random.default_rng(5)
    scans = tmp_path / "scans"
    scans.mkdir()
    img, _, truth = _marked(out, copies, ROSTER[0], rng, 200, erasures=0, cancels=0)
    smudged = img.copy()
    f = 200 / 25.4
    qx, qy, side = sheet_layout(_choices(copies), ())[0].qr
    cv2.rectangle(smudged, (int((qx + 6) * f), int((qy + 6) * f)), (int((qx + side - 6) * f), int((qy + 14) * f)), 255, -1)
    cv2.imwrite(str(scans / "smudged.png"), copier(smudged, rng))
    cv2.imwrite(str(scans / "twice.png"), copier(_marked(out, copies, ROSTER[1], rng, 200)[0], rng))
    cv2.imwrite(str(scans / "twice2.png"), copier(_marked(out, copies, ROSTER[1], rng, 200)[0], rng))
    other, _, _ = _marked(out, read_key(out / "9-1" / "key-sheet.csv")[0], ROSTER[2], rng, 200, section="9-1")
    cv2.imwrite(str(scans / "other.png"), copier(other, rng))
    res = tmp_path / "res"
    result = scan([scans], key, res, progress=False)
    problems = {r["item"]: r for r in _review(res)}
    assert "smudged.png#1/sheet" in problems and ROSTER[0] not in _responses(res)
    assert "twice2.png#1/duplicate" in problems
    assert "other.png#1/section" in problems and "9-1" in problems["other.png#1/section"]["problem"]
    assert any(item.endswith(f"{ROSTER[3]}/missing") for item in problems)
    assert result.read == 2  # both sheets of the student seen twice; not the smudged one, not 9-1
    rows = _review(res)
    for row in rows:
        if row["item"] == "smudged.png#1/sheet":
            row["decision"] = ROSTER[0]
    with open(res / "review.csv", "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    scan([scans], key, res, progress=False)
    _assert_read(_responses(res), _open_items(res), ROSTER[0], "smudged.png#1", truth)


def test_command_line(built, tmp_path, capsys):
    out, key, copies = built
    rng = np.random.default_rng(11)
    img, answers, _ = _marked(out, copies, ROSTER[3], rng, 150, pen_kind="pen", erasures=0, cancels=0, strays=0)
    (tmp_path / "s.pdf").write_bytes(pdf_of([copier(img, rng)], 150))
    assert main(["scan", str(tmp_path / "s.pdf"), "--key", str(key), "--out", str(tmp_path / "res")]) == 0
    printed = capsys.readouterr().out
    assert "답안지 1장 읽음" in printed and "1 sheets read" in printed
    scores = list(csv.DictReader(open(tmp_path / "res" / "scores.csv", encoding="utf-8-sig")))
    keys = [k for _, k in copies[ROSTER[3]].keys]
    assert [s["student_id"] for s in scores] == [ROSTER[3]]
    assert int(scores[0]["score"]) == sum(answers[q] == k for q, k in enumerate(keys, 1))
    assert main(["scan", str(tmp_path / "nothing.pdf"), "--key", str(key), "--out", str(tmp_path / "r2")]) == 1
    assert "nothing.pdf" in capsys.readouterr().err
    shutil.rmtree(tmp_path / "res")


def test_two_page_blank_sheet_and_whole_handouts(tmp_path):
    """45+ questions: the blank sheet takes two pages (학번 and variant bubbled on each). One
    student's pages come in reverse order, the first upside down, and are merged into one row;
    another's second page is missing (review); a whole student handout (question pages, the blank
    page before the sheet, the sheet) is scanned as it comes: only its sheet is read."""
    bank = copy_bank(tmp_path)
    data = yaml.safe_load((bank / "9-2.yaml").read_text(encoding="utf-8"))
    items = []
    for k in range(45):
        item = copy.deepcopy(data["items"][k % len(data["items"])])
        item["id"] = f"9-2-{'x' if '-x' in item['id'] else ''}{k + 1}"  # the id's form follows its origin
        item["stem"] = {lang: f"({k + 1}) {text}" for lang, text in item["stem"].items()}
        items.append(item)
    data["items"] = items
    (bank / "9-2.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name\n" + "".join(f"{s},학생\n" for s in ROSTER[:3]), encoding="utf-8")
    build(["9-2"], ("pdf",), tmp_path / "out", roster=roster, bank_dir=bank, jobs=1)
    out, key = tmp_path / "out" / "9-2", tmp_path / "out" / "9-2" / "key-sheet.csv"
    copies, _ = read_key(key)
    blank = out / "answer-sheet.pdf"
    n = len(copies[ROSTER[0]].keys)  # the 45 questions and the fixture's parameterized ones
    layouts = sheet_layout(_choices(copies), ("student_id", "variant"))
    assert len(layouts) == page_count(blank) == 2
    rng = np.random.default_rng(45)
    truths, pages = {}, []
    for student in ROSTER[:2]:
        ids = {("student_id", i): (student + " " * 10)[i].strip() for i in range(10)}
        ids |= {("variant", i): c for i, c in enumerate(copies[student].variant)}
        answers = {q: int(rng.integers(1, 5)) for q in range(1, n + 1)}
        truths[student] = answers
        for index, layout in enumerate(layouts):
            img = render_pdf_page(blank, index, 200)
            mark_sheet(img, layout, 200, rng, answers, ids, pen_kind="pen", erasures=0, cancels=0, strays=0)
            pages.append((student, index, img))
    first, second = [img for s, i, img in pages if s == ROSTER[0]]
    scanned = [copier(second, rng), copier(first, rng, upside_down=True), copier(pages[2][2], rng)]
    handout = _pdf(out.parent, "9-2", ROSTER[2])
    last = page_count(handout) - 1
    img = render_pdf_page(handout, last, 200)
    own = {q: int(rng.integers(1, 5)) for q in range(1, n + 1)}
    mark_sheet(img, sheet_layout(_choices(copies), ())[0], 200, rng, own, pen_kind="pencil", erasures=0, cancels=0, strays=0)
    scanned += [copier(render_pdf_page(handout, i, 200), rng) for i in range(last)] + [copier(img, rng)]
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "copier.pdf").write_bytes(pdf_of(scanned, 200))
    result = scan([scans], key, tmp_path / "res", progress=False)
    assert result.read == 4 and result.blank_pages == last and not result.unreadable, result
    responses = _responses(tmp_path / "res")
    for student, answers in ((ROSTER[0], truths[ROSTER[0]]), (ROSTER[2], own)):
        assert [responses[student][str(q)] for q in range(1, n + 1)] == [str(answers[q]) for q in range(1, n + 1)]
    half = [responses[ROSTER[1]][str(q)] for q in range(1, n + 1)]
    assert half == [str(truths[ROSTER[1]][q]) for q in layouts[0].questions] + [""] * len(layouts[1].questions)
    items = {r["item"] for r in _review(tmp_path / "res")}
    assert f"9-2:{ROSTER[1]}/page:2" in items and not any(ROSTER[0] in i or ROSTER[2] in i for i in items), items
