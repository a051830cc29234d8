"""clauses: each passage's clause vectors beside its vector (the search orders its best
matches by the clause that answers the query)

Revision ID: 0014_clauses
Revises: 0013_people
Create Date: 2026-12-06 15:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_clauses"
down_revision = "0013_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("passage_vectors") as batch:
        batch.add_column(sa.Column("clauses", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("passage_vectors") as batch:
        batch.drop_column("clauses")
