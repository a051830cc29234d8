"""process updates: visibility ``members`` becomes ``restricted``, as documents and items say

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 04:15:00
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE process_updates SET visibility = 'restricted' WHERE visibility = 'members'")


def downgrade() -> None:
    op.execute("UPDATE process_updates SET visibility = 'members' WHERE visibility = 'restricted'")
