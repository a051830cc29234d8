"""concept vectors: the theme tagger's vectors of its concepts, computed once per model and
kept, so that each ingest worker and node reads them instead of embedding the concept texts

Revision ID: 0016_concept_vectors
Revises: 0015_proposal_files
Create Date: 2026-12-07 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_concept_vectors"
down_revision = "0015_proposal_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "concept_vectors",
        sa.Column("embedder", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("vectors", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("embedder", name=op.f("pk_concept_vectors")),
    )


def downgrade() -> None:
    op.drop_table("concept_vectors")
