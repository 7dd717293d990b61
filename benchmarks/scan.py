"""Reading answer sheets back (issue 16 §4): accuracy, review rate and speed of ``quizzes scan``.

A section is built for --students students (real PDFs); each round marks every student's sheet
anew (samples/scans.py: pens and pencils, filled/ticked/crossed/partial marks, stray
strokes) and scans the round one way:
  copier clean   office-copier PDF (150/200/300 dpi by round, about 1 page in 10 upside down),
                 ordinary marks only, no stray strokes: the review-rate target is on these
  copier hard    the same with stray strokes, erasures, boxes filled to cancel, double marks, faint
                 marks, light pencil
  phone          one JPEG photo per sheet (perspective, up to 10 degrees, shadow, uneven light)
Two students in each round answer on a blank sheet, bubbling 학번 and the variant code.
Each round is one ``scan()`` (the command's pass: files read, sheets located and read, review
written) in this process with OpenCV on one thread; cpu_s is this process's CPU time.

Targets: box accuracy >= 99.9% (copier) and >= 99% (phone); 0 wrong student ids or variant codes;
0 wrong answers outside the review list; <= 2% of clean copier sheets sent to review; <= 0.5 s a
sheet on one core. Prints a table and writes benchmarks/results/scan.json.
Run `python benchmarks/scan.py` from the repository root (about 5 minutes for the defaults);
SCAN_BENCH_VERBOSE=1 prints each round's review list and every answer read wrong outside it.
"""
import argparse
import csv
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
REPO = Path(__file__).resolve().parents[1]
if sys.path[0] == str(Path(__file__).resolve().parent):  # run as a file: this file would shadow the package
    sys.path[0] = str(REPO)

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from quizzes.build import build  # noqa: E402
from quizzes.scan.run import scan  # noqa: E402
from quizzes.scoring import read_key  # noqa: E402
from quizzes.sheets.layout import ANSWER, sheet_layout  # noqa: E402
from samples.scans import copier, mark_sheet, page_count, pdf_of, phone, render_pdf_page  # noqa: E402

RESULTS = REPO / "benchmarks" / "results"
TARGETS = {"copier_box_accuracy": 0.999, "phone_box_accuracy": 0.99, "wrong_ids": 0, "silent_wrong_answers": 0,
           "clean_review_rate": 0.02, "seconds_per_sheet": 0.5}
KINDS = {"copier clean": dict(erasures=0, cancels=0, doubles=0, faint=0, strays=0, pen_kind=None, clean=True),
         "copier hard": dict(erasures=0.08, cancels=0.04, doubles=0.04, faint=0.04),
         "phone": dict(erasures=0.04, cancels=0.02)}


def _sheets(out, copies, students, rng, kind, dpi, workdir):
    """Mark and scan one round: (scan paths, {student: (Truth, blank sheet?)})."""
    options = dict(KINDS[kind])
    clean = options.pop("clean", False)
    if clean:
        options["pen_kind"] = rng.choice(["pen", "pencil"])
    elif options.get("pen_kind", 1) is None:
        options.pop("pen_kind")
    n = len(next(iter(copies.values())).keys)
    truths, images = {}, []
    blank_students = set(rng.choice(students, 2, replace=False))
    for student in students:
        blank = student in blank_students
        pdf = out / "answer-sheet.pdf" if blank else next((out / "students").glob(f"{student}_*.pdf"))
        img = render_pdf_page(pdf, page_count(pdf) - 1, dpi)
        fields = ("student_id", "variant") if blank else ()
        layout = sheet_layout([4] * n, fields)[0]
        ids = None
        if blank:
            ids = {("student_id", i): (student + " " * 10)[i].strip() for i in range(10)}
            ids |= {("variant", i): c for i, c in enumerate(copies[student].variant)}
        answers = {q: (None if rng.random() < 0.03 else int(rng.integers(1, 5))) for q in range(1, n + 1)}
        truth = mark_sheet(img, layout, dpi, rng, answers, ids, **options)
        truths[student] = (truth, blank)
        if kind == "phone":
            path = workdir / f"{student}.jpg"
            cv2.imwrite(str(path), phone(img, rng))
            images.append(path)
        else:
            images.append(copier(img, rng, upside_down=rng.random() < 0.1))
    if kind == "phone":
        return images, truths
    path = workdir / "copier.pdf"
    path.write_bytes(pdf_of(images, dpi))
    return [path], truths


def _score_round(result_dir, truths, copies, result):
    with open(result_dir / "responses.csv", encoding="utf-8-sig", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    with open(result_dir / "review.csv", encoding="utf-8-sig", newline="") as f:
        review = [r for r in csv.DictReader(f) if not r["decision"]]
    flagged = {(r["student_id"], r["item"].rsplit(":", 1)[1]) for r in review if "/answer:" in r["item"]}
    stats = dict(boxes=0, boxes_right=0, wrong_ids=0, silent_wrong=0, sheets=len(truths), flagged=len(result.flagged),
                 unread=0)
    for student, (truth, blank) in truths.items():
        row = rows.get(student)
        if row is None:
            stats["unread"] += 1
            continue
        if row["variant"] != copies[student].variant:
            stats["wrong_ids"] += 1
        for (fld, q), value in truth.values.items():
            if fld != ANSWER:
                continue
            want, got = set(value.split("/")) - {""}, set(row[str(q)].split("/")) - {""}
            stats["boxes"] += 4
            stats["boxes_right"] += sum((str(c) in want) == (str(c) in got) for c in range(1, 5))
            if want != got and (student, str(q)) not in flagged:
                stats["silent_wrong"] += 1
                if os.environ.get("SCAN_BENCH_VERBOSE"):
                    print("silent", student, q, want, got, truth.notes.get((fld, q)), blank)
    extra = [s for s in rows if s not in truths]
    stats["wrong_ids"] += len(extra)
    return stats


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20, help="students in a round (one sheet each)")
    parser.add_argument("--rounds", type=int, nargs=3, default=(6, 3, 4), metavar=("CLEAN", "HARD", "PHONE"))
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    rng = np.random.default_rng(args.seed)
    students = [f"2025{n:04d}" for n in range(1, args.students + 1)]
    with tempfile.TemporaryDirectory(prefix="scan-bench-") as tmp:
        tmp = Path(tmp)
        roster = tmp / "roster.csv"
        roster.write_text("student_id,name\n" + "".join(f"{s},학생\n" for s in students), encoding="utf-8")
        build(["9-2"], ("pdf",), tmp / "out", roster=roster, jobs=os.cpu_count())
        out, key = tmp / "out" / "9-2", tmp / "out" / "9-2" / "key-sheet.csv"
        copies, _ = read_key(key)
        totals = {}
        plan = [(k, n) for k, n in zip(KINDS, args.rounds)]
        for kind, rounds in plan:
            for r in range(rounds):
                work = tmp / f"{kind.replace(' ', '-')}-{r}"
                work.mkdir()
                dpi = (150, 200, 300)[r % 3] if kind != "phone" else 200
                paths, truths = _sheets(out, copies, students, rng, kind, dpi, work)
                before, start = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
                result = scan(paths, key, work / "res", progress=False)
                wall = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_SELF)
                stats = _score_round(work / "res", truths, copies, result)
                if os.environ.get("SCAN_BENCH_VERBOSE"):
                    print((work / "res" / "review.csv").read_text(encoding="utf-8-sig"), result.unreadable)
                stats.update(wall_s=wall, cpu_s=(after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
                t = totals.setdefault(kind, {})
                for k, v in stats.items():
                    t[k] = t.get(k, 0) + v
                print(f"{kind:<13} round {r + 1}: {stats['sheets']} sheets, {stats['flagged']} flagged, "
                      f"{stats['boxes'] - stats['boxes_right']} boxes wrong, {stats['cpu_s']:.1f} cpu s", flush=True)
    rows = []
    for kind, t in totals.items():
        rows.append({"kind": kind, "sheets": t["sheets"], "box_accuracy": t["boxes_right"] / max(t["boxes"], 1),
                     "wrong_ids": t["wrong_ids"], "unread": t["unread"], "silent_wrong_answers": t["silent_wrong"],
                     "review_rate": t["flagged"] / t["sheets"], "seconds_per_sheet": t["cpu_s"] / t["sheets"],
                     "wall_per_sheet": t["wall_s"] / t["sheets"]})
    copier_rows = [r for r in rows if r["kind"].startswith("copier")]
    summary = {
        "copier_box_accuracy": sum(r["box_accuracy"] * r["sheets"] for r in copier_rows) / sum(r["sheets"] for r in copier_rows),
        "phone_box_accuracy": next(r["box_accuracy"] for r in rows if r["kind"] == "phone"),
        "wrong_ids": sum(r["wrong_ids"] for r in rows),
        "silent_wrong_answers": sum(r["silent_wrong_answers"] for r in rows),
        "clean_review_rate": next(r["review_rate"] for r in rows if r["kind"] == "copier clean"),
        "seconds_per_sheet": sum(r["seconds_per_sheet"] * r["sheets"] for r in rows) / sum(r["sheets"] for r in rows),
    }
    passed = {k: (summary[k] >= v if k.endswith("accuracy") else summary[k] <= v) for k, v in TARGETS.items()}
    print(f"\n{'kind':<13} {'sheets':>6} {'box acc':>9} {'wrong id':>8} {'unread':>6} {'silent':>6} {'review':>7} "
          f"{'cpu s/sheet':>11}")
    for r in rows:
        print(f"{r['kind']:<13} {r['sheets']:>6} {r['box_accuracy']:>9.4%} {r['wrong_ids']:>8} {r['unread']:>6} "
              f"{r['silent_wrong_answers']:>6} {r['review_rate']:>7.1%} {r['seconds_per_sheet']:>11.3f}")
    print()
    for k, v in TARGETS.items():
        print(f"{k:<22} {summary[k]:.4f}  target {'>=' if k.endswith('accuracy') else '<='} {v}  "
              f"{'ok' if passed[k] else 'MISSED'}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scan.json").write_text(json.dumps(
        {"rows": rows, "summary": summary, "targets": TARGETS, "passed": passed, "students": args.students,
         "rounds": dict(zip(KINDS, args.rounds)), "seed": args.seed, "machine": platform.platform(),
         "cpus": os.cpu_count(), "python": platform.python_version(), "opencv": cv2.__version__},
        indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if all(passed.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
