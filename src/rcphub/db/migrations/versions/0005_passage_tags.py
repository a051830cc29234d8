"""passage tags (scheme, concept, score, machine or person, suggested/confirmed/rejected) and
the tagging queue

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 02:00:00

Documents stored before this revision are queued, so the next ingest, `rcphub themes retag`
or server start tags them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "passage_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=16), nullable=False),
        sa.Column("scheme_id", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_passage_tags_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["passage_id"],
            ["passages.id"],
            name=op.f("fk_passage_tags_passage_id_passages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passage_tags")),
        sa.UniqueConstraint(
            "passage_id", "scheme_id", "code", name=op.f("uq_passage_tags_passage_id")
        ),
    )
    op.create_index(op.f("ix_passage_tags_passage_id"), "passage_tags", ["passage_id"])
    op.create_index(op.f("ix_passage_tags_document_id"), "passage_tags", ["document_id"])
    op.create_index(op.f("ix_passage_tags_scheme_id"), "passage_tags", ["scheme_id"])
    op.create_table(
        "tag_queue",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.String(length=16), nullable=False),
        sa.Column("queued_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_queue")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_tag_queue_document_id"), "tag_queue", ["document_id"])
    op.execute(
        "INSERT INTO tag_queue (document_id, queued_at) "
        "SELECT id, '2026-11-28T00:00:00+00:00' FROM documents ORDER BY id"
    )


def downgrade() -> None:
    op.drop_table("tag_queue")
    op.drop_table("passage_tags")
