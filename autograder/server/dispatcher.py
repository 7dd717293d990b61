"""Queued submissions -> Dask grading tasks -> results in the server's database and nbgrader's gradebook.

One thread owns the Dask client and the gradebook writer (the one writer of the course). The
database is the queue: a submission is "queued" once its file is on disk and its row committed
(that is what the upload's 202 means). Each turn, the dispatcher claims queued rows (status
"running", attempts + 1, a fresh random seed the first time, kept for regrades), sends the
stored bytes to a worker, and for each finished task

  1. stores the autograded notebook durably,
  2. writes the student's latest graded notebooks into the course (submitted/, autograded/,
     gradebook rows) exactly as the class autograder does,
  3. marks the row "graded" only if it is still this attempt (idempotent on the submission id).

A crash anywhere before 3 leaves the row "running"; on start, running rows are queued again and
graded with the same seed, so each result is written once, the same, however often it is tried.
A task lost with its worker is retried (up to MAX_ATTEMPTS), then recorded as an error.
"""
import json
import logging
import secrets
import threading
from datetime import timezone
from pathlib import Path

from distributed import wait
from sqlalchemy import select, update

from autograder.gradebook.writer import GradebookWriter, NotebookOutcome
from autograder.server.models import Submission, utcnow
from autograder.server.storage import read_upload, store_text
from autograder.workers.cluster import open_cluster, task_resources
from autograder.workers.tasks import grade_task
from autograder.workers.worker import device_info

log = logging.getLogger("autograder.server")
MAX_ATTEMPTS = 3
TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f UTC"  # nbgrader's timestamp.txt format


class Dispatcher(threading.Thread):
    """Runs until ``stop()``; ``ready`` is set once the cluster is up (``info`` then says what it is)."""

    def __init__(self, state):
        super().__init__(name="grading-dispatcher", daemon=True)
        self.state = state
        self.ready, self._stop = threading.Event(), threading.Event()
        self.info = {"workers": 0, "device": None, "backend": None, "keras": None}
        self.failure = None
        self._inflight = {}  # future -> (submission id, attempt)

    def stop(self):
        self._stop.set()

    def run(self):
        try:
            with open_cluster(self.state.cluster) as client:
                self._serve(client)
        except Exception as exc:  # noqa: BLE001 - reported by the server's start-up and health
            self.failure = f"{type(exc).__name__}: {exc}"
            log.exception("grading dispatcher stopped")
            self.ready.set()

    def _serve(self, client):
        resources = task_resources(client, self.state.cluster.device)
        workers = client.run(device_info)
        first = next(iter(workers.values()), {})
        self.info = {"workers": len(workers), "device": first.get("device"), "backend": first.get("backend"),
                     "keras": first.get("keras")}
        shared = {name: client.scatter(p, broadcast=True) for name, p in self.state.pipelines.items()}
        writers = {name: GradebookWriter(self.state.course, p) for name, p in self.state.pipelines.items()}
        try:
            self._requeue_running()
            self.ready.set()
            while not self._stop.is_set():
                for job in self._claim(max(0, 2 * len(workers) - len(self._inflight))):
                    sid, student, assignment, notebook, path, seed, attempt = job
                    try:
                        data = read_upload(self.state.storage, path)
                    except OSError as exc:  # the stored file is gone: say so on this submission, go on
                        self._set(sid, attempt, status="error", graded_at=utcnow(),
                                  error=f"저장된 파일을 읽을 수 없습니다 (stored file unreadable): {exc}")
                        continue
                    future = client.submit(grade_task, data, student, notebook, shared[assignment],
                                           {"seed": seed, "expected_values": "public"}, resources=resources,
                                           pure=False, key=f"submission-{sid}-{attempt}")
                    self._inflight[future] = (sid, attempt)
                if not self._inflight:
                    self._stop.wait(0.1)
                    continue
                try:
                    done, _ = wait(list(self._inflight), timeout=0.2, return_when="FIRST_COMPLETED")
                except TimeoutError:
                    continue
                for future in done:
                    sid, attempt = self._inflight.pop(future)
                    try:
                        outcome = future.result()
                    except Exception as exc:  # noqa: BLE001 - a worker died on it: retry or record
                        outcome = {"status": "lost", "reason": f"{type(exc).__name__}: {exc}"[:300]}
                    future.release()
                    self._finish(sid, attempt, outcome, writers)
        finally:
            for writer in writers.values():
                writer.close()

    def _requeue_running(self):
        with self.state.db.session(immediate=True) as s:
            s.execute(update(Submission).where(Submission.status == "running").values(status="queued"))

    def _claim(self, limit):
        if limit <= 0:
            return []
        jobs = []
        busy = {sid for sid, _ in self._inflight.values()}
        with self.state.db.session(immediate=True) as s:
            rows = s.scalars(select(Submission).where(Submission.status == "queued")
                             .order_by(Submission.submitted_at).limit(limit + len(busy))).all()
            for row in rows:
                if row.id in busy or len(jobs) >= limit:
                    continue
                row.status, row.started_at, row.attempts = "running", utcnow(), row.attempts + 1
                if row.seed is None:
                    row.seed = secrets.randbelow(2**31)
                jobs.append((row.id, row.student_id, row.assignment, row.notebook, row.path, row.seed, row.attempts))
        return jobs

    def _finish(self, sid, attempt, outcome, writers):
        status = outcome["status"]
        if status == "lost" and attempt < MAX_ATTEMPTS:
            self._set(sid, attempt, status="queued")
            return
        if status != "graded":
            self._set(sid, attempt, status="error", graded_at=utcnow(),
                      error=outcome.get("reason", "채점하지 못했습니다 (not graded)"))
            return
        autograded = store_text(self.state.storage, f"autograded/{sid[:2]}/{sid}.ipynb", outcome["autograded"])
        with self.state.db.session() as s:
            row = s.get(Submission, sid)
        if row is None or row.status != "running" or row.attempts != attempt:
            return  # an older attempt finishing late: the current one writes
        try:
            self._record(row, autograded, writers[row.assignment])
        except Exception as exc:  # noqa: BLE001 - the grade stands; the gradebook is retried on the next grade
            log.exception("gradebook write failed for %s", sid)
            writers[row.assignment].gradebook.db.rollback()
            outcome = {**outcome, "gradebook_error": f"{type(exc).__name__}: {exc}"}
        result = outcome["result"]
        self._set(sid, attempt, status="graded", graded_at=utcnow(), score=result["score"],
                  max_score=result["max_score"], result_json=json.dumps(result, ensure_ascii=False), autograded_path=autograded,
                  device=outcome["device"], backend=outcome["backend"], error=outcome.get("gradebook_error"))

    def _set(self, sid, attempt, **values):
        with self.state.db.session(immediate=True) as s:
            s.execute(update(Submission).where(Submission.id == sid, Submission.status == "running",
                                               Submission.attempts == attempt).values(**values))

    def _record(self, row, autograded, writer):
        """Write the student's latest graded notebooks (this one included) into the nbgrader course."""
        course, storage = self.state.course, self.state.storage
        with self.state.db.session() as s:
            graded = s.scalars(select(Submission).where(Submission.student_id == row.student_id,
                                                        Submission.assignment == row.assignment,
                                                        Submission.status == "graded")).all()
        latest = {}
        for sub in [*graded, row]:
            held = latest.get(sub.notebook)
            if held is None or sub.submitted_at > held.submitted_at:
                latest[sub.notebook] = sub
        folder = course.folder("submitted", row.student_id, row.assignment)
        folder.mkdir(parents=True, exist_ok=True)
        outcomes = {}
        for notebook, sub in latest.items():
            _replace(folder / f"{notebook}.ipynb", read_upload(storage, sub.path))
            text_path = autograded if sub.id == row.id else sub.autograded_path
            outcomes[notebook] = NotebookOutcome(notebook, read_upload(storage, text_path).decode("utf-8"))
        newest = max(s.submitted_at for s in latest.values()).astimezone(timezone.utc)
        _replace(folder / "timestamp.txt", newest.strftime(TIMESTAMP).encode())
        writer.write(row.student_id, outcomes)


def _replace(path, data):
    tmp = Path(f"{path}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
