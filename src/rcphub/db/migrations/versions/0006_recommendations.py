"""recommendations and follow-up: tracked items and their dated updates

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 02:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "followup_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=16), nullable=False),
        sa.Column("passage_ref", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("review", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("addressees", JSON, nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("detection", JSON, nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("reviewed_by", sa.String(length=80), nullable=True),
        sa.Column("reviewed_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_followup_items_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_items")),
        sa.UniqueConstraint(
            "document_id", "passage_ref", name=op.f("uq_followup_items_document_id")
        ),
    )
    with op.batch_alter_table("followup_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_followup_items_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_followup_items_review"), ["review"], unique=False)

    op.create_table(
        "followup_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("evidence", JSON, nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["followup_items.id"],
            name=op.f("fk_followup_updates_item_id_followup_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_updates")),
    )
    with op.batch_alter_table("followup_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_updates_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("followup_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_updates_item_id"))
    op.drop_table("followup_updates")
    with op.batch_alter_table("followup_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_items_review"))
        batch_op.drop_index(batch_op.f("ix_followup_items_document_id"))
    op.drop_table("followup_items")
