"""The grading server's HTTP side (FastAPI): accept, store, queue; report; two pages.

Shape after Otter Service and edX XQueue: an upload is accepted only once its bytes are on disk
(fsynced) and its row is committed as "queued"; the dispatcher (``dispatcher.py``) grades
queued rows on Dask and writes results; students read their own results, instructors all.
Errors are JSON ``{"error": "한국어 (English)"}``. Tokens travel only in the Authorization
header (``Bearer TOKEN``), are stored hashed, and never appear in URLs or logs.
"""
import csv
import hashlib
import io
import json
import math
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from sqlalchemy import func, select

from autograder.errors import NotGradable
from autograder.server import clock
from autograder.server.body import DRAIN_AT_MOST, UnreadBodyDrained
from autograder.server.logins import FailedLogins
from autograder.server.models import Instructor, Student, Submission, new_submission_id, utcnow
from autograder.grading.recognize import recognize
from autograder.server.storage import store_upload
from autograder.server.tokens import find_account

PAGES = Path(__file__).resolve().parent / "pages"


class ApiError(Exception):
    """An error answer: ``korean`` and ``english`` make "한국어 (English)"; english None: ``korean`` says both.
    headers: extra response headers (Retry-After)."""

    def __init__(self, status, korean, english=None, headers=None):
        super().__init__(english or korean)
        self.status, self.text = status, korean if english is None else f"{korean} ({english})"
        self.headers = headers


UNAUTHORIZED = ("토큰이 없거나 올바르지 않습니다", "missing or invalid token")
NOT_FOUND = ("그런 제출물이 없습니다", "no such submission")
INSTRUCTORS_ONLY = ("강사만 쓸 수 있습니다", "instructors only")


@dataclass
class ServerState:
    """What the app and the dispatcher share: course, database, storage root, settings, pipelines."""

    course: object
    db: object
    storage: Path
    settings: object          # ServerSettings
    cluster: object           # ClusterSettings
    pipelines: dict           # {assignment: NotebookPipeline}
    dispatcher: object = None


def _account(request: Request):
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, *UNAUTHORIZED)
    logins, address = request.app.state.logins, request.client.host if request.client else "?"
    wait = logins.lockout(address)
    if wait:  # the token is not even looked at: a locked-out address learns nothing
        raise ApiError(429, f"토큰이 여러 번 틀렸습니다. {math.ceil(wait)}초 뒤에 다시 시도하세요",
                       "too many failed logins from this address", {"Retry-After": str(math.ceil(wait))})
    with request.app.state.server.db.session() as s:
        account = find_account(s, token.strip())
    if account is None:
        logins.failed(address)
        raise ApiError(401, *UNAUTHORIZED)
    return account


def _instructor(account=Depends(_account)):
    if not isinstance(account, Instructor):
        raise ApiError(403, *INSTRUCTORS_ONLY)
    return account


DELAYED = "채점이 지연되고 있습니다. 채점기 쪽 문제이며 점수에는 영향이 없습니다: 곧 다시 채점합니다 (grading is delayed)"
HELD = "채점이 지연되고 있습니다. 채점기 쪽 문제이며 점수에는 영향이 없습니다: 강사에게 알렸습니다 (grading is delayed)"


def _view(row, zone, instructor=False, progress=None):
    """A submission as the API gives it: times in ``zone`` (ISO, and ``*_text`` for people),
    manual_max_score: the part of max_score a person grades (not in score); progress: what its
    grading is doing while it runs (autograder.grading.progress's last event, e.g. {"stage": "training",
    "function", "epoch", "epochs"}), else None. A grader fault is never
    a score: the student reads that grading is delayed (``notice``); an instructor also sees the
    fault count and the evidence."""
    result = json.loads(row.result_json) if row.result_json else None
    waiting = row.status in ("queued", "running") and (row.faults or row.retry_at is not None)
    notice = HELD if row.status == "held" else DELAYED if waiting else None
    view = {"id": row.id, "student": row.student_id, "assignment": row.assignment, "notebook": row.notebook,
            "status": row.status, "score": row.score, "max_score": row.max_score,
            "manual_max_score": result.get("manual_max_score") if result else None,
            "parts": result["parts"] if result else [], "submitted_at": clock.iso(row.submitted_at, zone),
            "submitted_at_text": clock.text(row.submitted_at, zone), "graded_at": clock.iso(row.graded_at, zone),
            "graded_at_text": clock.text(row.graded_at, zone), "device": row.device, "backend": row.backend,
            "error": row.error if row.status == "error" or (instructor and row.status == "held") else None,
            "notice": notice, "progress": progress if row.status == "running" else None}
    if instructor:
        view.update(faults=row.faults, fault_log=row.fault_log)
    return view


def create_app(state):
    app = FastAPI(title="9장 채점 서버", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.server, app.state.logins = state, FailedLogins()
    app.add_middleware(UnreadBodyDrained, limit=max(DRAIN_AT_MOST, 4 * _upload_limit(state.settings)))
    zone = clock.time_zone(state.settings.time_zone)

    @app.exception_handler(ApiError)
    async def api_error(request, exc):
        return JSONResponse({"error": exc.text}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(Exception)
    async def server_error(request, exc):  # logged by uvicorn; the client gets JSON, never a traceback
        return JSONResponse({"error": "서버 오류입니다. 잠시 뒤에 다시 시도하세요 (server error)"}, status_code=500)

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(PAGES / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/instructor", include_in_schema=False)
    def instructor_page():
        return FileResponse(PAGES / "instructor.html", media_type="text/html; charset=utf-8")

    @app.get("/static/common.js", include_in_schema=False)
    def common_js():
        return FileResponse(PAGES / "common.js", media_type="text/javascript; charset=utf-8")

    @app.post("/api/submissions", status_code=202)
    async def submit(request: Request, account=Depends(_account)):
        if not isinstance(account, Student):
            raise ApiError(403, "학생 토큰으로 제출하세요", "submit with a student token")
        limit = _upload_limit(state.settings)
        declared = request.headers.get("content-length", "")
        if not declared.isdigit():  # the body's size must be known before it is read (no chunked uploads)
            raise ApiError(411, "Content-Length 헤더가 필요합니다", "Content-Length required")
        if int(declared) > limit + 64 * 1024:
            raise ApiError(413, f"파일이 {state.settings.max_upload_mb:g} MiB보다 큽니다",
                           f"larger than {state.settings.max_upload_mb:g} MiB")
        form = await request.form(max_files=1, max_fields=4)
        upload, assignment = form.get("file"), str(form.get("assignment") or "ch09")
        if upload is None or not hasattr(upload, "read"):
            raise ApiError(422, "file 필드에 노트북을 담아 보내세요", "send the notebook as the multipart field 'file'")
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise ApiError(413, f"파일이 {state.settings.max_upload_mb:g} MiB보다 큽니다",
                           f"larger than {state.settings.max_upload_mb:g} MiB")
        if assignment not in state.pipelines:
            raise ApiError(422, f"과제 {assignment[:50]}는 이 서버에서 채점하지 않습니다",
                           f"assignment {assignment[:50]!r} is not graded here")
        try:
            notebook, _ = recognize(data, state.pipelines[assignment].assignment)
        except NotGradable as exc:
            raise ApiError(422, str(exc)) from None
        return _accept(state, zone, account.id, assignment, notebook, data)

    @app.get("/api/submissions/{sid}")
    def one(sid: str, account=Depends(_account)):
        with state.db.session() as s:
            row = s.get(Submission, sid) if len(sid) <= 64 else None
        if row is None or (isinstance(account, Student) and row.student_id != account.id):
            raise ApiError(404, *NOT_FOUND)
        progress = state.dispatcher.progress_of(row.id) if state.dispatcher is not None else None
        return _view(row, zone, isinstance(account, Instructor), progress)

    @app.get("/api/submissions")
    def listing(assignment: str = "ch09", student: str | None = None, account=Depends(_account)):
        query = select(Submission).where(Submission.assignment == assignment)
        if isinstance(account, Student):
            query = query.where(Submission.student_id == account.id)
        elif student:
            query = query.where(Submission.student_id == student)
        with state.db.session() as s:
            rows = s.scalars(query.order_by(Submission.submitted_at.desc())).all()
        return {"submissions": [_view(r, zone, isinstance(account, Instructor)) for r in rows]}

    @app.post("/api/submissions/{sid}/regrade", status_code=202)
    def regrade(sid: str, account=Depends(_instructor)):
        with state.db.session(immediate=True) as s:
            row = s.get(Submission, sid)
            if row is None:
                raise ApiError(404, *NOT_FOUND)
            if row.status in ("graded", "error", "held"):
                row.status, row.error, row.faults, row.retry_at = "queued", None, 0, None
            return {"id": row.id, "status": row.status}

    @app.get("/api/roster")
    def roster(assignment: str = "ch09", account=Depends(_instructor)):
        """The instructor's grid: every student of the roster and every notebook of the assignment."""
        if assignment not in state.pipelines:
            raise ApiError(404, f"과제 {assignment[:50]}는 이 서버에서 채점하지 않습니다",
                           f"assignment {assignment[:50]!r} is not graded here")
        with state.db.session() as s:
            students = [{"id": st.id, "name": st.name} for st in s.scalars(select(Student).order_by(Student.id))]
        return {"assignment": assignment, "notebooks": sorted(state.pipelines[assignment].assignment.notebooks),
                "students": students}

    @app.get("/api/export.csv")
    def export(assignment: str = "ch09", account=Depends(_instructor)):
        with state.db.session() as s:
            rows = s.scalars(select(Submission).where(Submission.assignment == assignment,
                                                      Submission.status == "graded")
                             .order_by(Submission.submitted_at)).all()
        table = {}
        for row in rows:
            entry = table.setdefault((row.student_id, row.notebook), {"latest": row, "best": row, "count": 0})
            entry["count"] += 1
            entry["latest"] = row
            if row.score > entry["best"].score:
                entry["best"] = row
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["student_id", "assignment", "notebook", "latest_score", "best_score", "max_score",
                         "manual_max_score", "submissions", "latest_submitted_at"])
        for (student, notebook), e in sorted(table.items()):
            manual = json.loads(e["latest"].result_json).get("manual_max_score")
            writer.writerow([student, assignment, notebook, e["latest"].score, e["best"].score, e["latest"].max_score,
                             manual, e["count"], clock.text(e["latest"].submitted_at, zone)])
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{assignment}-scores.csv"'})

    @app.get("/api/health")
    def health():
        with state.db.session() as s:
            counts = dict(s.execute(select(Submission.status, func.count()).group_by(Submission.status)).all())
        dispatcher = state.dispatcher
        info = dispatcher.info if dispatcher else {}
        problem = ("채점 디스패처가 없습니다 (no dispatcher)" if dispatcher is None else
                   f"채점이 멈췄습니다 (grading stopped): {dispatcher.failure}" if not dispatcher.is_alive() or
                   dispatcher.failure else dispatcher.environment_fault)
        return {"status": "degraded" if problem else "ok", "problem": problem, "device": info.get("device"),
                "backend": info.get("backend"), "keras": info.get("keras"), "workers": info.get("workers", 0),
                "queued": counts.get("queued", 0), "running": counts.get("running", 0), "held": counts.get("held", 0),
                "max_upload_mb": state.settings.max_upload_mb}

    return app


def _upload_limit(settings):
    """The largest notebook accepted, in bytes."""
    return int(settings.max_upload_mb * 2**20)


def _accept(state, zone, student_id, assignment, notebook, data):
    """Store, then commit the row, then answer: acknowledged means on disk and in the database."""
    settings = state.settings
    with state.db.session(immediate=True) as s:
        s.execute(select(Student).where(Student.id == student_id).with_for_update())  # one upload at a time per student
        hour_ago = utcnow() - timedelta(hours=1)
        recent = s.scalar(select(func.count()).select_from(Submission).where(
            Submission.student_id == student_id, Submission.submitted_at > hour_ago))
        if recent >= settings.per_hour:
            raise ApiError(429, f"한 시간에 {settings.per_hour}번까지 제출할 수 있습니다. 잠시 뒤에 다시 제출하세요",
                           f"at most {settings.per_hour} submissions per hour")
        active = s.scalar(select(func.count()).select_from(Submission).where(
            Submission.student_id == student_id, Submission.status.in_(("queued", "running"))))
        if active >= settings.max_active:
            raise ApiError(429, f"채점 중인 제출물이 {settings.max_active}개 있습니다. 끝난 뒤에 다시 제출하세요",
                           f"{settings.max_active} submissions are already being graded")
        sid = new_submission_id()
        path = store_upload(state.storage, sid, data)
        row = Submission(id=sid, student_id=student_id, assignment=assignment, notebook=notebook, path=path,
                         sha256=hashlib.sha256(data).hexdigest(), size=len(data), status="queued")
        s.add(row)
    return {"id": sid, "status": "queued", "notebook": notebook, "submitted_at": clock.iso(row.submitted_at, zone),
            "submitted_at_text": clock.text(row.submitted_at, zone)}
