"""Fixtures for themes: the Lima 2013 Chair's summary in its six language versions, ingested
(and so tagged) into a database of its own per backend."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from rcphub.db import Database
from rcphub.documents import IngestOptions, Ingestor

ROOT = Path(__file__).resolve().parents[2]
GOLD = Path(__file__).parent / "gold" / "lima-2013.yaml"


@dataclass
class Lima:
    database: Database
    ingestor: Ingestor
    documents: dict[str, str]  # language -> document ID


def gold() -> dict:
    return yaml.safe_load(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def lima(database_factory) -> Lima:
    database = database_factory.new()
    ingestor = Ingestor(database)
    documents = {}
    for lang, path in gold()["documents"].items():
        file = ROOT / path
        outcome = ingestor.ingest_bytes(
            file.read_bytes(), file.name, IngestOptions(meetings=["grcp-2013"])
        )
        assert outcome.error is None, outcome.error
        documents[lang] = outcome.document_id
    return Lima(database, ingestor, documents)
