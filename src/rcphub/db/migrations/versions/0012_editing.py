"""editing with provenance: the edit history; a meeting's languages and visibility; a
membership's own source and as-of

Revision ID: 0012_editing
Revises: 0012_names
Create Date: 2026-12-06 09:15:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012_editing"
down_revision = "0012_names"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "edit_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.String(length=120), nullable=False),
        sa.Column("process_id", sa.String(length=80), nullable=True),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("before", JSON, nullable=True),
        sa.Column("after", JSON, nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("as_of", sa.String(length=40), nullable=True),
        sa.Column("reverts", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_edit_history_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edit_history")),
    )
    op.create_index("ix_edit_history_entity", "edit_history", ["entity", "entity_id"])
    op.create_index("ix_edit_history_process", "edit_history", ["process_id"])
    op.create_index(op.f("ix_edit_history_at"), "edit_history", ["at"])
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("languages", JSON, nullable=True))
        batch.add_column(
            sa.Column("visibility", sa.String(length=12), nullable=False, server_default="public")
        )
    with op.batch_alter_table("memberships") as batch:
        batch.add_column(sa.Column("source", sa.Text(), nullable=True))
        batch.add_column(sa.Column("as_of", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("memberships") as batch:
        batch.drop_column("as_of")
        batch.drop_column("source")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("visibility")
        batch.drop_column("languages")
    op.drop_index(op.f("ix_edit_history_at"), table_name="edit_history")
    op.drop_index("ix_edit_history_process", table_name="edit_history")
    op.drop_index("ix_edit_history_entity", table_name="edit_history")
    op.drop_table("edit_history")
