"""visibility: documents and follow-up items are public or restricted to their processes

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Everything stored so far was public: the server default fills existing rows.
    with op.batch_alter_table("documents") as batch:
        batch.add_column(
            sa.Column("visibility", sa.String(length=12), nullable=False, server_default="public")
        )
        batch.create_index("ix_documents_visibility", ["visibility"])
    with op.batch_alter_table("followup_items") as batch:
        batch.add_column(
            sa.Column("visibility", sa.String(length=12), nullable=False, server_default="public")
        )


def downgrade() -> None:
    with op.batch_alter_table("followup_items") as batch:
        batch.drop_column("visibility")
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_visibility")
        batch.drop_column("visibility")
