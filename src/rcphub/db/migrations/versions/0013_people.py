"""people: contributors' proposals of registry edits, who proposed a change, focal points,
invitations and password reset links

Revision ID: 0013_people
Revises: 0012_editing
Create Date: 2026-12-06 11:50:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013_people"
down_revision = "0012_editing"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("proposals") as batch:
        batch.alter_column("filename", existing_type=sa.String(length=255), nullable=True)
        batch.alter_column("content_hash", existing_type=sa.String(length=64), nullable=True)
        batch.add_column(sa.Column("target", sa.String(length=140), nullable=True))
        batch.add_column(sa.Column("changes", JSON, nullable=True))
        batch.add_column(sa.Column("comment", sa.Text(), nullable=True))
    with op.batch_alter_table("edit_history") as batch:
        batch.add_column(sa.Column("proposed_by", sa.String(length=120), nullable=True))
    op.create_table(
        "focal_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("function", sa.String(length=300), nullable=True),
        sa.Column("organisation", sa.String(length=300), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["process_id"], ["bodies.id"], name=op.f("fk_focal_points_process_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_focal_points")),
    )
    op.create_index(op.f("ix_focal_points_process_id"), "focal_points", ["process_id"])
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("process_id", sa.String(length=80), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.String(length=32), nullable=False),
        sa.Column("used_at", sa.String(length=32), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["process_id"], ["bodies.id"], name=op.f("fk_invitations_process_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_invitations_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.String(length=32), nullable=False),
        sa.Column("used_at", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_password_resets_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    op.create_index(op.f("ix_password_resets_user_id"), "password_resets", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_password_resets_user_id"), table_name="password_resets")
    op.drop_table("password_resets")
    op.drop_table("invitations")
    op.drop_index(op.f("ix_focal_points_process_id"), table_name="focal_points")
    op.drop_table("focal_points")
    with op.batch_alter_table("edit_history") as batch:
        batch.drop_column("proposed_by")
    op.execute("DELETE FROM proposals WHERE filename IS NULL OR content_hash IS NULL")
    with op.batch_alter_table("proposals") as batch:
        batch.drop_column("comment")
        batch.drop_column("changes")
        batch.drop_column("target")
        batch.alter_column("content_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("filename", existing_type=sa.String(length=255), nullable=False)
