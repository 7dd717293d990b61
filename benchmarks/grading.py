"""Time to grade one notebook: the sandboxed path vs. stock nbgrader execution of the same notebook.

For each release notebook filled with the solutions:
  warm   grade_notebook() in a process that already imported Keras (batch / server case)
  cold   `python -m autograder grade` as a new process (the CLI, Keras import included)
  stock  nbclient executing the notebook top to bottom in a fresh kernel, hidden tests
         included: the work nbgrader's own Execute preprocessor would do (baseline)
Prints a table of medians over --repeat runs and writes benchmarks/results/grading.json.
"""
import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.assignment import Assignment
from autograder.grading.grade import grade_notebook
from autograder.settings import REPO_ROOT, SOURCE_ROOT
from samples.submissions import solution_answers, student_copy

RESULTS = REPO_ROOT / "benchmarks" / "results"


def _median_seconds(fn, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    assignment = Assignment.load("ch09", SOURCE_ROOT)
    answers = solution_answers(SOURCE_ROOT / "ch09")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in assignment.notebooks:
            nb = student_copy(nbformat.read(REPO_ROOT / "release" / "ch09" / f"{name}.ipynb", as_version=4), answers)
            path = Path(tmp) / f"{name}.ipynb"
            nbformat.write(nb, path)
            grade_notebook(nb, assignment, name)  # warm-up: Keras import, first tracing
            warm = _median_seconds(lambda: grade_notebook(nb, assignment, name), args.repeat)
            cold = _median_seconds(lambda: subprocess.run([sys.executable, "-m", "autograder", "grade", str(path)],
                                                          capture_output=True, check=True), args.repeat)
            source = nbformat.read(SOURCE_ROOT / "ch09" / f"{name}.ipynb", as_version=4)
            stock = _median_seconds(lambda: NotebookClient(nbformat.from_dict(source), timeout=300, kernel_name="python3",
                                                           resources={"metadata": {"path": str(SOURCE_ROOT / "ch09")}}
                                                           ).execute(), args.repeat)
            rows.append({"notebook": name, "warm_s": warm, "cold_cli_s": cold, "stock_execute_s": stock,
                         "warm_vs_stock": warm / stock, "cold_vs_stock": cold / stock})
    print(f"{'notebook':<28}{'warm s':>9}{'cold CLI s':>12}{'stock s':>10}{'warm/stock':>12}{'cold/stock':>12}")
    for r in rows:
        print(f"{r['notebook']:<28}{r['warm_s']:>9.2f}{r['cold_cli_s']:>12.2f}{r['stock_execute_s']:>10.2f}"
              f"{r['warm_vs_stock']:>12.2f}{r['cold_vs_stock']:>12.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "grading.json"
    out.write_text(json.dumps({"machine": platform.platform(), "cpus": __import__("os").cpu_count(),
                               "repeat": args.repeat, "rows": rows}, indent=1))
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
