"""The grading server's first schema: students, instructors, submissions.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Datetimes are naive UTC here (``UTCDateTime`` in models.py adds the UTC zone when read).
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "students",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_students"),
        sa.UniqueConstraint("token_hash", name="uq_students_token_hash"),
    )
    op.create_table(
        "instructors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_instructors"),
        sa.UniqueConstraint("name", name="uq_instructors_name"),
        sa.UniqueConstraint("token_hash", name="uq_instructors_token_hash"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("student_id", sa.String(64), nullable=False),
        sa.Column("assignment", sa.String(100), nullable=False),
        sa.Column("notebook", sa.String(200), nullable=True),
        sa.Column("path", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), server_default="queued", nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("graded_at", sa.DateTime(), nullable=True),
        sa.Column("seed", sa.BigInteger(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("max_score", sa.Float(), nullable=True),
        sa.Column("result_json", sa.Text(), nullable=True),
        sa.Column("autograded_path", sa.String(300), nullable=True),
        sa.Column("device", sa.String(50), nullable=True),
        sa.Column("backend", sa.String(50), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint("status IN ('queued', 'running', 'graded', 'error')", name="ck_submissions_status"),
        sa.ForeignKeyConstraint(["student_id"], ["students.id"], name="fk_submissions_student_id_students"),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
    )
    op.create_index("ix_submissions_student_id", "submissions", ["student_id"])
    op.create_index("ix_submissions_status", "submissions", ["status"])


def downgrade():
    op.drop_index("ix_submissions_status", table_name="submissions")
    op.drop_index("ix_submissions_student_id", table_name="submissions")
    op.drop_table("submissions")
    op.drop_table("instructors")
    op.drop_table("students")
