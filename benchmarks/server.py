"""Grading server latency and throughput on this machine (loopback only, bounded).

Starts `python -m autograder serve` on a temporary course (SQLite, a LocalCluster of --workers),
then measures, from the POST until GET shows "graded" (polled every 50 ms):
  idle     --single submissions one after another (p50 / p95 seconds)
  burst    --burst submissions from 10 students at once (p50 / p95, and the time for all)
and the burst's throughput in notebooks per minute, beside the class autograder's
(benchmarks/results/autograde.json, when that benchmark has been run).
Prints a table and writes benchmarks/results/server.json.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import nbformat

from autograder.settings import REPO_ROOT
from samples.course import make_course, nbgrader
from samples.services import serving
from samples.submissions import solution_answers, student_copy
from samples.wrong_answers import WRONG_ANSWERS

RESULTS = REPO_ROOT / "benchmarks" / "results"
NOTEBOOK = "02_parameter_counts"


def _run(course, *args):
    return subprocess.run([sys.executable, "-m", "autograder", *args, "--course", str(course)],
                          capture_output=True, text=True, check=True).stdout


def _latency(base, token, data):
    started = time.perf_counter()
    response = httpx.post(f"{base}/api/submissions", headers={"Authorization": f"Bearer {token}"},
                          files={"file": ("nb.ipynb", data)}, timeout=60)
    response.raise_for_status()
    sid = response.json()["id"]
    while True:
        body = httpx.get(f"{base}/api/submissions/{sid}", headers={"Authorization": f"Bearer {token}"}).json()
        if body["status"] in ("graded", "error"):
            return time.perf_counter() - started, body["status"]
        time.sleep(0.05)


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--single", type=int, default=10)
    parser.add_argument("--burst", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="server-bench-") as tmp:
        course = make_course(Path(tmp) / "course")
        nbgrader(course, "generate_assignment", "ch09", "--force")
        (course / "roster.csv").write_text("student_id,name\n" + "".join(f"b{i:02d},b{i}\n" for i in range(10)))
        tokens = dict(line.split(",") for line in _run(course, "students", "import", str(course / "roster.csv"))
                      .splitlines()[1:])
        solutions = solution_answers(course / "source" / "ch09")
        release = nbformat.read(course / "release" / "ch09" / f"{NOTEBOOK}.ipynb", as_version=4)
        wrong = [w for w in WRONG_ANSWERS.values() if w.function in ("simple_rnn_params", "lstm_params", "gru_params")]
        variants = [nbformat.writes(student_copy(release, {**solutions, **({w.function: w.source} if w else {})}))
                    .encode() for w in [None, *wrong]]
        with serving(course, "--workers", str(args.workers), "--per-hour", "100000", "--max-active", "100000") \
                as (base, _, _):
            _latency(base, tokens["b00"], variants[0])  # warm-up: first notebook of each worker
            idle = [_latency(base, tokens["b00"], variants[i % len(variants)])[0] for i in range(args.single)]
            burst, lock = [], threading.Lock()

            def one(i):
                seconds, status = _latency(base, tokens[f"b{i % 10:02d}"], variants[i % len(variants)])
                with lock:
                    burst.append((seconds, status))

            started = time.perf_counter()
            threads = [threading.Thread(target=one, args=(i,)) for i in range(args.burst)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=600)
            burst_wall = time.perf_counter() - started
            health = httpx.get(f"{base}/api/health").json()
    times = [s for s, _ in burst]
    rows = {"idle_p50_s": _pct(idle, 0.5), "idle_p95_s": _pct(idle, 0.95), "burst_p50_s": _pct(times, 0.5),
            "burst_p95_s": _pct(times, 0.95), "burst_all_graded_s": burst_wall,
            "burst_errors": sum(status != "graded" for _, status in burst),
            "throughput_notebooks_per_min": 60 * len(times) / burst_wall}
    batch = RESULTS / "autograde.json"
    if batch.exists():
        last = [r for r in json.loads(batch.read_text())["rows"] if "class autograder" in r["run"]][-1]
        rows["class_autograder_notebooks_per_min"] = 60 / last["per_notebook_s"]
    print(f"grading server, {health['workers']} workers, device={health['device']}, backend={health['backend']}")
    for key, value in rows.items():
        print(f"  {key:<38}{value:>10.2f}")
    print("targets: idle p50 <= 2 s; all 50 of a burst graded <= 60 s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "server.json"
    out.write_text(json.dumps({"machine": platform.platform(), "cpus": os.cpu_count(), "workers": health["workers"],
                               "device": health["device"], "backend": health["backend"],
                               **{k: round(v, 3) for k, v in rows.items()}}, indent=1))
    print(f"written: {out}")


if __name__ == "__main__":
    main()
