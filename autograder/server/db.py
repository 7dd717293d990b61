"""The grading server's database: ``Database(url)``, sessions, migrations to head.

SQLite (the default, ``default_url(course)``) is opened in WAL mode with ``synchronous=FULL``
(a committed transaction survives a power cut, not only a kill -9), foreign keys on and a busy
timeout, so the web process, the dispatcher and the CLI commands can share the file. SQLAlchemy
controls SQLite's transactions itself (the driver's own BEGIN handling is switched off), so
``session(immediate=True)`` can take the write lock at BEGIN: use it for read-then-write work such
as claiming a queued submission, which otherwise could fail with "database is locked" when two
writers upgrade their read locks at once. On PostgreSQL ``immediate`` changes nothing (use row
locks: ``select(...).with_for_update(skip_locked=True)``).
"""
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

DB_FILE = "grading-server.sqlite"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
_ADVISORY_LOCK = 0x67726164  # PostgreSQL advisory lock key held while migrating ("grad")


def default_url(course_root):
    """``sqlite:///<course>/grading-server.sqlite`` (absolute path) for a course folder."""
    return f"sqlite:///{Path(course_root).resolve() / DB_FILE}"


class Database:
    """An engine and a session factory for one database URL.

    ``postgresql://...`` means ``postgresql+psycopg://...`` (psycopg 3 is the driver installed).

    ``session()`` is a context manager: commit when the block ends normally, rollback when it
    raises. Objects stay usable after the commit (``expire_on_commit=False``).
    """

    def __init__(self, url, **engine_options):
        self.url = make_url(url)
        if self.url.drivername == "postgresql":  # the installed driver is psycopg 3, not SQLAlchemy's default psycopg2
            self.url = self.url.set(drivername="postgresql+psycopg")
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            database = self.url.database
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine_options.setdefault("connect_args", {}).setdefault("timeout", BUSY_TIMEOUT_MS / 1000)
        else:
            engine_options.setdefault("pool_pre_ping", True)
        self.engine = create_engine(self.url, **engine_options)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._immediate = sessionmaker(self.engine.execution_options(sqlite_immediate=True), expire_on_commit=False)

    def __repr__(self):
        return f"Database({self.url.render_as_string(hide_password=True)!r})"

    @contextmanager
    def session(self, *, immediate=False):
        """A Session in one transaction: committed on success, rolled back on error."""
        session = (self._immediate if immediate else self._sessions)()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self, revision="head"):
        """Run the Alembic migrations (``autograder/server/migrations``) up to ``revision``.

        Safe to call on every start and from several processes at once: one transaction, under
        the write lock (SQLite) or an advisory lock (PostgreSQL).
        """
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.render_as_string(hide_password=False).replace("%", "%%"))
        engine = self.engine.execution_options(sqlite_immediate=True) if self.is_sqlite else self.engine
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def current_revision(self):
        """The migration revision the database is at (None before the first upgrade)."""
        from alembic.migration import MigrationContext

        from autograder.server.migrations import env_options

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection, opts=env_options()).get_current_revision()

    def dispose(self):
        """Close the pooled connections (before the process forks or ends)."""
        self.engine.dispose()


def _sqlite_connect(dbapi_connection, connection_record):
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (_sqlite_begin)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_begin(connection):
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
