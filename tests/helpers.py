"""Helpers and constants shared by the tests (``from helpers import ...``; fixtures are in conftest.py)."""
import subprocess
import sys

from autograder.settings import REPO_ROOT

ASSIGNMENT = "ch09"
RELEASE = REPO_ROOT / "release" / ASSIGNMENT


def part(result, function):
    """The part of a grading result for ``function``."""
    return next(p for p in result["parts"] if p["function"] == function)


def notebook_of(assignment, function):
    return next(name for name, spec in assignment.notebooks.items() if function in spec.functions)


def run_cli(*args, cwd=None):
    """``python -m autograder ARGS`` as a subprocess."""
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or REPO_ROOT)
