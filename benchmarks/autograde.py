"""Grading a class: stock nbgrader vs this project's nbgrader path vs the class autograder on Dask.

A synthetic class (samples.classroom: ~60% correct, 25% typical mistakes, 10% untouched, 5%
hostile or broken) of --students students x the four ch09 notebooks, on this machine, in one run:
  stock      nbgrader autograde with nbgrader's own Execute (hidden tests run in the kernel),
             on the first --stock-sample students
  nbgrader   nbgrader autograde with this project's config (SandboxedAutograde), --nbgrader-sample students
  batch xN   python -m autograder autograde --workers N --force, on all students (fresh course copies)
  feedback   nbgrader generate_feedback for --feedback-sample students in one process (reported apart,
             per student), and the last batch run's --feedback for all students on its workers
Each batch run is split at its first results (summary.json's first_result_seconds) into start-up
and grading, with the machine's busy cores in each (/proc/stat: run on an otherwise idle machine),
and the bounds that sets on the 1 -> N workers speed-up on this machine.
Per-notebook breakdown of one worker's work (sandbox start + answer cells, calls, graders and
references, nbgrader's pipeline) and of the writer (gradebook rows and files), and the floor
(sandbox start, cells, the same calls answered, nothing else; from a warm sandbox and from a
cold one, Python and numpy started anew) are measured in this process on a sample of notebooks.
All runs use a per-call limit of --timeout seconds (the hostile answers loop until it).
Prints a table and writes benchmarks/results/autograde.json.
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.settings import REPO_ROOT
from samples.classroom import write_class
from samples.course import NbgraderFailed, make_course, nbgrader

RESULTS = REPO_ROOT / "benchmarks" / "results"
ISSUE_PROJECT_S, ISSUE_STOCK_S = 1.5, 7.8  # s a notebook, as measured when the class autograder was asked for
ASSIGNMENT = "ch09"
STOCK_CONFIG = '''
# stock nbgrader: its own Execute runs every cell, hidden tests included, in a kernel
from nbgrader.preprocessors import Execute
c.Autograde.autograde_preprocessors = [Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
c.Execute.timeout = {timeout}
'''


def _course(root, students, pristine):
    """A copy of the pristine course holding only ``students``' submissions."""
    shutil.copytree(pristine, root, ignore=shutil.ignore_patterns("submitted"))
    for student in students:
        shutil.copytree(pristine / "submitted" / student, root / "submitted" / student)
    return root


def _autograde_with_nbgrader(course):
    """`nbgrader autograde`; it exits non-zero when a student's submission fails (the broken ones)."""
    try:
        nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force")
    except NbgraderFailed:
        pass


def _timed(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def _busy_core_seconds():
    """CPU time the whole machine has spent busy since boot (all cores; /proc/stat), or None off Linux.

    The batch's processes (workers, their sandboxes, the fork servers, the scheduler and the
    writer) are not all reaped children of this process, so their CPU is counted machine-wide:
    run the benchmark on an otherwise idle machine."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            ticks = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return None
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait


def _batch(course, workers, env, feedback):
    """Run the class autograder (with --feedback: then the feedback's time is in the summary, not in the
    grading); returns its summary with "busy" [(seconds since start, busy core-seconds since start)],
    sampled every 0.25 s, to split the run into start-up and grading."""
    started, first = time.perf_counter(), _busy_core_seconds()
    with tempfile.TemporaryFile("w+") as errors:  # a file, not a pipe: nobody reads it while the batch runs
        proc = subprocess.Popen([sys.executable, "-m", "autograder", "autograde", ASSIGNMENT, "--course", str(course),
                                 "--workers", str(workers), "--force", *(["--feedback"] if feedback else [])],
                                env=env, stdout=subprocess.DEVNULL, stderr=errors, text=True)
        busy = []
        while proc.poll() is None:
            if first is not None:
                busy.append((time.perf_counter() - started, _busy_core_seconds() - first))
            time.sleep(0.25)
        if proc.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"batch failed ({proc.returncode}):\n{errors.read()[-3000:]}")
    if first is not None:
        busy.append((time.perf_counter() - started, _busy_core_seconds() - first))
    summary = json.loads((course / "autograde-reports" / ASSIGNMENT / "summary.json").read_text())
    summary["busy"] = busy
    return summary


def _phases(summary, total):
    """(start-up s, grading s, cores busy over the run, cores busy while grading) of a batch run that
    took ``total`` s from launch to exit. Start-up: launch to the first results; grading: from there to
    the end of the grading (feedback excluded). Cores are None without /proc/stat."""
    before = total - summary["wall_seconds"] - (summary["feedback_seconds"] or 0)  # the command's own start and end
    startup = before + summary["first_result_seconds"]
    grading = summary["wall_seconds"] - summary["first_result_seconds"]
    busy = summary["busy"]
    if not busy:
        return startup, grading, None, None

    def at(t):
        return next((b for when, b in busy if when >= t), busy[-1][1])

    return startup, grading, at(startup + grading) / (startup + grading), (at(startup + grading) - at(startup)) / grading


def _percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def breakdown(course, sample, fresh):
    """Mean seconds per notebook of each part of a worker's work and of the writer, the floors
    (warm, cold), and calls per notebook. The sample is graded in ``course``; the writer writes
    it into ``fresh``, a copy of the class course nobody graded yet (new rows, as in a first run).

    Times the sandbox's start (with the answer cells) and its calls by wrapping them in this
    process, for measurement only; the floors replay the same calls in a warm and in a cold sandbox.
    """
    import nbformat
    from nbgrader.api import Gradebook

    import autograder.nbgrader_preprocessor as preprocessor
    from autograder.grading.answer_cells import grading_plan
    from autograder.assignment import Assignment
    from autograder.gradebook.course import NbgraderCourse
    from autograder.gradebook.pipeline import NotebookPipeline, autograde_notebook
    from autograder.gradebook.snapshot import AssignmentSnapshot
    from autograder.gradebook.writer import GradebookWriter, NotebookOutcome
    from autograder.sandbox import pool
    from autograder.sandbox.session import SandboxSession
    from autograder.settings import GradingSettings

    nbc = NbgraderCourse(course)
    with Gradebook(nbc.db_url, nbc.course_id) as gb:
        snapshot = AssignmentSnapshot.read(gb, ASSIGNMENT)
    assignment = Assignment.load(ASSIGNMENT, nbc.source_folder(ASSIGNMENT).parent)
    pipeline = NotebookPipeline.of_course(nbc, snapshot, assignment)
    spent = dict.fromkeys(("start", "calls", "grade", "total"), 0.0)
    made, texts = [], {}
    spawn, call, grade = SandboxSession._spawn, SandboxSession.call, preprocessor.grade_notebook

    def timing(key, fn, record=False):
        def wrapped(*args, **kwargs):
            if record:
                made[-1].append((args[1], args[2:], kwargs))  # (self, function, *args)
            t, started_before = time.perf_counter(), spent["start"]
            try:
                return fn(*args, **kwargs)
            finally:  # a call that starts the session process counts that start once, under "start"
                spent[key] += time.perf_counter() - t - (spent["start"] - started_before if key == "calls" else 0)
        return wrapped

    SandboxSession._spawn, SandboxSession.call = timing("start", spawn), timing("calls", call, record=True)
    preprocessor.grade_notebook = timing("grade", grade)
    try:
        for path in sample:  # warm-up: Keras imported, references memoized, as on a worker
            made.append([])
            autograde_notebook(path.read_bytes(), path.parent.parent.name, path.stem, pipeline)
        spent.update(dict.fromkeys(spent, 0.0))
        made.clear()
        for path in sample:
            made.append([])
            t = time.perf_counter()
            text, _ = autograde_notebook(path.read_bytes(), path.parent.parent.name, path.stem, pipeline)
            spent["total"] += time.perf_counter() - t
            texts.setdefault(path.parent.parent.name, {})[path.stem] = NotebookOutcome(path.stem, text)
    finally:
        SandboxSession._spawn, SandboxSession.call, preprocessor.grade_notebook = spawn, call, grade
    n = len(sample)
    first = NbgraderCourse(fresh)
    with GradebookWriter(first, NotebookPipeline.for_assignment(first, ASSIGNMENT)) as writer:
        writer.add_students(texts)
        t = time.perf_counter()
        for student, outcomes in texts.items():
            writer.write(student, outcomes)
        written = time.perf_counter() - t
    parts = {"sandbox start + answer cells": spent["start"] / n, "calls into the sandbox": spent["calls"] / n,
             "graders, references, comparisons": (spent["grade"] - spent["start"] - spent["calls"]) / n,
             "nbgrader pipeline (sanitize, metadata checks, outputs)": (spent["total"] - spent["grade"]) / n,
             "worker total": spent["total"] / n,
             "writer (gradebook rows, autograded files; one process)": written / n}
    floors = {}
    for kind in ("warm", "cold"):
        spent_floor = 0.0
        for path, calls in zip(sample, made):
            nb = nbformat.read(path, as_version=4)
            cells = grading_plan(nb, assignment.spec_for(path.name)).cells
            if kind == "cold":
                pool.close_idle()
            t = time.perf_counter()
            with SandboxSession(cells, GradingSettings()) as session:
                for fn, args, kwargs in calls:
                    try:
                        session.call(fn, *args, **kwargs)
                    except Exception:  # noqa: BLE001 - a failing answer costs what it costs
                        pass
            spent_floor += time.perf_counter() - t
        floors[kind] = spent_floor / n
    return parts, floors, sum(len(c) for c in made) / n


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--stock-sample", type=int, default=10)
    parser.add_argument("--nbgrader-sample", type=int, default=20)
    parser.add_argument("--feedback-sample", type=int, default=20)
    parser.add_argument("--workers", default="1,2", help="comma list of batch worker counts")
    parser.add_argument("--timeout", type=float, default=2.0, help="per-call limit (s) in every run")
    args = parser.parse_args(argv)
    env = {**os.environ, "AUTOGRADER_TIMEOUT": str(args.timeout)}
    os.environ["AUTOGRADER_TIMEOUT"] = str(args.timeout)
    rows, extra = [], {}
    with tempfile.TemporaryDirectory(prefix="autograde-bench-") as tmp:
        tmp = Path(tmp)
        pristine = make_course(tmp / "pristine")
        nbgrader(pristine, "generate_assignment", ASSIGNMENT, "--force")
        kinds = write_class(pristine, args.students)
        students = sorted(kinds)
        n_nb = lambda ss: sum(len(list((pristine / "submitted" / s / ASSIGNMENT).glob("*.ipynb"))) for s in ss)  # noqa: E731

        stock = _course(tmp / "stock", students[:args.stock_sample], pristine)
        with open(stock / "nbgrader_config.py", "a", encoding="utf-8") as f:
            f.write(STOCK_CONFIG.format(timeout=max(30, int(args.timeout))))
        seconds, _ = _timed(lambda: _autograde_with_nbgrader(stock))
        rows.append(("stock nbgrader (Execute)", args.stock_sample, n_nb(students[:args.stock_sample]), seconds, None))
        print(f"measured: {rows[-1][:4]}", flush=True)

        ours = _course(tmp / "nbgrader", students[:args.nbgrader_sample], pristine)
        seconds, _ = _timed(lambda: _autograde_with_nbgrader(ours))
        rows.append(("nbgrader + SandboxedAutograde", args.nbgrader_sample, n_nb(students[:args.nbgrader_sample]),
                     seconds, None))
        print(f"measured: {rows[-1][:4]}", flush=True)

        counts = [int(w) for w in args.workers.split(",")]
        for workers in counts:
            course = _course(tmp / f"batch{workers}", students, pristine)
            total, summary = _timed(lambda: _batch(course, workers, env, feedback=workers == counts[-1]))
            summary["total_s"] = total
            seconds = total - (summary["feedback_seconds"] or 0)
            if summary["feedback_seconds"]:
                extra["feedback_cluster"] = (workers, summary["feedback_seconds"], len(summary["feedback_failed"]))
            rows.append((f"class autograder, {workers} worker(s)", len(students), n_nb(students), seconds, summary))
            print(f"measured: {rows[-1][:4]}", flush=True)
            extra["last_batch_course"] = course
        course = extra.pop("last_batch_course")
        from autograder.gradebook.course import NbgraderCourse
        from autograder.gradebook.feedback import generate_feedback
        feedback_students = students[:args.feedback_sample]
        feedback_s, feedback_failed = _timed(lambda: generate_feedback(NbgraderCourse(course), ASSIGNMENT,
                                                                       feedback_students))
        sample = [p for s in students[:12] if kinds[s] in ("correct", "mistakes")
                  for p in sorted((course / "submitted" / s / ASSIGNMENT).glob("*.ipynb"))][:24]
        sampled = sorted({p.parent.parent.name for p in sample})
        parts, floors, calls_per_nb = breakdown(course, sample, _course(tmp / "writer", sampled, pristine))

    stock_per_nb = rows[0][3] / rows[0][2]
    ours_per_nb = rows[1][3] / rows[1][2]
    table = []
    print(f"{'run':<34}{'students':>9}{'notebooks':>10}{'wall s':>9}{'s/notebook':>11}{'vs ours':>9}{'vs stock':>9}"
          f"{'p50 s':>7}{'p95 s':>7}{'peak MiB/worker':>16}")
    for name, n_students, notebooks, seconds, summary in rows:
        per_nb = seconds / notebooks
        row = {"run": name, "students": n_students, "notebooks": notebooks, "wall_s": round(seconds, 2),
               "per_notebook_s": round(per_nb, 4), "speedup_vs_project_nbgrader": round(ours_per_nb / per_nb, 1),
               "speedup_vs_stock": round(stock_per_nb / per_nb, 1)}
        if summary:
            reports = [r for nbs in summary["students"].values() for r in nbs.values() if r["status"] == "graded"]
            task = [r["seconds"] for r in reports]
            peak = {}
            for r in reports:
                peak[r["worker"]] = max(peak.get(r["worker"], 0), r["rss_mb"] or 0)
            startup, grading, cores, grading_cores = _phases(summary, summary["total_s"])
            row.update(task_p50_s=round(_percentile(task, 0.5), 3), task_p95_s=round(_percentile(task, 0.95), 3),
                       startup_s=round(startup, 1), grading_s=round(grading, 1),
                       cores_busy=cores and round(cores, 2), grading_cores_busy=grading_cores and round(grading_cores, 2),
                       peak_rss_mb_per_worker=sorted(peak.values()), failures=len(summary["failures"]),
                       device=reports[0]["device"], backend=reports[0]["backend"])
        table.append(row)
        print(f"{name:<34}{n_students:>9}{notebooks:>10}{seconds:>9.1f}{per_nb:>11.3f}{row['speedup_vs_project_nbgrader']:>9}"
              f"{row['speedup_vs_stock']:>9}{row.get('task_p50_s', ''):>7}{row.get('task_p95_s', ''):>7}"
              f"{str(row.get('peak_rss_mb_per_worker', '')):>16}")
    batches = [r for r in table if "peak_rss_mb_per_worker" in r]
    scaling = batches[0]["wall_s"] / batches[-1]["wall_s"] if len(batches) > 1 else None
    per_student = feedback_s / len(feedback_students)
    print(f"\nfeedback HTML (apart, one process): {feedback_s:.1f} s for {len(feedback_students)} students"
          f" ({len(feedback_failed)} failed) = {per_student:.2f} s a student, ~{per_student * len(students) / 60:.0f} min"
          f" for all {len(students)}")
    for r in batches:
        print(f"{r['run']}: start-up {r['startup_s']} s (until the first results: workers, Keras, first references), "
              f"grading {r['grading_s']} s; cores busy {r['cores_busy']} over the run, {r['grading_cores_busy']} "
              f"while grading (workers, their sandboxes, the scheduler and the writer together; of {os.cpu_count()})")
    grading_scaling = batches[0]["grading_s"] / batches[-1]["grading_s"] if len(batches) > 1 else None
    if "feedback_cluster" in extra:
        workers, seconds, failed = extra["feedback_cluster"]
        print(f"feedback HTML with the batch (--feedback, a task a student on {workers} workers): {seconds:.1f} s for "
              f"all {len(students)} students ({failed} failed) = {seconds / len(students):.2f} s a student, "
              f"{per_student / (seconds / len(students)):.2f}x the one-process rate")
    if scaling:
        workers = len(batches[-1]["peak_rss_mb_per_worker"])
        print(f"1 -> {workers} workers: {scaling:.2f}x wall, {grading_scaling:.2f}x in the grading phase")
        one = batches[0]
        if one["grading_cores_busy"]:
            bound = min(workers, os.cpu_count()) / one["grading_cores_busy"]
            best = one["wall_s"] / (one["startup_s"] + one["grading_s"] / min(workers, os.cpu_count()))
            print(f"  bounds on this machine: with one worker the grading phase already keeps "
                  f"{one['grading_cores_busy']} cores busy, so {workers} workers on {os.cpu_count()} cores can speed "
                  f"it up at most {bound:.2f}x; a perfect {workers}x grading phase after the same start-up "
                  f"would give {best:.2f}x wall")
    fastest = min(r["per_notebook_s"] for r in batches)
    print(f"fastest batch per notebook {fastest:.3f} s: {ISSUE_PROJECT_S / fastest:.1f}x the issue's project path "
          f"({ISSUE_PROJECT_S} s), {ISSUE_STOCK_S / fastest:.1f}x the issue's stock nbgrader ({ISSUE_STOCK_S} s); "
          f"the rows' 'vs' columns compare with this run's own measurements")
    print("\nper notebook on one worker (mean over a sample of correct and typical-mistake notebooks):")
    for part, seconds in parts.items():
        print(f"  {part:<56}{seconds * 1000:>8.1f} ms")
    cores = os.cpu_count()
    for kind, floor in floors.items():
        print(f"  floor, {kind} sandbox (start, answer cells, {calls_per_nb:.0f} calls answered){'':<2}{floor * 1000:>8.1f} ms"
              f"  -> {len(students) * 4} notebooks on {cores} cores >= {floor * len(students) * 4 / cores:.0f} s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "autograde.json"
    out.write_text(json.dumps({"machine": platform.platform(), "cpus": cores, "timeout_s": args.timeout,
                               "rows": table, "feedback_s": round(feedback_s, 2),
                               "feedback_students": len(feedback_students),
                               "feedback_with_batch": extra.get("feedback_cluster"), "scaling_1_to_n": scaling,
                               "grading_phase_scaling_1_to_n": grading_scaling,
                               "breakdown_ms": {k: round(v * 1000, 1) for k, v in parts.items()},
                               "floor_ms": {k: round(v * 1000, 1) for k, v in floors.items()},
                               "calls_per_notebook": calls_per_nb},
                              indent=1, ensure_ascii=False))
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
