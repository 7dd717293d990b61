"""Notebook 05 (models built by students, trained by the grader): one submission and a class, on this machine.

  single     `python -m autograder grade` of the solution of 05 in a fresh process, each run with an
             empty model cache (so it trains the three models: process start, Keras, the Keras sandbox,
             the graders, three trainings), --single runs: p50 / max seconds; then once more with the
             cache of the last run (what a repeated model costs)
  upload     the same through the grading server (`python -m autograder serve`, --workers, warm): POST
             to "graded", --single uploads, each with training settings no one sent before (its
             learning rate moved by 1e-6 a time), so each trains its three models: p50 / max seconds
  class      a course holding only notebook 05 and a synthetic class of --students (samples.classroom:
             correct, 05's typical mistakes, untouched, hostile, broken; a quarter of the correct ones
             with their own batch size or learning rate, as a class does), graded by `python -m
             autograder autograde --workers N --force` with the course's model cache (each distinct
             model trained once); peak memory of each worker (its ru_maxrss, from the summary) and of
             the largest process (a sandbox included)
  no cache   the first --small students of the same class, graded with the cache and with
             model_cache "off" (every notebook trains its models) in the same run: the measured ratio;
             the full class without the cache is that small class's time x students / small (said so)
Keras backend and device as the grading reports them. Prints a table and writes benchmarks/results/models.json.
"""
import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import nbformat

from autograder.assignment import nbgrader_meta
from autograder.settings import REPO_ROOT, SOURCE_ROOT
from samples.classroom import class_mix, write_class
from samples.course import make_course, nbgrader
from samples.services import serving
from samples.submissions import solution_answers, student_copy

RESULTS = REPO_ROOT / "benchmarks" / "results"
NOTEBOOK = "05_imdb_models"
TARGET_SINGLE_S, TARGET_CLASS_S = 60.0, 15 * 60.0
SETTINGS = "training_settings"
VARIANTS = ({"batch_size": 32}, {"batch_size": 128}, {"learning_rate": 0.002}, {"learning_rate": 0.0005})


def _peak_mb():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _command(args, env=None):
    """(seconds, completed process) of ``python -m ARGS``."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds, proc


def _settings_source(**change):
    """A training_settings answer cell: the solution's dict with ``change`` applied."""
    namespace = {}
    exec(solution_answers(SOURCE_ROOT / "ch09")[SETTINGS], namespace)  # noqa: S102 - the course's own solution
    return f"def training_settings():\n    return {({**namespace[SETTINGS](), **change})!r}\n"


def _solution_notebook(**settings_change):
    nb = nbformat.read(REPO_ROOT / "release" / "ch09" / f"{NOTEBOOK}.ipynb", as_version=4)
    answers = solution_answers(SOURCE_ROOT / "ch09")
    if settings_change:
        answers[SETTINGS] = _settings_source(**settings_change)
    return student_copy(nb, answers)


def single(folder, runs):
    path = folder / f"{NOTEBOOK}.ipynb"
    nbformat.write(_solution_notebook(), path)
    times, cache = [], None
    for i in range(runs):
        cache = folder / f"cache-{i}"
        seconds, proc = _command(["autograder", "grade", str(path), "--model-cache", str(cache)])
        result = json.loads(proc.stdout)
        times.append(seconds)
        print(f"  single {i + 1}/{runs}: {seconds:.1f} s, score {result['score']}/{result['max_score']}", flush=True)
    cached_s, proc = _command(["autograder", "grade", str(path), "--model-cache", str(cache)])
    result = json.loads(proc.stdout)
    training = [p["details"]["training"] for p in result["parts"] if (p.get("details") or {}).get("training")]
    return {"runs_s": [round(t, 2) for t in times], "p50_s": round(sorted(times)[len(times) // 2], 2),
            "max_s": round(max(times), 2), "cached_s": round(cached_s, 2), "peak_rss_mb": round(_peak_mb()),
            "score": result["score"], "backend": training[0]["backend"] if training else None,
            "device": training[0]["device"] if training else None,
            "training_s": [t["seconds"] for t in training], "estimated_s": [t["estimated_s"] for t in training]}


def _course(folder):
    """A course of notebook 05 alone (release generated)."""
    course = make_course(folder)
    for path in (course / "source" / "ch09").glob("*.ipynb"):
        if path.stem != NOTEBOOK:
            path.unlink()
    nbgrader(course, "generate_assignment", "ch09", "--force")
    return course


def upload(folder, runs, workers):
    """Seconds from POST to "graded" of ``runs`` 05 uploads on a warm server, each training three new models."""
    course = _course(folder / "server-course")
    (course / "roster.csv").write_text("student_id,name\nu01,u01\n", encoding="utf-8")
    line = subprocess.run([sys.executable, "-m", "autograder", "students", "import", str(course / "roster.csv"),
                           "--course", str(course)], capture_output=True, text=True, check=True).stdout.splitlines()[1]
    token = line.split(",", 1)[1]
    times, scores = [], []
    with serving(course, "--workers", str(workers), "--per-hour", "1000") as (base, _, _):
        headers = {"Authorization": f"Bearer {token}"}
        for i in range(runs):
            data = nbformat.writes(_solution_notebook(learning_rate=0.001 + (i + 1) * 1e-6)).encode()
            started = time.perf_counter()
            response = httpx.post(f"{base}/api/submissions", headers=headers, files={"file": ("05.ipynb", data)},
                                  timeout=60)
            response.raise_for_status()
            sid = response.json()["id"]
            while (body := httpx.get(f"{base}/api/submissions/{sid}", headers=headers).json())["status"] not in (
                    "graded", "error", "held"):
                time.sleep(0.1)
            times.append(time.perf_counter() - started)
            scores.append(body["score"])
            print(f"  upload {i + 1}/{runs}: {times[-1]:.1f} s, {body['status']}, score {body['score']}", flush=True)
    return {"runs_s": [round(t, 2) for t in times], "p50_s": round(sorted(times)[len(times) // 2], 2),
            "max_s": round(max(times), 2), "scores": scores, "workers": workers}


def _vary_settings(course, kinds, seed=0):
    """A quarter of the correct students hand in their own batch size or learning rate (VARIANTS)."""
    rng = random.Random(seed)
    correct = sorted(s for s, kind in kinds.items() if kind == "correct")
    for student in rng.sample(correct, len(correct) // 4):
        path = course / "submitted" / student / "ch09" / f"{NOTEBOOK}.ipynb"
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if nbgrader_meta(cell).get("grade_id") == SETTINGS:
                cell.source = _settings_source(**rng.choice(VARIANTS))
        nbformat.write(nb, path)


def klass(folder, students, workers, model_cache=None):
    """Grade a 05 class of ``students``; model_cache: None (the course's cache) or "off"."""
    course = _course(folder)
    kinds = write_class(course, students)
    _vary_settings(course, kinds)
    env = {**os.environ, **({"AUTOGRADER_MODEL_CACHE": model_cache} if model_cache else {})}
    seconds, proc = _command(["autograder", "autograde", "ch09", "--course", str(course), "--workers",
                              str(workers), "--force"], env=env)
    summary = json.loads((course / "autograde-reports" / "ch09" / "summary.json").read_text(encoding="utf-8"))
    rows = [r for nbs in summary["students"].values() for r in nbs.values() if r.get("device")]
    per_worker = {}
    for r in rows:
        if r.get("worker") and r.get("rss_mb"):
            per_worker[r["worker"]] = max(per_worker.get(r["worker"], 0), r["rss_mb"])
    cache = course / ".autograder" / "model-cache"
    trained = [json.loads(p.read_text()) for p in cache.glob("*.json")] if not model_cache else []
    return {"students": students, "workers": workers, "mix": class_mix(students), "wall_s": round(seconds, 1),
            "first_result_s": summary.get("first_result_seconds"), "distinct_models_trained": len(trained),
            "training_s": sorted(t["seconds"] for t in trained),
            "estimated_s": [t["estimated_s"] for t in sorted(trained, key=lambda t: t["seconds"])],
            "worker_peak_rss_mb": dict(sorted(per_worker.items())), "largest_process_rss_mb": round(_peak_mb()),
            "graded": len(rows), "model_cache": model_cache or "course",
            "device": rows[0]["device"] if rows else None, "backend": rows[0]["backend"] if rows else None}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=3, help="uncached single submissions, CLI and upload (default: 3)")
    parser.add_argument("--students", type=int, default=200, help="students in the class (default: 200)")
    parser.add_argument("--small", type=int, default=20, help="students graded with and without the cache (default: 20)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="batch and server workers (default: the cores)")
    args = parser.parse_args(argv)
    os.environ.pop("AUTOGRADER_MODEL_CACHE", None)  # every course here keeps its own cache (empty at first)
    with tempfile.TemporaryDirectory(prefix="bench-models-") as tmp:
        tmp = Path(tmp)
        print("one submission of 05 (python -m autograder grade, empty model cache each run)", flush=True)
        one = single(tmp, args.single)
        print(f"one upload of 05 to a warm server ({args.workers} workers), new training settings each", flush=True)
        served = upload(tmp, args.single, args.workers)
        print(f"a class of {args.students} (batch, --workers {args.workers}, the course's model cache)", flush=True)
        many = klass(tmp / "class", args.students, args.workers)
        print(f"the first {args.small} of that class with the cache, then with model_cache off", flush=True)
        small = klass(tmp / "small", args.small, args.workers)
        uncached = klass(tmp / "small-off", args.small, args.workers, model_cache="off")
    ratio = uncached["wall_s"] / small["wall_s"]
    no_cache_s = uncached["wall_s"] * args.students / args.small
    out = {"machine": {"cores": os.cpu_count(), "platform": platform.platform(),
                       "load_1min_at_end": round(os.getloadavg()[0], 2)},
           "single": one, "upload": served, "class": many, "small_class": small, "small_class_no_cache": uncached,
           "no_cache_ratio_measured": round(ratio, 2), "class_without_cache_estimated_s": round(no_cache_s),
           "targets": {"single_p50_s": TARGET_SINGLE_S, "class_s": TARGET_CLASS_S}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "models.json").write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    workers = ", ".join(f"{mb:.0f}" for mb in many["worker_peak_rss_mb"].values())
    rows = [("one 05 submission, CLI, p50 (3 models trained)", f"{one['p50_s']:.1f} s", f"<= {TARGET_SINGLE_S:.0f} s"),
            ("  max", f"{one['max_s']:.1f} s", ""),
            ("  same models again (cache)", f"{one['cached_s']:.1f} s", ""),
            ("one 05 upload to result, warm server, p50", f"{served['p50_s']:.1f} s", f"<= {TARGET_SINGLE_S:.0f} s"),
            ("  max", f"{served['max_s']:.1f} s", ""),
            (f"class of {args.students}, {args.workers} workers, with cache", f"{many['wall_s']:.0f} s",
             f"<= {TARGET_CLASS_S:.0f} s"),
            ("  distinct models trained", str(many["distinct_models_trained"]), ""),
            ("  peak RSS per worker (MiB)", workers, ""),
            ("  largest process (MiB)", str(many["largest_process_rss_mb"]), ""),
            (f"class of {args.small}: with cache / without", f"{small['wall_s']:.0f} / {uncached['wall_s']:.0f} s",
             f"x{ratio:.1f}"),
            (f"class of {args.students} without cache (estimated)", f"{no_cache_s:.0f} s",
             f"x{no_cache_s / many['wall_s']:.1f}")]
    for label, value, target in rows:
        print(f"{label:<48} {value:>14}  {target}")
    print(f"backend {one['backend']}, device {one['device']}; written to {RESULTS / 'models.json'}")


if __name__ == "__main__":
    main()
