"""Small helpers for the tests (not fixtures)."""
import os
import subprocess
import sys
from pathlib import Path


def part(result, function):
    """The part of a grading result for ``function``."""
    return next(p for p in result["parts"] if p["function"] == function)


def notebook_of(assignment, function):
    return next(name for name, spec in assignment.notebooks.items() if function in spec.functions)


def run_cli(*args, cwd=None):
    """``python -m autograder ARGS`` as a subprocess."""
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}, cwd=cwd or Path(__file__).parent)
