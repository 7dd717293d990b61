"""``python -m autograder autograde ASSIGNMENT``: grade a whole class into nbgrader's gradebook.

Exit status: 0 when every readable submission was graded (unreadable files are listed as the
students' failures); 1 when a readable notebook could not be graded (a grader or worker fault,
listed; the next run retries it); 2 when the batch could not run at all (one line on stderr).
"""
import sys
import time
from pathlib import Path

from autograder.settings import add_cluster_arguments, cluster_from_args


def add_parser(sub):
    parser = sub.add_parser("autograde", help="grade every submission of an assignment (Dask) into the gradebook")
    parser.add_argument("assignment", help="the assignment's name in the gradebook (e.g. ch09)")
    parser.add_argument("--course", default=".", help="the course folder holding nbgrader_config.py (default: here)")
    parser.add_argument("--student", nargs="+", metavar="ID", help="only these students")
    add_cluster_arguments(parser)
    parser.add_argument("--force", action="store_true", help="regrade students whose submission did not change")
    parser.add_argument("--feedback", action="store_true", help="also write feedback HTML (nbgrader generate_feedback)")
    parser.set_defaults(run=main)


class Progress:
    """A tqdm bar with ETA on a terminal; plain log lines (about every 5%) otherwise."""

    def __init__(self, stream=sys.stderr):
        self.stream, self.bar, self.last = stream, None, -1
        self.started = time.monotonic()

    def __call__(self, done, total, student):
        if total == 0:
            return
        if self.stream.isatty():
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=total, unit="명", desc="채점", file=self.stream)
            self.bar.update(done - self.bar.n)
            return
        step = max(1, total // 20)
        if done // step != self.last or done == total:
            self.last = done // step
            rate = done / max(time.monotonic() - self.started, 1e-9)
            eta = (total - done) / rate if rate else 0
            print(f"채점 {done}/{total}명 (남은 시간 약 {eta:.0f}초)", file=self.stream, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def main(args):
    # imported here: `python -m autograder grade` does not need Dask or nbgrader's converters
    from autograder.batch.run import BatchError, run_batch
    from autograder.batch.summary import format_table, write_reports
    from autograder.gradebook.course import CourseError, NbgraderCourse
    from autograder.workers.cluster import ClusterError

    try:
        course = NbgraderCourse(Path(args.course))
        progress = Progress()
        try:
            result = run_batch(course, args.assignment, cluster_from_args(args), args.student, args.force, progress,
                               args.feedback)
        finally:
            progress.close()
    except (BatchError, CourseError, ClusterError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\n중단했습니다. 기록된 학생은 그대로이고, 다시 실행하면 나머지를 채점합니다 (interrupted; run again to resume).",
              file=sys.stderr)
        return 130
    print(format_table(result))
    folder = write_reports(result, course.root)
    print(f"\n보고서: {folder}/ (scores.csv, failures.csv, mistakes.csv, summary.json)")
    if args.feedback:
        made = len(result.reports) - len(result.feedback_failed)
        print(f"피드백 HTML: {made}명, {result.feedback_seconds:.1f}초 ({course.root / 'feedback'})")
        for student, reason in sorted(result.feedback_failed.items()):
            print(f"  피드백 실패 (feedback failed) {student}: {reason}")
    return 0 if result.ok else 1
