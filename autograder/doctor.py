"""``python -m autograder check``: everything grading needs on this machine, each ok or with its fix.

One line a check (✔ or ✘, what was found or what to do): the sandbox (autograder.sandbox.check:
bubblewrap, namespaces, the interpreter inside it, a real session), Keras (version, backend,
device), the Korean fonts (quiz PDFs and pictures), the course (its nbgrader config, the
chapter's notebooks, the gradebook) and the grading server's database. Exit 0 when every check
passes, 1 otherwise. The grading commands run the sandbox check themselves before their first
notebook; this command is for an instructor who asks.
"""
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

MIN_KERAS = (3, 14)  # config-deserialization fixes


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def add_parser(sub):
    parser = sub.add_parser("check",
                            help="check what grading needs here: sandbox, Keras, fonts, course, database")
    parser.add_argument("--course", default=".", help="the course folder holding nbgrader_config.py (default: here)")
    parser.add_argument("--assignment", default="ch09", help="the chapter's assignment in that course (default: ch09)")
    parser.add_argument("--isolation", default="bwrap", choices=("bwrap", "process", "auto"),
                        help="the isolation to check (default: bwrap)")
    parser.add_argument("--db", help="the grading server's database URL (default: its SQLite file in the course)")
    parser.set_defaults(run=main)


def main(args):
    checks = run_checks(Path(args.course), args.assignment, args.isolation, args.db)
    width = max(len(c.name) for c in checks)
    for c in checks:
        print(f"{'✔' if c.ok else '✘'} {c.name:<{width}}  {c.detail}")
    failed = [c.name for c in checks if not c.ok]
    print(f"\n{'모두 통과 (all checks passed)' if not failed else '고칠 것: ' + ', '.join(failed)}")
    return 1 if failed else 0


def run_checks(course_root, assignment, isolation, db_url=None):
    checks = [_sandbox(isolation), _keras(), _fonts()]
    course = _course(course_root)
    checks.append(course)
    if course.ok:
        from autograder.gradebook.course import NbgraderCourse

        nbgrader_course = NbgraderCourse(course_root)
        checks += [*_scope(nbgrader_course), _gradebook(nbgrader_course, assignment),
                   _server_db(nbgrader_course, db_url)]
    return checks


def _scope(course):
    """One check a source notebook: how it will be graded (the chapter's, opted in, or nbgrader's own)."""
    from autograder.chapter import course_report

    try:
        rows = course_report(course.config, course.root / course.coursedir.source_directory)
    except Exception as exc:  # noqa: BLE001 - said in one line
        return [Check("채점 범위 (scope)", False, f"{type(exc).__name__}: {str(exc)[:300]}")]
    return [Check(notebook, ok, how) for notebook, how, ok in rows]


def _guard(name, check):
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 - a check that breaks is a failed check, said in one line
        return Check(name, False, f"{type(exc).__name__}: {str(exc)[:300]}")


def _sandbox(isolation):
    from autograder.errors import SandboxUnavailable
    from autograder.sandbox.check import require_sandbox

    def check():
        try:
            found = require_sandbox(isolation)
        except SandboxUnavailable as exc:
            return Check("샌드박스 (sandbox)", False, str(exc))
        weaker = " — 약한 격리 (weaker isolation: a plain process)" if found.isolation == "process" else ""
        return Check("샌드박스 (sandbox)", True, f"{found.detail}{weaker}")
    return _guard("샌드박스 (sandbox)", check)


def _keras():
    def check():
        from autograder.workers.worker import device_info

        info = device_info()
        version = tuple(int(p) for p in info["keras"].split(".")[:2])
        ok = version >= MIN_KERAS
        need = "" if ok else f" — 케라스 {'.'.join(map(str, MIN_KERAS))} 이상이 필요합니다: pip install -U keras"
        return Check("케라스 (Keras)", ok, f"keras {info['keras']}, backend {info['backend']}, device {info['device']}{need}")
    return _guard("케라스 (Keras)", check)


def _fonts():
    def check():
        if shutil.which("fc-match") is None:
            return Check("한글 글꼴 (fonts)", False, "fontconfig가 없습니다: sudo apt-get install fontconfig fonts-nanum")
        found = subprocess.run(["fc-match", "-f", "%{file}", "NanumGothic"], capture_output=True, text=True,
                               timeout=30).stdout.strip()
        ok = "nanum" in found.lower()
        return Check("한글 글꼴 (fonts)", ok, found if ok else
                     f"NanumGothic이 없습니다 (fc-match gives {found or 'nothing'}): sudo apt-get install fonts-nanum")
    return _guard("한글 글꼴 (fonts)", check)


def _course(root):
    def check():
        from autograder.gradebook.course import CourseError, NbgraderCourse

        try:
            course = NbgraderCourse(root)
        except CourseError as exc:
            return Check("과정 폴더 (course)", False, str(exc))
        return Check("과정 폴더 (course)", True, f"{course.root} (course_id {course.course_id})")
    return _guard("과정 폴더 (course)", check)


def _gradebook(course, assignment):
    def check():
        from nbgrader.api import Gradebook, MissingEntry
        from sqlalchemy.engine import make_url

        url = make_url(course.db_url)
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():  # opening would create it
            return Check("성적부 (gradebook)", False, f"{course.db_url}: 아직 없습니다 — "
                         f"nbgrader generate_assignment {assignment}를 실행하세요")
        with Gradebook(course.db_url, course.course_id) as gb:
            try:
                gb.find_assignment(assignment)
            except MissingEntry:
                return Check("성적부 (gradebook)", False, f"{course.db_url}: 과제 {assignment}가 없습니다 — "
                             f"nbgrader generate_assignment {assignment}를 실행하세요")
            students = len(gb.students)
        return Check("성적부 (gradebook)", True, f"{course.db_url}: 과제 {assignment}, 학생 {students}명")
    return _guard("성적부 (gradebook)", check)


def _server_db(course, db_url):
    def check():
        from autograder.server.db import Database, default_url

        db = Database(db_url or default_url(course.root))
        try:
            fresh = db.is_sqlite and not Path(db.url.database).exists()  # connecting would create the file
            revision = None if fresh else db.current_revision()
        finally:
            db.dispose()
        shown = db.url.render_as_string(hide_password=True)
        if revision is None:
            return Check("채점 서버 DB (server db)", True, f"{shown}: 아직 없음 (serve가 처음 시작할 때 만듭니다)")
        return Check("채점 서버 DB (server db)", True, f"{shown}: migration {revision}")
    return _guard("채점 서버 DB (server db)", check)

