"""Running nbgrader's real CLI on a course folder (release, autograde, feedback, gradebook).

A course folder holds nbgrader_config.py, source/ and nbgrader's own folders. The demo and
the tests make one in a temporary directory, so class data never lands in the repository.
"""
import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from autograder.settings import REPO_ROOT, SOURCE_ROOT


class NbgraderFailed(RuntimeError):
    pass


def make_course(root, source=SOURCE_ROOT, config=REPO_ROOT / "nbgrader_config.py"):
    """A fresh course folder at ``root`` with a copy of the sources and the nbgrader config."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, root / "source", dirs_exist_ok=True)
    shutil.copy(config, root / "nbgrader_config.py")
    return root


def nbgrader(root, *args):
    """Run ``nbgrader ARGS`` in the course folder; NbgraderFailed with its log tail on failure."""
    # (nbgrader_config.py puts alembic on PATH; importing reference there quiets TensorFlow)
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        raise NbgraderFailed(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc


def release_differences(built, committed):
    """Names of files that differ between two release folders (missing on either side included)."""
    built, committed = Path(built), Path(committed)
    names = {p.relative_to(built) for p in built.rglob("*") if p.is_file()}
    names |= {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()} if committed.exists() else set()
    return sorted(str(n) for n in names
                  if not ((built / n).is_file() and (committed / n).is_file()
                          and filecmp.cmp(built / n, committed / n, shallow=False)))


def gradebook_scores(root, assignment="ch09"):
    """{student: {notebook: {grade_id: (score, max_score)}}} from the course's gradebook.

    score is None while a manually graded answer waits for the instructor (nbgrader reports 0).
    """
    scores = {}
    db_url = os.environ.get("NBGRADER_DB_URL") or f"sqlite:///{Path(root) / 'gradebook.db'}"
    with Gradebook(db_url) as gb:
        for student in gb.students:
            try:
                submission = gb.find_submission(assignment, student.id)
            except MissingEntry:
                continue
            for nb in submission.notebooks:
                scores.setdefault(student.id, {})[nb.name] = {
                    g.name: (None if g.needs_manual_grade else g.score, g.max_score) for g in nb.grades}
    return scores
