"""Helpers and constants shared by the tests (``from helpers import ...``; fixtures are in conftest.py)."""
import re
import subprocess
import sys
from pathlib import Path

from autograder.settings import REPO_ROOT

ASSIGNMENT = "ch09"
RELEASE = REPO_ROOT / "release" / ASSIGNMENT
MARKUP_NOTEBOOK = "01_padding_encoding"  # the course fixture's markup_hostile carries samples.markup's attacks in it


def part(result, function):
    """The part of a grading result for ``function``."""
    return next(p for p in result["parts"] if p["function"] == function)


def notebook_of(assignment, function):
    return next(name for name, spec in assignment.notebooks.items() if function in spec.functions)


# what TensorFlow and absl write to stderr when its log level is not in force (the oneDNN notice,
# absl's "before absl::InitializeLog()" line, glog-style "I0000 00:00:... port.cc:153]" lines)
FRAMEWORK_NOTICE = re.compile(r"oneDNN|absl::|cpu_feature_guard|^[IWEF]\d{4} [\d:.]+ +\d+ \S+:\d+\]", re.M)


def framework_notices(text):
    """The lines of ``text`` that are TensorFlow/absl notices (none may reach a user)."""
    return [line for line in text.splitlines() if FRAMEWORK_NOTICE.search(line)]


def run_cli(*args, cwd=None):
    """``python -m autograder ARGS`` as a subprocess."""
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or REPO_ROOT)


def chromium_path():
    """Debian's chromium (scripts/setup.sh installs it), for Playwright's ``executable_path``."""
    found = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)
    assert found, "Debian's chromium is not installed (scripts/setup.sh installs it)"
    return found


GLOSSARY = REPO_ROOT / "docs" / "glossary.md"
# notation the glossary's rules section forbids (h_{-1}; "실습 N" titles)
GLOSSARY_NOTATION = [r"실습 \d", r"h_\{-1\}", r"h_\(-1\)", r"h_-1\b"]


def avoided_terms():
    """The "쓰지 않는 말" column of docs/glossary.md's table, one term per comma-separated entry."""
    terms = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("쓰는 말", "---") and cells[1]:
            terms += [t.strip() for t in cells[1].split(",") if t.strip()]
    return terms


def avoided_patterns():
    """Regular expressions of everything the glossary says not to write."""
    return [re.escape(t) for t in avoided_terms()] + GLOSSARY_NOTATION
