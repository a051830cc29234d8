"""indexer: one stored embedding per passage; the search queue becomes a log every node reads

Revision ID: 0012_indexer
Revises: 0012_robust
Create Date: 2026-12-06 08:45:00

- ``passage_vectors``: the embedding of a passage (float16 bytes), the model that made it and
  the hash of the text it was made from; computed once (at ingest, or by whoever needs it
  first) and shared by the theme tagger and every node's search index.
- ``search_nodes``: each search index (node) and the last log entry it applied; the log
  (``search_queue``) is no longer emptied as it is applied, it is pruned once every live node
  is past an entry (or by age). ``search_log_pruned`` holds how far it was pruned: a node
  behind that rebuilds its index.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_indexer"
down_revision = "0012_robust"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "passage_vectors",
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("embedder", sa.String(length=64), nullable=False),
        sa.Column("text_hash", sa.String(length=16), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["passage_id"],
            ["passages.id"],
            name=op.f("fk_passage_vectors_passage_id_passages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("passage_id", name=op.f("pk_passage_vectors")),
    )
    op.create_table(
        "search_nodes",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_search_nodes")),
    )
    op.create_table(
        "search_log_pruned",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("through", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_log_pruned")),
    )


def downgrade() -> None:
    op.drop_table("search_log_pruned")
    op.drop_table("search_nodes")
    op.drop_table("passage_vectors")
