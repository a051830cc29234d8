"""compilers' working notes kept apart from the public text; sources of researched names

Revision ID: 0012_names
Revises: 0012_indexer
Create Date: 2026-12-06 09:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012_names"
down_revision = "0012_indexer"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("bodies") as batch:
        batch.add_column(sa.Column("name_sources", _json(), nullable=False, server_default="{}"))
        batch.add_column(sa.Column("editor_notes", _json(), nullable=False, server_default="[]"))
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("editor_notes", _json(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("editor_notes")
    with op.batch_alter_table("bodies") as batch:
        batch.drop_column("editor_notes")
        batch.drop_column("name_sources")
