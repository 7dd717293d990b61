"""Queued submissions -> Dask grading tasks -> results in the server's database and nbgrader's gradebook.

One thread owns the Dask client and the gradebook writer (the one writer of the course). The
database is the queue: a submission is "queued" once its file is on disk and its row committed
(that is what the upload's 202 means). Each turn, the dispatcher claims queued rows that are due
(status "running", attempts + 1, a fresh random seed the first time, kept for regrades), sends the
stored bytes and the assignment's pipeline to a worker (nothing a task needs lives on one worker
only: Dask runs a task again on another worker when its worker dies), and for each finished task

  1. stores the autograded notebook durably,
  2. writes the student's latest graded notebooks into the course (submitted/, autograded/,
     gradebook rows) exactly as the class autograder does,
  3. marks the row "graded" only if it is still this attempt (idempotent on the submission id).

While a task runs, the worker publishes what it is doing (autograder.grading.progress: the grader training
a model of notebook 05, epoch k of n) as Dask events; ``progress_of(sid)`` gives the latest for
the page (kept in memory only: a restart forgets it, the row's status stays the truth).

A crash anywhere before 3 leaves the row "running"; on start, running rows are queued again and
graded with the same seed, so each result is written once, the same, however often it is tried.

A fault of the grader is never a score. The task says whose fault it was: "environment" (the
sandbox no longer runs on that worker: the row waits, uncounted, and /api/health says why) or
"submission" (the sandbox works; the fault came while grading this notebook, or the task was lost
with its worker again and again): the row is queued again after a back-off (ServerSettings.retry_s,
six times longer each time), with the fault in its ``fault_log``, and after ServerSettings.max_faults
it is "held" for the instructor (the student reads that grading is delayed). A turn that fails in the dispatcher itself is logged and the loop goes on.
"""
import json
import logging
import secrets
import threading
from datetime import timedelta, timezone
from pathlib import Path

from sqlalchemy import or_, select, update

from autograder.gradebook.writer import GradebookWriter, NotebookOutcome
from autograder.server.models import Submission, utcnow
from autograder.server.storage import read_upload, store_text
from autograder.gradebook.pipeline import grading_settings
from autograder.workers.cluster import open_cluster, require_sandbox_on_workers, task_resources
from autograder.workers.tasks import PROGRESS_TOPIC, grade_task
from autograder.workers.worker import device_info

log = logging.getLogger("autograder.server")
TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f UTC"  # nbgrader's timestamp.txt format


class Dispatcher(threading.Thread):
    """Runs until ``stop()``; ``ready`` is set once the cluster is up (``info`` then says what it is).

    failure: why the dispatcher stopped (None while it runs); environment_fault: the last reason a
    worker's sandbox did not run (None once a notebook is graded again); both go to /api/health.
    """

    def __init__(self, state):
        super().__init__(name="grading-dispatcher", daemon=True)
        self.state = state
        self.ready, self._stopping = threading.Event(), threading.Event()
        self.info = {"workers": 0, "device": None, "backend": None, "keras": None}
        self.failure = None
        self.environment_fault = None
        self._inflight = {}  # future -> (submission id, attempt)
        self._progress = {}  # submission id -> the last progress event of its running task

    def stop(self):
        self._stopping.set()

    def progress_of(self, sid):
        """The last progress event of submission ``sid``'s running task ({"stage", ...}), or None."""
        return self._progress.get(sid)

    def _on_progress(self, event):
        """A worker's progress event (scheduler time, {"key": "submission-<sid>-<attempt>", ...}); called on the
        client's event loop."""
        _, message = event
        key = str(message.get("key", ""))
        sid = key.removeprefix("submission-").rpartition("-")[0]
        if sid and any(s == sid for s, _ in list(self._inflight.values())):  # (the dispatcher thread changes it)
            self._progress[sid] = {k: v for k, v in message.items() if k != "key"}

    def run(self):
        try:
            with open_cluster(self.state.cluster) as client:
                self._serve(client)
        except Exception as exc:  # noqa: BLE001 - reported by the server's start-up and health
            self.failure = f"{type(exc).__name__}: {exc}"
            log.exception("grading dispatcher stopped")
        finally:
            self.ready.set()

    def _serve(self, client):
        resources = task_resources(client, self.state.cluster.device)
        client.subscribe_topic(PROGRESS_TOPIC, self._on_progress)
        if self.state.cluster.scheduler:  # workers elsewhere: each checks its own sandbox first
            for pipeline in self.state.pipelines.values():
                require_sandbox_on_workers(client, grading_settings(pipeline.config))
        workers = client.run(device_info)
        first = next(iter(workers.values()), {})
        self.info = {"workers": len(workers), "device": first.get("device"), "backend": first.get("backend"),
                     "keras": first.get("keras")}
        writers = {name: GradebookWriter(self.state.course, p) for name, p in self.state.pipelines.items()}
        try:
            self._requeue_running()
            self.ready.set()
            while not self._stopping.is_set():
                try:
                    busy = self._turn(client, resources, writers, len(client.scheduler_info()["workers"]) or 1)
                except Exception:  # noqa: BLE001 - one bad turn never stops grading
                    log.exception("grading dispatcher: a turn failed; going on")
                    busy = False
                if not busy:
                    self._stopping.wait(0.1)
        finally:
            for future in self._inflight:
                future.release()
            self._requeue_running()  # what was grading waits in the queue for the next start
            for writer in writers.values():
                writer.close()

    def _turn(self, client, resources, writers, workers):
        """Send what is due, take in what finished; True when something finished."""
        for sid, student, assignment, notebook, path, seed, attempt in self._claim(2 * workers - len(self._inflight)):
            try:
                data = read_upload(self.state.storage, path)
            except OSError as exc:  # the stored file cannot be read: the server's fault, never the student's
                self._fault(sid, attempt, {"status": "error", "scope": "submission",
                                           "reason": f"저장된 파일을 읽을 수 없습니다 (stored file unreadable): {exc}"})
                continue
            future = client.submit(grade_task, data, student, notebook, self.state.pipelines[assignment],
                                   {"seed": seed, "expected_values": "public"}, progress=True,
                                   resources=resources, pure=False, key=f"submission-{sid}-{attempt}")
            self._inflight[future] = (sid, attempt)
        done = [future for future in self._inflight if future.done()]
        for future in done:
            sid, attempt = self._inflight.pop(future)
            self._progress.pop(sid, None)
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - lost with its workers (KilledWorker) or cancelled
                outcome = {"status": "error", "scope": "submission",
                           "reason": f"채점 작업을 잃었습니다 (task lost: {type(exc).__name__}: {str(exc)[:200]})"}
            future.release()
            self._finish(sid, attempt, outcome, writers)
        return bool(done)

    def _requeue_running(self):
        with self.state.db.session(immediate=True) as s:
            s.execute(update(Submission).where(Submission.status == "running").values(status="queued"))

    def _claim(self, limit):
        if limit <= 0:
            return []
        jobs = []
        busy = {sid for sid, _ in self._inflight.values()}
        now = utcnow()
        with self.state.db.session(immediate=True) as s:
            rows = s.scalars(select(Submission).where(Submission.status == "queued", or_(
                Submission.retry_at.is_(None), Submission.retry_at <= now))
                .order_by(Submission.submitted_at).limit(limit + len(busy))).all()
            for row in rows:
                if row.id in busy or len(jobs) >= limit:
                    continue
                row.status, row.started_at, row.attempts = "running", now, row.attempts + 1
                if row.seed is None:
                    row.seed = secrets.randbelow(2**31)
                jobs.append((row.id, row.student_id, row.assignment, row.notebook, row.path, row.seed, row.attempts))
        return jobs

    def _finish(self, sid, attempt, outcome, writers):
        status = outcome["status"]
        if status == "unreadable":  # the submission's own problem: said to the student, as the CLI says it
            self._set(sid, attempt, status="error", graded_at=utcnow(), error=outcome.get("reason"))
            return
        if status != "graded":
            self._fault(sid, attempt, outcome)
            return
        try:
            autograded = store_text(self.state.storage, f"autograded/{sid[:2]}/{sid}.ipynb", outcome["autograded"])
        except OSError as exc:  # the server's disk, not the student
            self._fault(sid, attempt, {**outcome, "status": "error", "scope": "environment",
                                       "reason": f"채점 결과를 저장하지 못했습니다 (cannot store the result: {exc})"})
            return
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
        self.environment_fault = None
        self._set(sid, attempt, status="graded", graded_at=utcnow(), score=result["score"],
                  max_score=result["max_score"], result_json=json.dumps(result, ensure_ascii=False),
                  autograded_path=autograded, device=outcome["device"], backend=outcome["backend"],
                  error=outcome.get("gradebook_error"), retry_at=None)

    def _fault(self, sid, attempt, outcome):
        """A grader fault on this attempt: never a score. Queued again after a back-off (an environment
        fault is not counted against the submission); held for the instructor after max_faults."""
        reason, scope = outcome.get("reason", "채점하지 못했습니다 (not graded)"), outcome.get("scope", "submission")
        now = utcnow()
        line = f"{now.isoformat(timespec='seconds')} 시도 {attempt} [{scope}] {outcome.get('worker', '-')}: {reason}"
        log.warning("grader fault on submission %s (attempt %s, %s): %s", sid, attempt, scope, reason)
        with self.state.db.session(immediate=True) as s:
            row = s.get(Submission, sid)
            if row is None or row.status != "running" or row.attempts != attempt:
                return
            row.fault_log = "\n".join(filter(None, [row.fault_log, line]))[-8000:]
            settings = self.state.settings
            if scope == "environment":
                self.environment_fault = reason
                row.status, row.retry_at = "queued", now + timedelta(seconds=3 * settings.retry_s)
                return
            row.faults += 1
            if row.faults >= settings.max_faults:
                row.status, row.retry_at = "held", None
                row.error = (f"채점기가 이 제출물에서 {row.faults}번 실패했습니다. 다른 제출물은 채점되므로 이 제출물에서만 "
                             f"되풀이되는 문제입니다: 아래 기록을 보고 다시 채점하세요 (the grader failed {row.faults} "
                             f"times on this submission only; see the log, then regrade). 마지막: {reason}")
            else:
                row.status = "queued"
                row.retry_at = now + timedelta(seconds=settings.retry_s * 6 ** (row.faults - 1))

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
