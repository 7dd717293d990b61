"""Notebook 05 (models built by students, trained by the grader): one submission and a class, on this machine.

  single     `python -m autograder grade` of the solution of 05 in a fresh process, each run with an
             empty model cache (so it trains the three models: Keras import, the Keras sandbox's
             start, the graders, three trainings), --single runs: p50 / max seconds; then once more
             with the cache of the last run (what a repeated model costs)
  class      a course holding only notebook 05 and a synthetic class of --students (samples.classroom:
             correct, typical mistakes, untouched, hostile, broken), graded by `python -m autograder
             autograde --workers N --force` with the course's model cache (each distinct model trained once)
  no cache   the same class without the cache is estimated, not run: students x the single run's
             seconds / workers (every correct or mistaken 05 notebook would train its models again)
Peak memory: the largest resident set of any process each command started (RUSAGE_CHILDREN's
ru_maxrss; the batch's workers are that command's descendants). Keras backend and device as
the grading reports them. Prints a table and writes benchmarks/results/models.json.
"""
import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.settings import REPO_ROOT, SOURCE_ROOT
from samples.classroom import class_mix, write_class
from samples.course import make_course, nbgrader
from samples.submissions import solution_answers, student_copy

RESULTS = REPO_ROOT / "benchmarks" / "results"
NOTEBOOK = "05_imdb_models"
TARGET_SINGLE_S, TARGET_CLASS_S = 60.0, 15 * 60.0


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _command(args, env=None, cwd=None):
    """(seconds, completed process, peak MiB of the largest descendant so far) of ``python -m ARGS``."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, env=env, cwd=cwd)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds, proc, _peak_mb()


def single(folder, runs):
    nb = nbformat.read(REPO_ROOT / "release" / "ch09" / f"{NOTEBOOK}.ipynb", as_version=4)
    path = folder / f"{NOTEBOOK}.ipynb"
    nbformat.write(student_copy(nb, solution_answers(SOURCE_ROOT / "ch09")), path)
    times, cache = [], None
    for i in range(runs):
        cache = folder / f"cache-{i}"
        seconds, proc, peak = _command(["autograder", "grade", str(path), "--model-cache", str(cache)])
        result = json.loads(proc.stdout)
        times.append(seconds)
        print(f"  single {i + 1}/{runs}: {seconds:.1f} s, score {result['score']}/{result['max_score']}", flush=True)
    cached_s, proc, peak = _command(["autograder", "grade", str(path), "--model-cache", str(cache)])
    result = json.loads(proc.stdout)
    training = [p["details"]["training"] for p in result["parts"] if p.get("details")]
    return {"runs_s": [round(t, 2) for t in times], "p50_s": round(sorted(times)[len(times) // 2], 2),
            "max_s": round(max(times), 2), "cached_s": round(cached_s, 2), "peak_rss_mb": round(peak),
            "score": result["score"], "backend": training[0]["backend"] if training else None,
            "training_s": [t["seconds"] for t in training]}


def klass(folder, students, workers):
    course = make_course(folder / "course")
    for path in (course / "source" / "ch09").glob("*.ipynb"):
        if path.stem != NOTEBOOK:
            path.unlink()
    nbgrader(course, "generate_assignment", "ch09", "--force")
    kinds = write_class(course, students)
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_MODEL_CACHE"}  # the course's own cache
    before = _peak_mb()
    seconds, proc, peak = _command(["autograder", "autograde", "ch09", "--course", str(course), "--workers",
                                    str(workers), "--force"], env=env)
    summary = json.loads((course / "autograde-reports" / "ch09" / "summary.json").read_text(encoding="utf-8"))
    trained = len(list((course / ".autograder" / "model-cache").glob("*.json")))
    rows = [r for nbs in summary["students"].values() for r in nbs.values() if r.get("device")]
    return {"students": students, "workers": workers, "mix": class_mix(students), "wall_s": round(seconds, 1),
            "first_result_s": summary.get("first_result_seconds"), "distinct_models_trained": trained,
            "peak_rss_mb": round(max(peak, before)), "kinds": {k: sum(v == k for v in kinds.values()) for k in set(kinds.values())},
            "device": rows[0]["device"] if rows else None, "backend": rows[0]["backend"] if rows else None}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=3, help="uncached single-submission runs (default: 3)")
    parser.add_argument("--students", type=int, default=200, help="students in the class (default: 200)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="batch workers (default: the cores)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-models-") as tmp:
        tmp = Path(tmp)
        print("one submission of 05 (python -m autograder grade, empty model cache each run)", flush=True)
        one = single(tmp, args.single)
        print(f"a class of {args.students} (batch, --workers {args.workers}, the course's model cache)", flush=True)
        many = klass(tmp, args.students, args.workers)
    no_cache_s = args.students * one["p50_s"] / args.workers
    out = {"machine": {"cores": os.cpu_count(), "platform": platform.platform()}, "single": one, "class": many,
           "class_without_cache_estimated_s": round(no_cache_s), "cache_ratio": round(no_cache_s / many["wall_s"], 1),
           "targets": {"single_p50_s": TARGET_SINGLE_S, "class_s": TARGET_CLASS_S}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "models.json").write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    rows = [("one 05 submission, p50 (3 models trained)", f"{one['p50_s']:.1f} s", f"<= {TARGET_SINGLE_S:.0f} s"),
            ("  max", f"{one['max_s']:.1f} s", ""),
            ("  same models again (cache)", f"{one['cached_s']:.1f} s", ""),
            ("  peak RSS (grading process)", f"{one['peak_rss_mb']} MiB", ""),
            (f"class of {args.students}, {args.workers} workers, with cache", f"{many['wall_s']:.0f} s",
             f"<= {TARGET_CLASS_S:.0f} s"),
            ("  distinct models trained", str(many["distinct_models_trained"]), ""),
            ("  peak RSS (largest process)", f"{many['peak_rss_mb']} MiB", ""),
            ("class without cache (estimated)", f"{no_cache_s:.0f} s", f"x{out['cache_ratio']}")]
    for label, value, target in rows:
        print(f"{label:<45} {value:>10}  {target}")
    print(f"backend {one['backend']}, device {many['device']}; written to {RESULTS / 'models.json'}")


if __name__ == "__main__":
    main()
