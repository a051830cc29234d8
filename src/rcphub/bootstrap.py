"""Getting a database ready: migrate the schema, load the bundled reference data when the
database does not hold it yet (or holds an older version of it), and ingest the documents
that ship with the hub."""

from __future__ import annotations

from rcphub import audit
from rcphub.accounts.policy import SYSTEM, Principal
from rcphub.db import Database
from rcphub.refdata import LoadReport, load_reference_data, reference_data_is_current


def prepare_database(
    database: Database, *, force_load: bool = False, actor: Principal = SYSTEM
) -> LoadReport | None:
    """Migrate, load the reference data if needed, ingest the bundled documents if missing;
    return the load report, or None when the data was already current. A load that changed
    anything is in the audit log, under ``actor``, in the transaction of the load.

    One process at a time (:meth:`Database.exclusive`): of two nodes started at once on an
    empty database, the second waits while the first migrates and loads, then finds it
    ready."""
    with database.exclusive("rcphub-prepare"):
        return _prepare(database, force_load=force_load, actor=actor)


def _prepare(database: Database, *, force_load: bool, actor: Principal) -> LoadReport | None:
    database.migrate()
    with database.session() as session:
        report = (
            None
            if not force_load and reference_data_is_current(session)
            else load_reference_data(session)
        )
        if report is not None and report.changed:
            changed = {
                table: counts for table, counts in report.as_dict().items() if any(counts.values())
            }
            audit.record(session, actor, "refdata.load", "reference_data", "reference", changed)
        if report is not None and report.conflicts:
            audit.record(
                session,
                actor,
                "refdata.conflicts",
                "reference_data",
                "reference",
                {"conflicts": [c.as_dict() for c in report.conflicts[:200]]},
            )
    ingest_bundled_documents(database)
    return report


BUNDLED_DOCUMENTS = (
    # (file in refdata/data/documents, meetings it belongs to)
    ("lima-2013-chairs-summary.ru.txt", ["grcp-2013"]),
)


def ingest_bundled_documents(database: Database) -> list[str]:
    """Ingest the documents that ship with the hub (the Lima 2013 Chair's summary); ones
    already stored are left as they are. Returns the IDs of documents created now."""
    from importlib import resources

    from rcphub.documents import IngestOptions, Ingestor

    folder = resources.files("rcphub.refdata").joinpath("data", "documents")
    ingestor = Ingestor(database)
    created = []
    for name, meetings in BUNDLED_DOCUMENTS:
        outcome = ingestor.ingest_bytes(
            folder.joinpath(name).read_bytes(), name, IngestOptions(meetings=list(meetings))
        )
        if outcome.error:
            raise RuntimeError(f"bundled document {name}: {outcome.error}")
        if outcome.created:
            created.append(outcome.document_id)
    return created
