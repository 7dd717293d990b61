"""PDF handouts: pages render, the text reads back, only embedded Nanum fonts, no missing glyphs."""
import re
import shutil
import subprocess

import pytest
import yaml
from PIL import Image

from quizzes.bank import load_section
from quizzes.build import build
from quizzes.pdf import MissingGlyphError, html_to_pdf
from quizzes.variants import read_roster, student_form

from quiz_support import FIXTURE_BANK, copy_bank

pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftoppm", "pdftotext", "pdffonts")),
                                reason="poppler-utils is not installed")


def _run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def handout(tmp_path_factory):
    """(pdf path, the student's Form) of one student's 9-2 handout."""
    folder = tmp_path_factory.mktemp("pdf")
    roster = folder / "roster.csv"
    roster.write_text("student_id,name\n2024007,홍길동\n", encoding="utf-8")
    build(["9-2"], ("pdf",), folder / "out", roster=roster, bank_dir=FIXTURE_BANK, jobs=1)
    form = student_form(load_section("9-2", FIXTURE_BANK), 0, read_roster(roster)[0], "")
    (pdf,) = (folder / "out" / "9-2" / "students").glob("2024007_*.pdf")
    return pdf, form


def test_first_page_renders_to_an_image(handout, tmp_path):
    pdf, _ = handout
    _run("pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "page"))
    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    assert abs(image.height / image.width - 297 / 210) < 0.02  # A4 portrait
    dark = sum(1 for v in image.getdata() if v < 128) / (image.width * image.height)
    assert 0.01 < dark < 0.5  # text is drawn, the page is not a black box


def test_text_reads_back(handout):
    pdf, form = handout
    variant = pdf.stem.split("_")[1]
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf))).group(1))
    text = _run("pdftotext", "-layout", str(pdf), "-")
    for expected in ("혼자 공부하는 머신러닝+딥러닝", "홍길동", "2024007", variant, "답안지", "①", "④"):
        assert expected in text
    first_stem = re.sub(r"[*`]", "", form.questions[0].stem["ko"])
    assert first_stem[:15] in re.sub(r"\s+", " ", text)
    for page in range(1, pages):  # footer from the @page margin box, on every page but the answer sheet
        assert f"9-2 확인 문제 · 유형 {variant} · {page} / {pages}" in text
    assert f"· {pages} / {pages}" not in text


def test_fonts_are_embedded_nanum(handout):
    pdf, _ = handout
    rows = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows
    for row in rows:
        name, emb = row.split()[0], row.split()[-5]
        assert "Nanum" in name and emb == "yes", row


def test_missing_glyph_fails(tmp_path):
    bank_copy = copy_bank(tmp_path)
    with pytest.raises(MissingGlyphError, match="U\\+E000"):
        html_to_pdf("<p>\ue000</p>")
    path = bank_copy / "9-1.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["items"][0]["stem"]["ko"] += " \ue000"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MissingGlyphError):
        build(["9-1"], ("pdf",), tmp_path / "out", bank_dir=bank_copy, jobs=1)
    assert html_to_pdf("<p>한글 ① (16, 64)</p>").startswith(b"%PDF")


def test_korean_words_and_ids_never_break(tmp_path):
    """A narrow column forces many line breaks: each must fall between words, and the id stays whole."""
    words = ["순환층을", "2개", "이상", "쌓을", "때", "마지막", "순환층을", "뺀", "나머지", "층이", "모든",
             "타임스텝의", "은닉", "상태를", "출력하도록", "지정하는", "매개변수는?"] * 2
    html = ('<html><head><style>html { font-family: "NanumGothic Quiz"; word-break: keep-all; }'
            ' .id { white-space: nowrap; }</style></head><body><p style="width: 28mm">'
            + " ".join(words) + ' <small class="id">[9-3-p1]</small></p></body></html>')
    path = tmp_path / "narrow.pdf"
    path.write_bytes(html_to_pdf(html))
    lines = [line.strip() for line in _run("pdftotext", str(path), "-").splitlines() if line.strip()]
    assert len(lines) > 5  # the column really wraps
    tokens = [t for line in lines for t in line.split()]
    assert tokens == words + ["[9-3-p1]"], lines


def test_keep_korean_words_markup():
    from quizzes.pdf import keep_korean_words

    j = "\u2060"  # WORD JOINER
    html = ('<title>9-2 확인</title><p>다음 <code>x</code>의 크기는? W_h(Keras의 &#39;모델&#39;)</p>'
            '<pre>a = 1  # 주석</pre>')
    assert keep_korean_words(html) == (f'<title>9-2 확인</title><p>다{j}음 <code>x</code>의 크{j}기{j}는{j}? '
                                       f'W{j}_{j}h{j}({j}K{j}e{j}r{j}a{j}s{j}의 &#39;{j}모{j}델{j}&#39;{j})</p>'
                                       '<pre>a = 1  # 주석</pre>')


def test_answer_sheet_is_a_page_of_its_own(tmp_path):
    """A short form (one bank question): its questions on page 1, page 2 left blank with a note,
    the answer sheet on page 3: printed double-sided, the sheet starts a leaf of its own (no
    question on its back), so it can be handed in and scanned alone."""
    bank = copy_bank(tmp_path)
    data = yaml.safe_load((bank / "9-1.yaml").read_text(encoding="utf-8"))
    data["items"] = data["items"][:1]
    (bank / "9-1.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    build(["9-1"], ("pdf",), tmp_path / "out", bank_dir=bank, jobs=1)
    pdf = tmp_path / "out" / "9-1" / "handout.pdf"
    info = _run("pdfinfo", str(pdf))
    assert re.search(r"^Pages:\s+3$", info, re.M), info
    blank = _run("pdftotext", "-f", "2", "-l", "2", str(pdf), "-")
    assert "비워 두었습니다" in blank and "답안지는 새 장에서" in blank and "①" not in blank
    assert "답안지 · 9-1" in _run("pdftotext", "-f", "3", "-l", "3", str(pdf), "-")


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    """A small lecture hall built with two PDF workers: (output folder, roster path)."""
    folder = tmp_path_factory.mktemp("hall")
    roster = folder / "roster.csv"
    roster.write_text("student_id,name\n2024101,김하나\n2024102,이두리\n2024103,박세나\n2024104,최네오\n",
                      encoding="utf-8")
    build(["9-1"], ("pdf",), folder / "a", roster=roster, bank_dir=FIXTURE_BANK, seed=5, jobs=2)
    return folder, roster


def _pdfs(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*.pdf"))}


def test_lecture_hall_is_byte_identical_whatever_the_workers(hall):
    """Two builds with two workers, and one with a single process, give the same bytes."""
    folder, roster = hall
    build(["9-1"], ("pdf",), folder / "b", roster=roster, bank_dir=FIXTURE_BANK, seed=5, jobs=2)
    build(["9-1"], ("pdf",), folder / "c", roster=roster, bank_dir=FIXTURE_BANK, seed=5, jobs=1)
    a, b, c = _pdfs(folder / "a"), _pdfs(folder / "b"), _pdfs(folder / "c")
    assert len(a) == 4 + 4  # four students, handout, key, key sheet, blank answer sheet
    assert a.keys() == b.keys() == c.keys()
    assert [p for p in a if not a[p] == b[p] == c[p]] == []


def test_each_student_file_holds_one_copy_in_nanum_fonts(hall):
    folder, _ = hall
    files = sorted((folder / "a" / "9-1" / "students").glob("*.pdf"))
    ids = {"2024101", "2024102", "2024103", "2024104"}
    codes = {p.stem.split("_")[0]: p.stem.split("_")[1] for p in files}
    assert set(codes) == ids and len(set(codes.values())) == 4
    for pdf in files:
        student = pdf.stem.split("_")[0]
        text = _run("pdftotext", "-layout", str(pdf), "-")
        assert text.count("혼자 공부하는 머신러닝+딥러닝") == 1 and text.count("각 문항에서 알맞은 답을") == 1, pdf
        assert [s for s in ids if s in text] == [student]
        assert [c for c in codes.values() if c in text] == [codes[student]]
        pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf))).group(1))
        footers = re.findall(r"9-1 확인 문제 · 유형 (\w+) · (\d+) / (\d+)", text)
        assert footers == [(codes[student], str(n), str(pages)) for n in range(1, pages)], footers  # not the sheet
        rows = _run("pdffonts", str(pdf)).splitlines()[2:]
        assert rows and all("Nanum" in r.split()[0] and r.split()[-5] == "yes" for r in rows), rows


def test_writer_parses_the_print_stylesheet_once(monkeypatch):
    """print.css is the same in every copy: a writer parses it once, not once per copy."""
    import weasyprint

    from quizzes import pdf
    from quizzes.render import render
    from quizzes.variants import RosterEntry, student_forms

    bank = load_section("9-1", FIXTURE_BANK)
    forms = student_forms(bank, 0, [RosterEntry(str(n), "가") for n in range(3)])
    htmls = [render("handout.html", form) for form in forms]
    parsed = []
    real_css = weasyprint.CSS

    def counting_css(*args, **kwargs):
        parsed.append(kwargs.get("string", ""))
        return real_css(*args, **kwargs)

    monkeypatch.setattr(pdf.weasyprint, "CSS", counting_css)
    with pdf.PdfWriter(pdf.characters(htmls)) as writer:
        outputs = [writer.write(h) for h in htmls]
    print_css = [text for text in parsed if "table.bubbles" in text]
    assert len(print_css) == 1, len(print_css)
    assert all(o.startswith(b"%PDF") for o in outputs)


def test_answer_sheet_prints_one_row_of_boxes_per_question(handout):
    """The last page is the answer sheet: its heading, the readable code line, a number per question."""
    pdf, form = handout
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf))).group(1))
    sheet = _run("pdftotext", "-layout", "-f", str(pages), "-l", str(pages), str(pdf), "-")
    assert "답안지 · 9-2" in sheet and "① ② ③ ④".replace(" ", "") in sheet.replace(" ", "")
    variant = pdf.stem.split("_")[1]
    assert re.search(rf"9-2 · {variant} · 2024007 · 1/1 · [0-9a-f]{{8}}-[0-9a-f]{{4}}", sheet), sheet
    numbers = sorted(int(n) for n in re.findall(r"(?<![\d/-])(\d{1,2})(?![\d/-])", sheet.split("마세요.")[-1]))
    assert numbers == list(range(1, len(form.questions) + 1))