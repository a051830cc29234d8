"""proposal files: a proposed document's bytes kept in its proposal row, so that every node
of the hub can approve it (they were under one node's ``<data_dir>/proposals``)

Revision ID: 0015_proposal_files
Revises: 0014_clauses
Create Date: 2026-12-06 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_proposal_files"
down_revision = "0014_clauses"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("proposals") as batch:
        batch.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("proposals") as batch:
        batch.drop_column("content")
