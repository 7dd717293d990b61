"""``python -m autograder COMMAND``:

  grade PATH.ipynb       grade one submitted notebook (recognised by its cells, whatever its file
                         name), print JSON. Exit status: 0 when the notebook was graded (failing
                         code included); 2 when PATH is missing or not a readable notebook of the
                         assignment; 3 when it was not graded because the grader failed (the
                         sandbox cannot run here, a grader fault: "status": "not_graded" and the
                         reason in the JSON; one line on stderr). Never a score for a grader fault.
  check                  what grading needs on this machine, each with ok or the fix (autograder.doctor)
  autograde ASSIGNMENT   grade a whole class into nbgrader's gradebook (autograder.batch.cli)
  serve                  the grading server (autograder.server.cli)
  students, instructors  the server's accounts: roster import, tokens (autograder.server.accounts_cli)
Each command imports what it needs when it runs (Keras only where grading happens here).
"""
import json
import sys

from autograder import doctor
from autograder.batch import cli as batch_cli
from autograder.server import accounts_cli
from autograder.server import cli as server_cli
from autograder.settings import SOURCE_ROOT, add_setting_arguments, settings_from_args
from terminal.arguments import Parser


def parser():
    """The command line's parser (terminal.arguments.Parser: no abbreviated flags, defaults shown)."""
    top = Parser(prog="python -m autograder")
    sub = top.add_subparsers(dest="command", required=True)
    grade = sub.add_parser("grade", help="grade one submitted notebook and print JSON")
    grade.add_argument("path", help="the submitted notebook (.ipynb), recognised by its cells")
    grade.add_argument("--assignment", default="ch09", help="the assignment it belongs to")
    grade.add_argument("--source", default=str(SOURCE_ROOT), help="folder holding <assignment>/*.ipynb sources")
    add_setting_arguments(grade)
    grade.set_defaults(run=_grade)
    doctor.add_parser(sub)
    batch_cli.add_parser(sub)
    server_cli.add_parser(sub)
    accounts_cli.add_students_parser(sub)
    accounts_cli.add_instructors_parser(sub)
    return top


def main(argv=None):
    args = parser().parse_args(argv)
    return args.run(args)


def _grade(args):
    from pathlib import Path

    from autograder.assignment import Assignment
    from autograder.errors import GraderFault, NotGradable
    from autograder.grading.grade import grade_notebook, not_graded
    from autograder.grading.recognize import recognize
    from autograder.sandbox.check import require_sandbox

    assignment = Assignment.load(args.assignment, args.source)
    path = Path(args.path)
    try:
        if not path.is_file():
            raise NotGradable(f"파일이 없습니다 (no such file): {path}")
        name, nb = recognize(path.read_bytes(), assignment)
    except NotGradable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    settings = settings_from_args(args)
    try:
        require_sandbox(settings.isolation, settings.memory_mb, settings.scratch_mb, warm=True)
        result = grade_notebook(nb, assignment, name, settings)
    except GraderFault as exc:
        print(f"error: 채점하지 못했습니다 — 점수 없음 (not graded): {exc}", file=sys.stderr)
        result = not_graded(name, sum(p.points for p in assignment.notebooks[name].parts), str(exc))
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0 if result["status"] == "graded" else 3
