"""Alembic migrations of the grading server's database (run by ``Database.upgrade()``)."""

VERSION_TABLE = "grading_server_alembic_version"


def env_options():
    """MigrationContext options shared by env.py and ``Database.current_revision()``."""
    return {"version_table": VERSION_TABLE}
