"""``python -m autograder grade PATH.ipynb``: grade one submitted notebook, print JSON.

Exit status: 0 when the notebook was graded (failing code included), 2 when PATH is not a
readable notebook of the assignment (one-line reason on stderr).
"""
import argparse
import json
import sys

from autograder.assignment import DEFAULT_SOURCE, Assignment, NotGradable
from autograder.grade import GradingConfig, grade_notebook, read_notebook


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder")
    sub = parser.add_subparsers(dest="command", required=True)
    grade = sub.add_parser("grade", help="grade one submitted notebook and print JSON")
    grade.add_argument("path")
    grade.add_argument("--assignment", default="ch09")
    grade.add_argument("--source", default=str(DEFAULT_SOURCE), help="folder holding <assignment>/*.ipynb sources")
    grade.add_argument("--timeout", type=float, default=GradingConfig.timeout, help="seconds per cell and per call")
    grade.add_argument("--memory-mb", type=int, default=GradingConfig.memory_mb)
    grade.add_argument("--isolation", choices=["bwrap", "process", "auto"], default=GradingConfig.isolation)
    grade.add_argument("--seed", type=int, default=GradingConfig.seed)
    args = parser.parse_args(argv)

    assignment = Assignment.load(args.assignment, args.source)
    try:
        spec = assignment.spec_for(args.path)
        nb = read_notebook(args.path)
    except NotGradable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    config = GradingConfig(args.timeout, args.memory_mb, args.isolation, args.seed)
    result = grade_notebook(nb, assignment, spec.name, config)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0
