"""Alembic environment: one migration history for SQLite (batch mode) and PostgreSQL."""

from alembic import context

from rcphub.db.models import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic` on the command line gets here
    from sqlalchemy import create_engine

    from rcphub.config import load_settings

    connection = create_engine(load_settings().resolved_database_url).connect()

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
