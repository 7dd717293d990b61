"""Database fixtures of the grading-server tests: SQLite in tmp_path, and one throwaway PostgreSQL
cluster per test session (started only when a test asks for it; always stopped and removed)."""
import itertools

import pytest

from pg_cluster import create_database, throwaway_postgres

BACKENDS = ["sqlite", "postgresql"]
_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_url():
    """URL of the session's throwaway cluster (loopback, temp folder; removed at the end)."""
    with throwaway_postgres() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A fresh, empty database on each backend: a SQLite file, or a new database in the cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'server.sqlite'}"
    return create_database(request.getfixturevalue("postgres_url"), f"test_{next(_names)}")


@pytest.fixture
def database(db_url):
    """``Database(db_url)`` upgraded to head, disposed after the test."""
    from autograder.server.db import Database

    db = Database(db_url)
    db.upgrade()
    yield db
    db.dispose()
