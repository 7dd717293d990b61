"""What the class autograder has written, per student: the resume point of an interrupted run.

A SQLite file in the course folder (``.autograder/ledger.sqlite``). A student's row is written
after the gradebook committed their submission, with the fingerprint of the submitted folder
and the grader version; a student whose row matches both is skipped. A run killed between the
gradebook commit and the ledger row regrades that student, and the writer's updates are
idempotent (nbgrader's update-or-create rows), so no submission is lost or doubled.
"""
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS written (
    assignment TEXT NOT NULL, student TEXT NOT NULL, fingerprint TEXT NOT NULL, grader_version TEXT NOT NULL,
    written_at TEXT NOT NULL, notebooks TEXT NOT NULL,
    PRIMARY KEY (assignment, student))
"""


class Ledger:
    def __init__(self, course_root):
        path = Path(course_root) / ".autograder" / "ledger.sqlite"
        path.parent.mkdir(exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute(SCHEMA)

    def close(self):
        self.db.close()

    def is_current(self, assignment, submission, version):
        row = self.db.execute("SELECT fingerprint, grader_version FROM written WHERE assignment=? AND student=?",
                              (assignment, submission.student)).fetchone()
        return row == (submission.fingerprint, version)

    def record(self, assignment, submission, version, notebooks):
        """notebooks: {name: per-notebook summary dict} (score, status, device, backend, mistakes...)."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO written VALUES (?, ?, ?, ?, ?, ?)",
                            (assignment, submission.student, submission.fingerprint, version,
                             datetime.now(timezone.utc).isoformat(timespec="seconds"),
                             json.dumps(notebooks, ensure_ascii=False)))

    def notebooks(self, assignment):
        """{student: {notebook: summary}} of every student written for ``assignment``."""
        rows = self.db.execute("SELECT student, notebooks FROM written WHERE assignment=?", (assignment,))
        return {student: json.loads(text) for student, text in rows}
