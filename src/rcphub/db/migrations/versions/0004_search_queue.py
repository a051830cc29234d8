"""search queue: documents whose passages changed, waiting for the search index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 00:50:00

Documents stored before this revision are queued, so the first start after the upgrade
indexes them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_queue",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(length=16), nullable=False),
        sa.Column("queued_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_queue")),
        sqlite_autoincrement=True,
    )
    op.execute(
        "INSERT INTO search_queue (document_id, queued_at) "
        "SELECT id, '2026-11-28T00:00:00+00:00' FROM documents ORDER BY id"
    )


def downgrade() -> None:
    op.drop_table("search_queue")
