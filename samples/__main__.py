"""``python -m samples``: a course to try the autograder and the server on.

  course DIR                    a new nbgrader course from this repository: source/ch09 and
                                nbgrader_config.py copied, the student release generated
                                (nbgrader generate_assignment), the gradebook made
  class DIR --students N        a synthetic class in that course: submitted/<s001...>/ch09/ with
                                samples.classroom's mix (correct, mistakes, untouched, hostile,
                                broken) and roster.csv (student_id,name) for `students import`
Exit status 0, or 2 with one line on stderr (a folder that is already a course, no course, ...).
"""
import csv
import sys
from pathlib import Path

from terminal.arguments import Parser

ASSIGNMENT = "ch09"
KINDS_KO = {"correct": "정답", "mistakes": "흔한 실수", "untouched": "손대지 않음", "hostile": "악의적 답안",
            "broken": "깨진 파일"}


def parser():
    top = Parser(prog="python -m samples", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="command", required=True)
    course = sub.add_parser("course", help="a new nbgrader course from this repository (release generated)")
    course.add_argument("folder", type=Path, help="where the course goes (new, or an empty folder)")
    course.set_defaults(run=_course)
    klass = sub.add_parser("class", help="a synthetic class of N students in a course made by `course`")
    klass.add_argument("folder", type=Path, help="the course folder")
    klass.add_argument("--students", type=int, required=True, help="how many students (ids s001, s002, ...)")
    klass.add_argument("--seed", type=int, default=0, help="seed of who gets which kind of submission")
    klass.set_defaults(run=_class)
    return top


class _Refused(Exception):
    pass


def _course(args):
    from samples.course import make_course, nbgrader

    if args.folder.exists() and any(args.folder.iterdir()):
        raise _Refused(f"{args.folder} 폴더가 비어 있지 않습니다 (not empty: the course goes into a new or empty folder)")
    make_course(args.folder)
    nbgrader(args.folder, "generate_assignment", ASSIGNMENT, "--force")
    print(f"과목 폴더를 만들었습니다 (course made): {args.folder} — source/{ASSIGNMENT}, release/{ASSIGNMENT}, "
          f"gradebook.db, nbgrader_config.py")
    return 0


def _class(args):
    from samples.classroom import write_class

    release = args.folder / "release" / ASSIGNMENT
    if not release.is_dir():
        raise _Refused(f"{release}가 없습니다: 먼저 `python -m samples course {args.folder}` "
                       f"(no release in {args.folder}: make the course first)")
    submitted, roster = args.folder / "submitted", args.folder / "roster.csv"
    if roster.exists() or (submitted.is_dir() and any(submitted.iterdir())):
        raise _Refused(f"{args.folder}에 이미 제출물이나 roster.csv가 있습니다 (the course already has a class)")
    if args.students < 1:
        raise _Refused(f"--students는 1 이상이어야 합니다 (--students must be at least 1, got {args.students})")
    kinds = write_class(args.folder, args.students, ASSIGNMENT, args.seed)
    with open(roster, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["student_id", "name"])
        writer.writerows([student, f"학생{student[1:]}"] for student in sorted(kinds))
    counts = {kind: sum(k == kind for k in kinds.values()) for kind in KINDS_KO}
    print(f"학생 {len(kinds)}명 ({', '.join(f'{KINDS_KO[k]} {n}' for k, n in counts.items())}) -> "
          f"{submitted}/, {roster}")
    return 0


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except _Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
