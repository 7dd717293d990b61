"""``python -m autograder students ...`` and ``instructors ...``: accounts of the grading server.

  students import ROSTER.csv [--out FILE]  create or update students (student_id,name[,email]);
                                          prints "student_id,token" CSV (a header line, then one
                                          line per CREATED student) on stdout, or into FILE
                                          (created 0600, must not exist). Tokens are shown once.
  students token ID --reset               print a new token for the student (the old one stops)
  instructors add NAME [--reset]          print an instructor token (last line of stdout)

All take --course DIR (default: here) and --db URL (default: sqlite:///<course>/grading-server.sqlite)
and bring the database to the newest migration first. Exit status 0 on success; 2 with one line
(Korean and English) on stderr for bad input, nothing written.
"""
import csv
import os
import sys
from pathlib import Path


def _add_db_arguments(parser):
    parser.add_argument("--course", default=".", help="the course folder (default: here)")
    parser.add_argument("--db", default=None, metavar="URL",
                        help="database URL (default: sqlite:///<course>/grading-server.sqlite)")


def add_students_parser(sub):
    parser = sub.add_parser("students", help="grading server: import the roster, reset a student's token")
    commands = parser.add_subparsers(dest="students_command", required=True)
    imp = commands.add_parser("import", help="create or update students from a CSV roster; print new tokens")
    imp.add_argument("roster", help="CSV with student_id,name[,email] (or 학번,이름[,이메일])")
    imp.add_argument("--out", metavar="FILE", help="write the new tokens to FILE (mode 0600) instead of stdout")
    _add_db_arguments(imp)
    imp.set_defaults(run=import_roster_command)
    tok = commands.add_parser("token", help="issue a new token for one student")
    tok.add_argument("student_id", metavar="ID", help="the student's id (학번) as on the roster")
    tok.add_argument("--reset", action="store_true", help="replace the student's token (required: tokens are stored hashed)")
    _add_db_arguments(tok)
    tok.set_defaults(run=student_token_command)


def add_instructors_parser(sub):
    parser = sub.add_parser("instructors", help="grading server: add an instructor and print their token")
    commands = parser.add_subparsers(dest="instructors_command", required=True)
    add = commands.add_parser("add", help="add an instructor; the token is the last line printed")
    add.add_argument("name", help="the instructor's name (unique; shown nowhere to students)")
    add.add_argument("--reset", action="store_true", help="the instructor exists: replace their token")
    _add_db_arguments(add)
    add.set_defaults(run=add_instructor_command)


def _fail(message):
    print(f"error: {message}", file=sys.stderr)
    return 2


def _open_database(args):
    """The upgraded Database of --course/--db, or an error line."""
    from sqlalchemy.exc import SQLAlchemyError

    from autograder.server.db import Database, default_url

    course = Path(args.course)
    if args.db is None and not course.is_dir():
        raise _CommandError(f"과목 폴더가 없습니다 (course folder {course} does not exist)")
    database = Database(args.db or default_url(course))
    try:
        database.upgrade()
    except (SQLAlchemyError, OSError) as exc:
        database.dispose()
        raise _CommandError(f"데이터베이스를 열 수 없습니다 (cannot open database {database.url.render_as_string()}: "
                            f"{_first_line(exc)})") from None
    return database


def _first_line(exc):
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class _CommandError(Exception):
    pass


def _run(work):
    from sqlalchemy.exc import SQLAlchemyError

    from autograder.server.accounts import AccountError

    try:
        return work()
    except (AccountError, _CommandError) as exc:
        return _fail(str(exc))
    except SQLAlchemyError as exc:
        return _fail(f"데이터베이스 오류로 아무것도 바꾸지 않았습니다 (database error, nothing changed: {_first_line(exc)})")


def import_roster_command(args):
    def work():
        from autograder.server.accounts import import_students, read_roster

        roster = read_roster(args.roster)  # all validation before anything is created
        if roster.ignored:
            print(f"명단에서 쓰지 않는 열: {', '.join(roster.ignored)} (roster columns not used: "
                  f"{', '.join(roster.ignored)})", file=sys.stderr)
        out = Path(args.out) if args.out else None
        if out is not None:
            if out.exists():
                raise _CommandError(f"{out} 파일이 이미 있습니다; 이전 토큰을 덮어쓰지 않습니다 "
                                    f"(refusing to overwrite {out}: it may hold tokens shown once)")
            if not out.parent.is_dir():
                raise _CommandError(f"{out.parent} 폴더가 없습니다 (folder {out.parent} does not exist)")
        database = _open_database(args)
        temp = None
        try:
            with database.session() as session:
                result = import_students(session, roster.rows)
                if out is not None and result.created:
                    temp = _write_private(out, result.created)  # before the commit: if it fails, no one is added
            if temp is not None:
                os.replace(temp, out)
                temp = None
        finally:
            if temp is not None:
                temp.unlink(missing_ok=True)
            database.dispose()
        if out is None and result.created:
            _write_csv(sys.stdout, result.created)
            sys.stdout.flush()
        where = f" -> {out}" if out is not None and result.created else ""
        print(f"학생 {len(result.created)}명 추가, {len(result.updated)}명 갱신, {len(result.unchanged)}명 그대로{where} "
              f"(created {len(result.created)}, updated {len(result.updated)}, unchanged {len(result.unchanged)})",
              file=sys.stderr)
        return 0

    return _run(work)


def _write_csv(stream, created):
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["student_id", "token"])
    writer.writerows(created)


def _write_private(out, created):
    """The tokens CSV in a 0600 temporary file beside ``out`` (fsynced); the caller moves it into place."""
    temp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            _write_csv(handle, created)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def student_token_command(args):
    def work():
        from autograder.server.accounts import reset_student_token

        if not args.reset:
            raise _CommandError("토큰은 해시로만 저장되어 다시 보여 줄 수 없습니다; 새 토큰은 --reset "
                                "(tokens are stored hashed and cannot be shown again; use --reset for a new one)")
        database = _open_database(args)
        try:
            with database.session() as session:
                token = reset_student_token(session, args.student_id)
        finally:
            database.dispose()
        print(token)
        return 0

    return _run(work)


def add_instructor_command(args):
    def work():
        from autograder.server.accounts import add_instructor

        database = _open_database(args)
        try:
            with database.session() as session:
                token = add_instructor(session, args.name, reset=args.reset)
        finally:
            database.dispose()
        print(f"강사 {args.name.strip()}의 토큰 (token of instructor {args.name.strip()}; shown once):", file=sys.stderr)
        print(token)
        return 0

    return _run(work)
