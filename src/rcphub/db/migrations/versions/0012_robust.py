"""source files in the database: ``source_files`` (content hash → bytes)

Revision ID: 0012_robust
Revises: 0012_metadata
Create Date: 2026-12-06 08:45:00

Where the source files of documents live when they are kept in the database (the default on
PostgreSQL): every node serves every source. Files stored before this revision stay in the
data directory, which the database store still reads as a fallback.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_robust"
down_revision = "0012_metadata"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_files",
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("content_hash", name=op.f("pk_source_files")),
    )


def downgrade() -> None:
    op.drop_table("source_files")
