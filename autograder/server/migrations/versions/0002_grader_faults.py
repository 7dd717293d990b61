"""Grader faults are never a grade: a submission the grader failed on waits, is retried, then held.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05

New columns of ``submissions``: faults (grader faults met while grading this submission),
retry_at (not claimed again before this time, naive UTC), fault_log (the evidence: one line a
fault); and the status "held" (retried up to the bound, waiting for the instructor).
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OLD = "status IN ('queued', 'running', 'graded', 'error')"
NEW = "status IN ('queued', 'running', 'graded', 'error', 'held')"
# 0001 named its CHECK through the naming convention once more than meant; the model's name is the second
OLD_NAME, NEW_NAME = "ck_submissions_ck_submissions_status", "ck_submissions_status"


def _status_check(batch, drop, create, condition):
    batch.drop_constraint(op.f(drop), type_="check")
    batch.create_check_constraint(op.f(create), condition)


def upgrade():
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("faults", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("retry_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("fault_log", sa.Text(), nullable=True))
        _status_check(batch, OLD_NAME, NEW_NAME, NEW)


def downgrade():
    op.execute("UPDATE submissions SET status = 'queued' WHERE status = 'held'")
    with op.batch_alter_table("submissions") as batch:
        _status_check(batch, NEW_NAME, OLD_NAME, OLD)
        batch.drop_column("fault_log")
        batch.drop_column("retry_at")
        batch.drop_column("faults")
