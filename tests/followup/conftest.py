"""Fixtures for follow-up: a database of the module's own holding the Lima 2013 summary in all
six languages (the bundled Russian text, and the versions of ``tests/followup/lima``), filed
under the 2013 global meeting, with the English version grouped with the Russian one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from rcphub.accounts import SYSTEM
from rcphub.bootstrap import ingest_bundled_documents
from rcphub.db import Database
from rcphub.documents import IngestOptions, Ingestor, link_versions, list_documents

LIMA_DIR = Path(__file__).parent / "lima"
LANGS = ("ru", "en", "fr", "es", "ar", "zh")


@dataclass
class Lima:
    database: Database
    ids: dict[str, str]  # language → document ID


def load_lima(database: Database) -> Lima:
    ingest_bundled_documents(database)
    with database.session() as session:
        _, found = list_documents(session, link="meeting:grcp-2013")
    ids = {"ru": next(d.id for d in found if d.filename.startswith("lima-2013-chairs"))}
    ingestor = Ingestor(database)
    for lang in LANGS[1:]:
        path = LIMA_DIR / f"lima-2013.{lang}.txt"
        outcome = ingestor.ingest_bytes(
            path.read_bytes(), path.name, IngestOptions(meetings=["grcp-2013"])
        )
        assert outcome.error is None, outcome.error
        ids[lang] = outcome.document_id
    with database.session() as session:
        link_versions(session, ids["ru"], ids["en"], SYSTEM)
    return Lima(database, ids)


@pytest.fixture(scope="module")
def lima(database_factory) -> Lima:  # type: ignore[no-untyped-def]
    return load_lima(database_factory.new())
