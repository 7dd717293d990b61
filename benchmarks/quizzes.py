"""Time to build one section's PDF handouts for a lecture hall (300 students), in total and per copy.

Phases, for a synthetic roster of --students students:
  forms+html     drawing every student's variant (Keras caches warm) and rendering its HTML
  pdf xN old     the PDF path as it was before issue 9 §8, on the first --old-students copies:
                 print.css parsed again in every copy, a ``nowrap`` span around every Korean
                 word, an inline-block per choice label (the old text answer grid is gone: both
                 paths now end with issue 16's answer sheet page)
  pdf xN         today's path on every copy (plus the key sheet): the stylesheet parsed once per
                 worker, word joiners instead of spans, inline labels, a fixed-layout key sheet
Both PDF phases run with N worker processes in the same run, the one-off cutting of the Nanum
fonts included. ``seconds`` is wall time; ``cpu_s`` the CPU time of this process and its
workers (on a shared machine wall time also counts other people's work; cpu_s / N is what the
phase takes on N idle cores). Prints a table and writes benchmarks/results/quizzes.json.
Run `python benchmarks/quizzes.py` or `python -m benchmarks.quizzes` from the repository root.
"""
import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
REPO = Path(__file__).resolve().parents[1]
if sys.path[0] == str(Path(__file__).resolve().parent):  # run as a file: this file would shadow the package
    sys.path[0] = str(REPO)

import weasyprint  # noqa: E402
from weasyprint.text.ffi import harfbuzz_subset  # noqa: E402

from quizzes.bank import BANK_DIR, load_section  # noqa: E402
from quizzes.build import section_files, write_pdfs  # noqa: E402
from quizzes.pdf import PdfWriter, _pinned_font_timestamps  # noqa: E402
from quizzes.render import TEMPLATE_DIR  # noqa: E402
from quizzes.variants import RosterEntry, canonical_form  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
LECTURE_HALL_S = 60  # issue 9 §8: a lecture hall's copies in at most a minute on this 2-core machine

# The print.css rules of the old path, put back over today's.
_OLD_CSS = """span.kw { white-space: nowrap; }
ol.choices li { padding-left: 0; text-indent: 0; }
.label { display: inline-block; width: 6mm; margin-right: 0; }
ol.choices .why { margin-left: 6mm; }
"""
_TAG = re.compile(r"(<[^>]*>)")
_KOREAN_WORD = re.compile(r"[^\s<>]*[\uAC00-\uD7A3][^\s<>]*")


def _old_keep_korean_words(html_text):
    """The old markup: every word holding Hangul in a ``<span class="kw">`` (nowrap)."""
    parts, raw = [], None
    for piece in _TAG.split(html_text):
        if piece.startswith("<"):
            tag = (re.match(r"</?\s*([a-zA-Z0-9]+)", piece) or [None, ""])[1].lower()
            if raw is None and tag in ("style", "title", "pre", "script") and not piece.startswith("</"):
                raw = tag
            elif raw == tag and piece.startswith("</"):
                raw = None
            parts.append(piece)
        else:
            parts.append(piece if raw else _KOREAN_WORD.sub(lambda m: f'<span class="kw">{m.group(0)}</span>', piece))
    return "".join(parts)


class OldPdfWriter(PdfWriter):
    """The PDF path before issue 9 §8: the document keeps its <style> (parsed per copy)."""

    def __init__(self, chars):
        super().__init__(chars)
        self._old = weasyprint.CSS(string=_OLD_CSS, font_config=self._font_config)

    def write(self, html_text):
        with _pinned_font_timestamps():
            return weasyprint.HTML(string=_old_keep_korean_words(html_text), base_url=str(TEMPLATE_DIR)).write_pdf(
                stylesheets=[self._css, self._old], font_config=self._font_config)


def _pages(path):
    """Page count from poppler's pdfinfo (the objects sit in compressed object streams)."""
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def _cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _pdf_phase(name, pdfs, workers, writer=None):
    """Write ``pdfs`` ({name: html}) in a temporary folder; the phase's row."""
    copies = sum(n.startswith("students/") for n in pdfs)
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [(Path(tmp) / n.replace("/", "_"), html) for n, html in pdfs.items()]
        cpu, started = _cpu(), time.perf_counter()
        write_pdfs(jobs, workers, writer)
        seconds, cpu_s = time.perf_counter() - started, _cpu() - cpu
        pages = sum(_pages(p) for p, _ in jobs) if shutil.which("pdfinfo") else None
    return {"phase": name, "workers": workers, "copies": copies, "seconds": seconds, "cpu_s": cpu_s,
            "per_copy_ms": 1000 * seconds / copies, "cpu_per_copy_ms": 1000 * cpu_s / copies,
            "pdf_files": len(jobs), "pages": pages}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--old-students", type=int, default=40, help="copies the old path is timed on")
    parser.add_argument("--section", default="9-2")
    parser.add_argument("--bank", type=Path, default=BANK_DIR)
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="PDF worker processes")
    args = parser.parse_args(argv)
    bank = load_section(args.section, args.bank)
    students = [RosterEntry(f"2024{n:04d}", f"학생{n:03d}") for n in range(1, args.students + 1)]
    canonical_form(bank, 0)  # warm-up: Keras import and the cached layer builds of the draws
    load = os.getloadavg()[0]

    started = time.perf_counter()
    _, pdfs = section_files(bank, ("pdf",), students=students)
    render_s = time.perf_counter() - started
    students_pdfs = {n: h for n, h in pdfs.items() if n.startswith("students/")}
    copies = len(students_pdfs)
    rows = [{"phase": "forms+html", "workers": 1, "copies": copies, "seconds": render_s,
             "per_copy_ms": 1000 * render_s / copies}]
    old = dict(list(students_pdfs.items())[:args.old_students])
    rows.append(_pdf_phase(f"pdf x{args.jobs} old", old, args.jobs, OldPdfWriter))
    rows.append(_pdf_phase(f"pdf x{args.jobs}", pdfs, args.jobs))
    old_row, new_row = rows[1], rows[2]
    hall = {"students": copies, "new_s": new_row["seconds"],
            "old_s_estimated": old_row["per_copy_ms"] * copies / 1000,
            "speedup_per_copy": old_row["per_copy_ms"] / new_row["per_copy_ms"],
            "cpu_speedup_per_copy": old_row["cpu_per_copy_ms"] / new_row["cpu_per_copy_ms"],
            "new_s_on_idle_cores": new_row["cpu_s"] / args.jobs, "limit_s": LECTURE_HALL_S}

    print(f"section {args.section}: {copies} student copies, {len(bank.questions)} bank items "
          f"+ parameterized; HarfBuzz subsetting: {'yes' if harfbuzz_subset else 'no (fontTools)'}; "
          f"load average: {load:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs")
    print(f"{'phase':<14} {'copies':>6} {'seconds':>8} {'ms/copy':>8} {'cpu s':>8} {'cpu ms/copy':>12}")
    for row in rows:
        cpu = f"{row['cpu_s']:>8.1f} {row['cpu_per_copy_ms']:>12.0f}" if "cpu_s" in row else ""
        print(f"{row['phase']:<14} {row['copies']:>6} {row['seconds']:>8.1f} {row['per_copy_ms']:>8.0f} {cpu}")
    print(f"lecture hall of {copies}: {hall['new_s']:.1f} s now (old path: {hall['old_s_estimated']:.1f} s "
          f"at its {old_row['per_copy_ms']:.0f} ms a copy), {hall['speedup_per_copy']:.1f}x faster per copy "
          f"({hall['cpu_speedup_per_copy']:.1f}x in CPU time); {hall['new_s_on_idle_cores']:.1f} s of CPU per "
          f"core; limit {LECTURE_HALL_S} s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {"benchmark": "quizzes", "section": args.section, "students": copies,
              "python": platform.python_version(), "weasyprint": weasyprint.__version__,
              "harfbuzz_subset": bool(harfbuzz_subset), "cpus": os.cpu_count(),
              "load_average": [load, os.getloadavg()[0]], "rows": rows,
              "lecture_hall": hall}
    (RESULTS / "quizzes.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / 'quizzes.json'}")


if __name__ == "__main__":
    main()
