"""metadata from the text: the place of a document, and candidate bodies (bodies documents name
that the registry does not hold) with where each document names them

Revision ID: 0012_metadata
Revises: 0012_data_version
Create Date: 2026-12-06 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_metadata"
down_revision = "0012_data_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place", sa.String(length=200), nullable=True))
    op.create_table(
        "candidate_bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("first_seen", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_bodies")),
        sa.UniqueConstraint("key", name=op.f("uq_candidate_bodies_key")),
    )
    with op.batch_alter_table("candidate_bodies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidate_bodies_status"), ["status"], unique=False)
    op.create_table(
        "candidate_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=16), nullable=False),
        sa.Column("passage_ref", sa.String(length=40), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("surface", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate_bodies.id"],
            name=op.f("fk_candidate_mentions_candidate_id_candidate_bodies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_candidate_mentions_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_mentions")),
    )
    with op.batch_alter_table("candidate_mentions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_mentions_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidate_mentions_document_id"), ["document_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("candidate_mentions")
    op.drop_table("candidate_bodies")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("place")
