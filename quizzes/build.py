"""``python -m quizzes build``: handouts, keys, key sheets and LMS exports for some sections.

Layout of OUT for each section S:
    S/handout.{html,md,pdf}, S/key.{html,md,pdf}, S/key.csv      the canonical form
    S/students/<id>_<variant>.{html,md,pdf}                      with a roster
    S/key-sheet.csv, S/key-sheet.{html,pdf}                      with a roster
    S/answer-sheet.{html,pdf}                                    with a roster: a blank sheet
The HTML and PDF handouts end with the copy's answer sheet (``quizzes.sheets``).
    S/moodle.xml, S/qti.zip                                      formats moodle, qti
"""
import os
import re
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from tqdm import tqdm

from quizzes.bank import BANK_DIR, load_section
from quizzes.export_moodle import moodle_xml
from quizzes.export_qti import qti_zip
from quizzes.render import render, render_blank_sheet, render_key_sheet
from quizzes.variants import canonical_form, export_groups, key_csv, read_roster, student_forms

FORMATS = ("html", "pdf", "md", "moodle", "qti")


def parse_formats(text):
    """"html,pdf" -> ("html", "pdf"); ValueError for an unknown format."""
    formats = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown format {unknown or text!r}; choose from {', '.join(FORMATS)}")
    return formats


def _safe(name):
    return re.sub(r"[^0-9A-Za-z._-]", "_", name)


def section_files(bank, formats, *, seed=0, lang="ko", course=None, students=None, export_variants=5):
    """({relative path: bytes}, {relative .pdf path: HTML}) of one section's outputs."""
    files, pdfs = {}, {}

    def needed(fmt):
        return fmt in formats or (fmt == "html" and "pdf" in formats)

    def document(name, fmt, make):
        if not needed(fmt):
            return
        text = make()
        if fmt in formats:
            files[f"{name}.{fmt}"] = text.encode("utf-8")
        if fmt == "html" and "pdf" in formats:
            pdfs[f"{name}.pdf"] = text

    canonical = canonical_form(bank, seed)
    for kind in ("handout", "key"):
        for fmt in ("html", "md"):
            document(kind, fmt, lambda: render(f"{kind}.{fmt}", canonical, lang, course))
    files["key.csv"] = key_csv([canonical])
    if students:
        forms = student_forms(bank, seed, students)
        for form in forms:
            name = f"students/{_safe(form.student.student_id)}_{form.variant}"
            for fmt in ("html", "md"):
                document(name, fmt, lambda: render(f"handout.{fmt}", form, lang, course))
        document("key-sheet", "html", lambda: render_key_sheet(forms, lang, course))
        document("answer-sheet", "html", lambda: render_blank_sheet(canonical, lang, course))
        files["key-sheet.csv"] = key_csv(forms)
    if "moodle" in formats or "qti" in formats:
        groups = [(bank, export_groups(bank, seed, export_variants))]
        if "moodle" in formats:
            files["moodle.xml"] = moodle_xml(groups, lang).encode("utf-8")
        if "qti" in formats:
            files["qti.zip"] = qti_zip(groups, lang)
    return files, pdfs


_WRITER = None


def _start_writer(chars, writer=None):
    """Set up this process's PdfWriter (or ``writer``, a subclass) for documents made of ``chars``."""
    from quizzes.pdf import PdfWriter

    global _WRITER
    if _WRITER is not None:
        _WRITER.close()
    _WRITER = (writer or PdfWriter)(chars)


def _write_pdf(job):
    path, html = job
    path.write_bytes(_WRITER.write(html))


def write_pdfs(jobs, workers=1, writer=None):
    """Write [(path, html)] as PDFs, in ``workers`` processes, with a progress bar.

    Each process cuts the fonts and parses the print stylesheet once and then lays out one copy
    after another (``writer``: a PdfWriter subclass, for the benchmark's comparison)."""
    if not jobs:
        return
    from quizzes.pdf import characters

    chars = characters(html for _, html in jobs)
    with tqdm(total=len(jobs), desc="PDF", unit="copy", disable=None) as progress:
        if workers <= 1 or len(jobs) < 2 * workers:
            _start_writer(chars, writer)
            for job in jobs:
                _write_pdf(job)
                progress.update()
            return
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_start_writer,
                                 initargs=(chars, writer)) as pool:
            for _ in pool.map(_write_pdf, jobs, chunksize=4):
                progress.update()


def build(sections, formats, out, *, seed=0, lang="ko", roster=None, course=None, bank_dir=BANK_DIR,
          export_variants=5, jobs=None):
    """Build ``formats`` for ``sections`` under ``out``; returns the written paths, sorted."""
    out = Path(out)
    students = read_roster(roster) if roster else None
    written, jobs_ = [], []
    for section in sections:
        files, pdfs = section_files(load_section(section, bank_dir), formats, seed=seed, lang=lang,
                                    course=course, students=students, export_variants=export_variants)
        for name, data in files.items():
            path = out / section / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
        for name, html in pdfs.items():
            path = out / section / name
            path.parent.mkdir(parents=True, exist_ok=True)
            jobs_.append((path, html))
    write_pdfs(jobs_, jobs or os.cpu_count() or 1)
    return sorted(written + [path for path, _ in jobs_])
