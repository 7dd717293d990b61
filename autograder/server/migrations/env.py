"""Alembic environment of the grading server, driven from code by ``Database.upgrade()``.

``Database.upgrade()`` passes an open connection in ``config.attributes["connection"]``; with only
a ``sqlalchemy.url`` main option (a developer's own script) an engine is made here.
The version table is ``grading_server_alembic_version``, so the server can share a database with
nbgrader's gradebook (which has its own ``alembic_version``).
"""
from alembic import context
from sqlalchemy import create_engine

from autograder.server.migrations import VERSION_TABLE
from autograder.server.models import Base


def _run(connection):
    context.configure(connection=connection, target_metadata=Base.metadata, version_table=VERSION_TABLE,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


config = context.config
connection = config.attributes.get("connection")
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=Base.metadata,
                      version_table=VERSION_TABLE, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()
