"""Getting a database ready: migrate the schema, load the bundled reference data when the
database does not hold it yet (or holds an older version of it)."""

from __future__ import annotations

from rcphub.db import Database
from rcphub.refdata import LoadReport, load_reference_data, reference_data_is_current


def prepare_database(database: Database, *, force_load: bool = False) -> LoadReport | None:
    """Migrate, then load the reference data if needed; return the load report, or None when
    the data was already current."""
    database.migrate()
    with database.session() as session:
        if not force_load and reference_data_is_current(session):
            return None
        return load_reference_data(session)
