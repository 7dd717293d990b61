"""The tasks a Dask worker runs: submitted notebooks through the course's autograde pipeline.

``grade_task`` grades one notebook (the server: one upload); ``grade_submission_task`` one
student's notebooks (a class batch: one task, and one scheduler round trip, a student);
``feedback_task`` writes one graded student's feedback HTML into a course folder the worker shares.

With ``progress=True`` (the server) the task publishes what it is doing (autograder.grading.progress: the
grader's training, epoch by epoch) as Dask events on PROGRESS_TOPIC, each with the task's key.

Nothing the student's code does can make the task fail: errors in it are part of the result.
An outcome is a plain dict:
  {"status": "graded", "autograded": text, "result": {...}, "device", "backend", "worker", "seconds", "rss_mb"}
  {"status": "unreadable", "reason": one line}           (the file is not a readable notebook)
  {"status": "error", "reason": one line, "scope", ...}  (a fault of the grader, not of the student:
      no score; scope "environment" when this worker's sandbox no longer runs at all, else
      "submission": the sandbox works, the fault came while grading this notebook)
"""
import os
import resource
import socket
import time
from pathlib import Path

from autograder.grading import progress as grading_progress
from autograder.errors import GraderFault, NotGradable, SandboxUnavailable
from autograder.gradebook.pipeline import autograde_notebook, grading_settings
from autograder.workers.worker import device_info

PROGRESS_TOPIC = "autograder-progress"


def _publisher():
    """A progress callback that sends each event, with this task's key, to the scheduler's PROGRESS_TOPIC."""
    from distributed import get_worker

    worker = get_worker()
    key = worker.get_current_task()
    return lambda event: worker.log_event(PROGRESS_TOPIC, {"key": key, **event})


def grade_task(raw, student, notebook, pipeline, settings=None, progress=False):
    """settings: GradingSettings overrides for this notebook (e.g. {"seed": 7, "expected_values": "public"});
    progress: publish what the grading is doing (on a Dask worker only)."""
    started = time.perf_counter()
    where = {"worker": f"{socket.gethostname()}:{os.getpid()}", **device_info()}
    reporter = _publisher() if progress else None
    try:
        with grading_progress.reporting(reporter):
            grading_progress.report(stage="grading")
            text, result = autograde_notebook(raw, student, notebook, pipeline, settings)
    except NotGradable as exc:
        return {"status": "unreadable", "reason": str(exc), **where}
    except Exception as exc:  # noqa: BLE001 - a grader fault is reported, never hidden, fatal or a score
        reason = str(exc) if isinstance(exc, GraderFault) else f"채점기 오류 (grader error) {type(exc).__name__}: {exc}"
        return {"status": "error", "reason": reason[:500], "scope": _fault_scope(exc, pipeline), **where}
    return {"status": "graded", "autograded": text, "result": result,
            "seconds": round(time.perf_counter() - started, 4), "rss_mb": _peak_rss_mb(), **where}


def grade_submission_task(raws, student, pipeline):
    """A student's notebooks, {notebook name: submitted bytes} -> {notebook name: outcome}."""
    return {name: grade_task(raw, student, name, pipeline) for name, raw in raws.items()}


def feedback_task(course_root, assignment, student):
    """``nbgrader generate_feedback`` for one student of the course at ``course_root`` (a folder this
    worker shares with the batch); {student: reason} when nbgrader could not make it, else {}."""
    from autograder.gradebook.course import NbgraderCourse
    from autograder.gradebook.feedback import generate_feedback

    return generate_feedback(NbgraderCourse(Path(course_root)), assignment, [student])


def _fault_scope(exc, pipeline):
    """"environment" when the sandbox does not run on this worker any more (checked again), else "submission"."""
    if isinstance(exc, SandboxUnavailable):
        return "environment"
    from autograder.sandbox.check import require_sandbox

    settings = grading_settings(pipeline.config)
    try:
        require_sandbox(settings.isolation, settings.memory_mb, settings.scratch_mb, recheck=True, warm=True)
    except SandboxUnavailable:
        return "environment"
    return "submission"


def _peak_rss_mb():
    """Peak resident memory of this worker process so far (MiB; the sandboxes are separate processes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
