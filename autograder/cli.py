"""``python -m autograder COMMAND``:

  grade PATH.ipynb       grade one submitted notebook, print JSON. Exit status: 0 when the
                         notebook was graded (failing code included), 2 when PATH is not a
                         readable notebook of the assignment (one-line reason on stderr).
  autograde ASSIGNMENT   grade a whole class into nbgrader's gradebook (autograder.batch.cli)
  serve                  the grading server (autograder.server.cli)
  students, instructors  the server's accounts: roster import, tokens (autograder.server.accounts_cli)
Each command imports what it needs when it runs (Keras only where grading happens here).
"""
import argparse
import json
import sys

from autograder.batch import cli as batch_cli
from autograder.server import accounts_cli
from autograder.server import cli as server_cli
from autograder.settings import SOURCE_ROOT, add_setting_arguments, settings_from_args


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder")
    sub = parser.add_subparsers(dest="command", required=True)
    grade = sub.add_parser("grade", help="grade one submitted notebook and print JSON")
    grade.add_argument("path")
    grade.add_argument("--assignment", default="ch09")
    grade.add_argument("--source", default=str(SOURCE_ROOT), help="folder holding <assignment>/*.ipynb sources")
    add_setting_arguments(grade)
    grade.set_defaults(run=_grade)
    batch_cli.add_parser(sub)
    server_cli.add_parser(sub)
    accounts_cli.add_students_parser(sub)
    accounts_cli.add_instructors_parser(sub)
    args = parser.parse_args(argv)
    return args.run(args)


def _grade(args):
    from autograder.assignment import Assignment
    from autograder.errors import NotGradable
    from autograder.grade import grade_notebook, read_notebook

    assignment = Assignment.load(args.assignment, args.source)
    try:
        spec = assignment.spec_for(args.path)
        nb = read_notebook(args.path)
    except NotGradable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = grade_notebook(nb, assignment, spec.name, settings_from_args(args))
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0
