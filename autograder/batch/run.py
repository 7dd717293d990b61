"""One class autograde run: plan -> Dask tasks -> the one writer, student by student -> summary.

A student's notebooks are one task (one scheduler round trip a student, not one a notebook).
Results come back as they finish; a student is written (gradebook rows, autograded/ files, late
penalty) as soon as their task is back, then recorded in the ledger. A notebook the grader fails
on, or a task that fails for a reason outside the student's code (a worker dying on it
repeatedly: then each of the student's notebooks), is "not graded": no score is written for it
(a grade and autograded file it had stay), it is listed apart with its reason, the student is
not recorded in the ledger, and the batch goes on; the next run grades it again.
"""
import dataclasses
import json
import time

from distributed import as_completed

from autograder.batch.ledger import Ledger
from autograder.batch.plan import grader_version, plan
from autograder.errors import SandboxUnavailable
from autograder.gradebook.course import CourseError
from autograder.gradebook.feedback import generate_feedback
from autograder.gradebook.pipeline import NotebookPipeline, grading_settings
from autograder.gradebook.writer import GradebookWriter, NoNotebooks, NotebookOutcome
from autograder.sandbox.check import require_sandbox
from autograder.workers.cluster import open_cluster, require_sandbox_on_workers, task_resources
from autograder.workers.tasks import feedback_task, grade_submission_task


class BatchError(Exception):
    """The batch itself cannot run (a one-line reason): no such assignment, no cluster, ..."""


@dataclasses.dataclass
class NotebookReport:
    """One notebook's line in the summary."""

    status: str               # "graded" | "unreadable" | "error" | "missing"
    score: float | None = None
    max_score: float | None = None
    reason: str | None = None
    mistakes: dict = dataclasses.field(default_factory=dict)   # {function: [mistake keys]}
    device: str | None = None
    backend: str | None = None
    seconds: float | None = None       # the task's time on its worker
    worker: str | None = None          # host:pid of the worker
    rss_mb: float | None = None        # that worker's peak resident memory so far
    manual_max_score: float | None = None  # points of max_score graded by hand (not in score yet)


@dataclasses.dataclass
class BatchResult:
    assignment: str
    notebooks: list                      # the assignment's notebook names
    reports: dict                        # {student: {notebook: NotebookReport}}, skipped students' from the ledger
    skipped: list                        # students unchanged since their last grading
    failures: list                       # [(student, notebook or None, reason)]
    wall_seconds: float
    workers: int
    first_result_seconds: float | None = None  # from the start to the first student's results (cluster, Keras, references)
    feedback_failed: dict | None = None        # with feedback: {student: reason} where nbgrader made none
    feedback_seconds: float | None = None      # with feedback: its time (not in wall_seconds)

    @property
    def not_graded(self):
        """[(student, notebook or None, reason)] the grader could not grade (its faults, not the students')."""
        return [(s, nb, why) for s, nb, why in self.failures
                if nb is None or self.reports.get(s, {}).get(nb, NotebookReport("error")).status == "error"]

    @property
    def ok(self):
        """Every readable submission graded (unreadable files are the student's, not the batch's)."""
        return not any(r.status == "error" for s in self.reports.values() for r in s.values()) and \
            not any(nb is None for _, nb, _ in self.failures)


def _report(outcome):
    if outcome["status"] != "graded":  # unreadable: the student's 0; error: not graded, no score at all
        return NotebookReport(outcome["status"], 0.0 if outcome["status"] == "unreadable" else None, None,
                              outcome["reason"], device=outcome.get("device"), backend=outcome.get("backend"))
    result = outcome["result"]
    mistakes = {p["function"]: p["mistakes"] for p in result["parts"] if p.get("mistakes")}
    return NotebookReport("graded", result["score"], result["max_score"], None, mistakes, outcome["device"],
                          outcome["backend"], outcome["seconds"], outcome["worker"], outcome["rss_mb"],
                          result["manual_max_score"])


def _settings_text(pipeline):
    return json.dumps({k: repr(v) for k, v in sorted(pipeline.config.get("SandboxedAutograde", {}).items())})


def run_batch(course, assignment, cluster, students=None, force=False, progress=None, feedback=False):
    """Grade ``assignment`` for the course's submitted students; returns a BatchResult.

    progress(done, total, student) is called after each student is written. feedback: then also
    ``nbgrader generate_feedback`` for every student of the result, a task a student on the
    cluster's workers when they share this course folder (a LocalCluster), else in this process.
    BatchError when the batch cannot run.
    """
    started = time.perf_counter()
    try:
        pipeline = NotebookPipeline.for_assignment(course, assignment)
    except CourseError as exc:
        raise BatchError(str(exc)) from None
    settings = grading_settings(pipeline.config)
    if not cluster.scheduler:  # the workers will be this machine's: say at once if the sandbox cannot run here
        try:
            require_sandbox(settings.isolation, settings.memory_mb, settings.scratch_mb)
        except SandboxUnavailable as exc:
            raise BatchError(str(exc)) from None
    version = grader_version(course, assignment, _settings_text(pipeline))
    ledger = Ledger(course.root)
    try:
        submissions = plan(course, assignment, students)
        todo = [s for s in submissions if force or not ledger.is_current(assignment, s, version)]
        skipped = [s.student for s in submissions if s not in todo]
        result = BatchResult(assignment, sorted(pipeline.snapshot.notebooks), {}, skipped, [], 0.0, 0)
        earlier = ledger.notebooks(assignment)
        result.reports.update({s: {n: NotebookReport(**r) for n, r in earlier[s].items()} for s in skipped})
        if todo:
            _grade(course, assignment, pipeline, todo, cluster, ledger, version, result, progress, started, feedback)
    finally:
        ledger.close()
    if feedback and not todo:  # nothing graded, no cluster started: feedback here
        _feedback(course, assignment, result, None)
    result.wall_seconds = time.perf_counter() - started - (result.feedback_seconds or 0)
    return result


def _feedback(course, assignment, result, client):
    """Feedback HTML for every student of ``result``: on ``client``'s workers (which share the course
    folder), or in this process when client is None."""
    started, students = time.perf_counter(), sorted(result.reports)
    if client is None:
        result.feedback_failed = generate_feedback(course, assignment, students)
    else:
        owner = {client.submit(feedback_task, str(course.root), assignment, s, pure=False): s for s in students}
        result.feedback_failed = {}
        for future in as_completed(owner):
            try:
                result.feedback_failed.update(future.result())
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: that student's feedback only
                result.feedback_failed[owner[future]] = f"{type(exc).__name__}: {exc}"[:300]
            future.release()
    result.feedback_seconds = time.perf_counter() - started


def _grade(course, assignment, pipeline, todo, cluster, ledger, version, result, progress, started, feedback):
    with open_cluster(cluster) as client, GradebookWriter(course, pipeline) as writer:
        result.workers = len(client.scheduler_info()["workers"])
        if cluster.scheduler:  # workers elsewhere: each checks its own sandbox before the first notebook
            require_sandbox_on_workers(client, grading_settings(pipeline.config))
        resources = task_resources(client, cluster.device)
        writer.add_students([s.student for s in todo])
        shared = client.scatter(pipeline, broadcast=True)
        owner = {}
        for submission in todo:
            if submission.notebooks:
                raws = {name: path.read_bytes() for name, path in submission.notebooks.items()}
                future = client.submit(grade_submission_task, raws, submission.student, shared,
                                       resources=resources, pure=False, key=f"grade-{submission.student}-{version}")
                owner[future] = submission

        def written(submission, outcomes):
            _write(writer, ledger, assignment, submission, outcomes, version, result)
            if progress:
                progress(len(result.reports) - len(result.skipped), len(todo), submission.student)

        for submission in todo:
            if not submission.notebooks:
                written(submission, {})
        for future in as_completed(owner):
            if result.first_result_seconds is None:
                result.first_result_seconds = time.perf_counter() - started
            submission = owner.pop(future)
            try:
                outcomes = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: the worker died on it repeatedly
                reason = f"채점 작업 실패 (task failed) {type(exc).__name__}: {exc}"[:500]
                outcomes = {name: {"status": "error", "reason": reason} for name in submission.notebooks}
            future.release()
            written(submission, outcomes)
        if feedback:  # on a LocalCluster's workers, which see this course folder; here for a remote cluster's
            _feedback(course, assignment, result, None if cluster.scheduler else client)


def _write(writer, ledger, assignment, submission, outcomes, version, result):
    reports = {name: _report(o) for name, o in outcomes.items()}
    for name, report in reports.items():
        if report.status != "graded":
            result.failures.append((submission.student, name, report.reason))
    errors = [n for n, r in reports.items() if r.status == "error"]
    written = {name: NotebookOutcome(name, o.get("autograded"), o.get("reason"))
               for name, o in outcomes.items() if o["status"] != "error"}
    if errors and not written:  # nothing graded: nothing written (earlier grades stay); the next run retries
        result.reports[submission.student] = reports
        return
    try:
        writer.write(submission.student, written, keep=errors)
    except NoNotebooks as exc:  # the student's failure (an empty folder), not the batch's
        result.failures.append((submission.student, "-", str(exc)))
        result.reports[submission.student] = reports
        return
    except Exception as exc:  # noqa: BLE001 - one submission's write never stops the batch
        writer.gradebook.db.rollback()
        result.failures.append((submission.student, None, f"성적부 기록 실패 (not written) {type(exc).__name__}: {exc}"))
        result.reports[submission.student] = reports
        return
    for name in result.notebooks:
        if name not in reports:
            reports[name] = NotebookReport("missing", 0.0, None, "제출하지 않음 (not submitted)")
    result.reports[submission.student] = reports
    if not errors:  # a notebook the grader failed on is retried by the next run
        ledger.record(assignment, submission, version, {n: dataclasses.asdict(r) for n, r in reports.items()})
