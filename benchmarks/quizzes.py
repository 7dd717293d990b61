"""Time to build one section's PDF handouts for a 300-student roster, in total and per copy.

Phases, for a synthetic roster of --students students:
  forms+html   drawing every student's variant (Keras caches warm) and rendering its HTML
  pdf xN       writing the handout PDFs (plus the key sheet) with N worker processes,
               the one-off cutting of the Nanum fonts included
Prints a table and writes benchmarks/results/quizzes.json.
Run `python benchmarks/quizzes.py` or `python -m benchmarks.quizzes` from the repository root.
"""
import argparse
import json
import os
import platform
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
from quizzes.variants import RosterEntry, canonical_form  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--section", default="9-2")
    parser.add_argument("--bank", type=Path, default=BANK_DIR)
    parser.add_argument("--jobs", default=f"1,{os.cpu_count()}", help="comma list of PDF worker counts")
    args = parser.parse_args(argv)
    bank = load_section(args.section, args.bank)
    students = [RosterEntry(f"2024{n:04d}", f"학생{n:03d}") for n in range(1, args.students + 1)]
    canonical_form(bank, 0)  # warm-up: Keras import and the cached layer builds of the draws

    started = time.perf_counter()
    _, pdfs = section_files(bank, ("pdf",), students=students)
    render_s = time.perf_counter() - started
    copies = sum(name.startswith("students/") for name in pdfs)
    rows = [{"phase": "forms+html", "workers": 1, "seconds": render_s, "per_copy_ms": 1000 * render_s / copies}]
    for workers in sorted({int(j) for j in args.jobs.split(",")}):
        with tempfile.TemporaryDirectory() as tmp:
            jobs = [(Path(tmp) / name.replace("/", "_"), html) for name, html in pdfs.items()]
            started = time.perf_counter()
            write_pdfs(jobs, workers)
            seconds = time.perf_counter() - started
            pages = sum(p.read_bytes().count(b"/Type /Page\n") for p, _ in jobs)
        rows.append({"phase": f"pdf x{workers}", "workers": workers, "seconds": seconds,
                     "per_copy_ms": 1000 * seconds / copies, "pdf_files": len(jobs), "pages": pages})

    print(f"section {args.section}: {copies} student copies, {len(bank.questions)} bank items "
          f"+ parameterized; HarfBuzz subsetting: {'yes' if harfbuzz_subset else 'no (fontTools)'}")
    print(f"{'phase':<12} {'seconds':>8} {'ms/copy':>8}")
    for row in rows:
        print(f"{row['phase']:<12} {row['seconds']:>8.1f} {row['per_copy_ms']:>8.0f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {"benchmark": "quizzes", "section": args.section, "students": copies,
              "python": platform.python_version(), "weasyprint": weasyprint.__version__,
              "harfbuzz_subset": bool(harfbuzz_subset), "cpus": os.cpu_count(), "rows": rows}
    (RESULTS / "quizzes.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / 'quizzes.json'}")


if __name__ == "__main__":
    main()
