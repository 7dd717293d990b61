"""The grading server's tables: students, instructors, submissions.

Its own declarative ``Base`` (nbgrader's gradebook models are separate; the server may share a
PostgreSQL database with the gradebook: table names differ and Alembic keeps its own version
table, ``grading_server_alembic_version``).

Timestamps: every datetime column is a ``UTCDateTime``. Python code gives and gets timezone-aware
UTC datetimes (``utcnow()``); the database stores them as naive UTC (SQLite has no time zones,
and PostgreSQL's ``timestamp without time zone`` then holds the same values). A naive datetime is
refused when bound, so local times cannot slip in.
"""
import uuid
from datetime import datetime, timezone

from sqlalchemy import (BigInteger, CheckConstraint, DateTime, Float, ForeignKey, Integer, MetaData, String, Text,
                        TypeDecorator)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

STATUSES = ("queued", "running", "graded", "error", "held")


def utcnow():
    """Now, timezone-aware UTC (what every timestamp column takes)."""
    return datetime.now(timezone.utc)


def new_submission_id():
    """32 hex characters from uuid4 (the submission's primary key and its stored file's name)."""
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime in Python, naive UTC in the database."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone-aware one (utcnow())")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


# Constraint names fixed here so that migrations can name them (SQLite and PostgreSQL alike).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Student(Base):
    __tablename__ = "students"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the student id (학번)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    submissions: Mapped[list["Submission"]] = relationship(back_populates="student")

    def __repr__(self):
        return f"Student(id={self.id!r}, name={self.name!r})"


class Instructor(Base):
    __tablename__ = "instructors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self):
        return f"Instructor(id={self.id!r}, name={self.name!r})"


class Submission(Base):
    """One uploaded notebook and, once graded, its result.

    status: "queued" (acknowledged, file on disk) -> "running" -> "graded" | "error" (the
    submission's own problem: not a readable notebook) | "held" (the grader failed on it
    ServerSettings.max_faults times: no score, waiting for the instructor; the student reads "delayed").
    path: the stored upload, relative to the storage root (never the uploaded file name).
    result_json: the grading result as the CLI prints it (``parts`` etc.); seed: the graders'
    seed drawn for this submission (a regrade reuses it); attempts: how many times grading started;
    faults: grader faults met on it (a fault is never a score: it is queued again, after retry_at);
    fault_log: one line a fault, the evidence the instructor sees.
    """

    __tablename__ = "submissions"
    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'graded', 'error', 'held')", name="status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_submission_id)
    student_id: Mapped[str] = mapped_column(ForeignKey("students.id"), index=True)
    assignment: Mapped[str] = mapped_column(String(100))
    notebook: Mapped[str | None] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True, default="queued", server_default="queued")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    seed: Mapped[int | None] = mapped_column(BigInteger)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    result_json: Mapped[str | None] = mapped_column(Text)
    autograded_path: Mapped[str | None] = mapped_column(String(300))
    device: Mapped[str | None] = mapped_column(String(50))
    backend: Mapped[str | None] = mapped_column(String(50))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    faults: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fault_log: Mapped[str | None] = mapped_column(Text)

    student: Mapped[Student] = relationship(back_populates="submissions")

    def __repr__(self):
        return f"Submission(id={self.id!r}, student_id={self.student_id!r}, status={self.status!r})"
