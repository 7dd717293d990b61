"""The grading server's database: migrations to head on SQLite and PostgreSQL, the models on both,
SQLite's durability settings, sessions that commit or roll back."""
import re
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from autograder.server.db import DB_FILE, Database, default_url
from autograder.server.migrations import env_options
from autograder.server.models import Base, Instructor, Student, Submission, utcnow

TABLES = {"students", "instructors", "submissions", "grading_server_alembic_version"}


def _student(id="2024001", **kw):
    return Student(id=id, name=kw.pop("name", "김철수"), token_hash=kw.pop("token_hash", "h" + id), **kw)


def test_upgrade_creates_the_schema_of_the_models(db_url):
    db = Database(db_url)
    try:
        assert db.current_revision() is None
        db.upgrade()
        db.upgrade()  # again on every start: nothing to do, no error
        assert db.current_revision() == "0002"
        inspector = inspect(db.engine)
        assert set(inspector.get_table_names()) == TABLES
        columns = {c["name"] for c in inspector.get_columns("submissions")}
        assert columns == {c.name for c in Submission.__table__.columns}
        assert {i["name"] for i in inspector.get_indexes("submissions")} >= {"ix_submissions_student_id",
                                                                              "ix_submissions_status"}
        with db.engine.connect() as connection:  # the migration and the models agree exactly
            context = MigrationContext.configure(connection, opts={"compare_type": True, **env_options()})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        db.dispose()


def test_models_round_trip_with_utc_times(database):
    before = utcnow()
    with database.session() as session:
        session.add(_student(email="kim@example.kr"))
        session.add(Instructor(name="박교수", token_hash="i1"))
        submission = Submission(student_id="2024001", assignment="ch09", notebook="01_padding_encoding",
                                path="ab/x.ipynb", sha256="0" * 64, size=123, seed=2**40)
        session.add(submission)
    assert re.fullmatch(r"[0-9a-f]{32}", submission.id)
    with database.session() as session:
        got = session.get(Submission, submission.id)
        assert (got.status, got.attempts, got.score, got.student.name) == ("queued", 0, None, "김철수")
        assert got.seed == 2**40
        assert got.submitted_at.tzinfo is not None and got.submitted_at.utcoffset() == timedelta(0)
        assert before - timedelta(seconds=1) <= got.submitted_at <= utcnow() + timedelta(seconds=1)
        kst = timezone(timedelta(hours=9))
        got.graded_at = datetime(2025, 3, 2, 18, 0, tzinfo=kst)
    with database.session() as session:
        assert session.get(Submission, submission.id).graded_at == datetime(2025, 3, 2, 9, 0, tzinfo=timezone.utc)
        instructor = session.scalars(select(Instructor)).one()
        assert isinstance(instructor.id, int) and instructor.created_at.tzinfo is not None


def test_naive_datetimes_are_refused(database):
    with pytest.raises(StatementError, match="naive datetime"):
        with database.session() as session:
            session.add(_student(created_at=datetime(2025, 1, 1)))
    with database.session() as session:
        assert session.scalars(select(Student)).all() == []


@pytest.mark.parametrize("bad", ["status", "student", "token"])
def test_constraints_hold_and_a_failed_session_writes_nothing(database, bad):
    with database.session() as session:
        session.add(_student())
    with pytest.raises(IntegrityError):
        with database.session() as session:
            session.add(_student("2024002"))  # would be fine alone: rolled back with the rest
            if bad == "token":
                session.add(_student("2024003", token_hash="h2024001"))
            else:
                session.add(Submission(student_id="nobody" if bad == "student" else "2024001", assignment="ch09",
                                       path="p", sha256="s", size=1, status="done" if bad == "status" else "queued"))
    with database.session() as session:
        assert session.scalars(select(Student.id)).all() == ["2024001"]
        assert session.scalars(select(Submission)).all() == []


def test_sqlite_is_opened_durable(tmp_path):
    db = Database(default_url(tmp_path))
    try:
        db.upgrade()
        with db.engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("synchronous") == 2  # FULL
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") >= 5000
    finally:
        db.dispose()
    assert (tmp_path / DB_FILE).is_file()


def test_default_url_is_an_absolute_sqlite_file_in_the_course(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert default_url(".") == f"sqlite:///{tmp_path.resolve() / 'grading-server.sqlite'}"
    assert default_url(tmp_path / "과목") == f"sqlite:///{tmp_path.resolve() / '과목' / 'grading-server.sqlite'}"


def test_immediate_sessions_on_sqlite_take_turns(tmp_path):
    """Two read-then-write sessions: the second waits for the first instead of failing "locked"."""
    first, second = Database(default_url(tmp_path)), Database(default_url(tmp_path))
    first.upgrade()
    with first.session() as session:
        session.add(_student())
    order, errors = [], []

    def claim(db, name, hold):
        try:
            with db.session(immediate=True) as session:
                student = session.get(Student, "2024001")
                order.append(f"{name} read {student.name}")
                time.sleep(hold)
                student.name += name
                order.append(f"{name} wrote")
        except Exception as exc:  # collected: a thread's exception would be lost
            errors.append(exc)

    a = threading.Thread(target=claim, args=(first, "A", 0.5))
    a.start()
    time.sleep(0.2)
    b = threading.Thread(target=claim, args=(second, "B", 0))
    b.start()
    a.join(10), b.join(10)
    try:
        assert errors == []
        assert order == ["A read 김철수", "A wrote", "B read 김철수A", "B wrote"]
        with first.session() as session:
            assert session.get(Student, "2024001").name == "김철수AB"
    finally:
        first.dispose(), second.dispose()


def test_postgres_cluster_listens_on_loopback_only(postgres_url):
    db = Database(postgres_url.replace("postgresql+psycopg://", "postgresql://"))  # psycopg 3 either way
    try:
        with db.engine.connect() as connection:
            assert connection.execute(text("SHOW listen_addresses")).scalar() == "127.0.0.1"
            assert connection.execute(text("SELECT current_user")).scalar() != "root"
    finally:
        db.dispose()


def test_throwaway_postgres_is_removed_even_when_the_test_fails():
    import glob
    import socket

    from sqlalchemy.engine import make_url

    from pg_cluster import throwaway_postgres

    before = set(glob.glob("/tmp/pg-throwaway-*"))
    with pytest.raises(RuntimeError, match="the test failed"):
        with throwaway_postgres("failing") as url:
            port = make_url(url).port
            folders = set(glob.glob("/tmp/pg-throwaway-*")) - before
            assert len(folders) == 1
            socket.create_connection(("127.0.0.1", port), timeout=5).close()  # it was up
            raise RuntimeError("the test failed")
    assert set(glob.glob("/tmp/pg-throwaway-*")) - before == set()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
