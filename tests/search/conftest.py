"""Fixtures for search: a database with the search queue table, a shared embedding model
(loaded once, vectors memoised by text so both backends and all tests embed a text once), and a
helper that stores a document with its passages, links and mentions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pytest
from sqlalchemy import insert

from rcphub.db import Database
from rcphub.db.models import Document, DocumentLink, Mention, Passage, Work
from rcphub.search import SearchService, UseEmbedder
from rcphub.search.queue import enqueue_document


class MemoEmbedder:
    """The real model, each text embedded once per test session."""

    def __init__(self) -> None:
        self.inner = UseEmbedder()
        self.name, self.dims = self.inner.name, self.inner.dims
        self.memo: dict[str, np.ndarray] = {}
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.memo))
        if missing:
            self.calls += len(missing)
            for text, vector in zip(missing, self.inner.embed(missing), strict=True):
                self.memo[text] = vector
        if not texts:
            return np.zeros((0, self.dims), dtype=np.float32)
        return np.stack([self.memo[t] for t in texts])


@pytest.fixture(scope="session")
def embedder() -> MemoEmbedder:
    return MemoEmbedder()


@pytest.fixture
def search_database(database_factory) -> Database:  # type: ignore[no-untyped-def]
    """A writable database with the reference data (migrated: the search queue included)."""
    return database_factory.new()


@pytest.fixture
def service_for(embedder, tmp_path):  # type: ignore[no-untyped-def]
    """``service_for(database)``: a search service with its own index directory."""
    count = [0]

    def make(database: Database, **options) -> SearchService:  # type: ignore[no-untyped-def]
        count[0] += 1
        directory = database.settings.data_dir / "search"
        return SearchService(directory, embedder, **options)

    return make


@dataclass
class Doc:
    id: str
    language: str
    passages: list[tuple[str, str]]  # (ref, text)
    doc_type: str = "chair-summary"
    year: int | None = 2013
    title: str | None = None
    symbol: str | None = None
    links: list[str] = field(default_factory=list)  # process IDs
    mentions: dict[str, list[str]] = field(default_factory=dict)  # ref -> entities


def store(session, docs: Iterable[Doc], *, queue: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Write documents as ingest does (and queue them for search, in the same transaction)."""
    for doc in docs:
        work = Work(title=doc.title or doc.id)
        session.add(work)
        session.flush()
        session.add(
            Document(
                id=doc.id,
                content_hash=doc.id * 4,
                work_id=work.id,
                title=doc.title or f"Document {doc.id}",
                language=doc.language,
                date=date(doc.year, 6, 1) if doc.year else None,
                symbol=doc.symbol,
                doc_type=doc.doc_type,
                filename=f"{doc.id}.txt",
                source_format="txt",
                size_bytes=1,
                passage_count=len(doc.passages),
                warnings=[],
                ingested_at="2026-01-01T00:00:00",
            )
        )
        session.flush()
        if doc.passages:
            ids = session.scalars(
                insert(Passage).returning(Passage.id, sort_by_parameter_order=True),
                [
                    {
                        "document_id": doc.id,
                        "ref": ref,
                        "position": position,
                        "kind": "paragraph",
                        "language": doc.language,
                        "text": text,
                        "footnote_refs": [],
                    }
                    for position, (ref, text) in enumerate(doc.passages)
                ],
            ).all()
            for passage_id, (ref, _text) in zip(ids, doc.passages, strict=True):
                for entity in doc.mentions.get(ref, []):
                    session.add(
                        Mention(
                            passage_id=passage_id,
                            document_id=doc.id,
                            entity=entity,
                            start=0,
                            end=1,
                            surface="x",
                        )
                    )
        for process in doc.links:
            session.add(DocumentLink(document_id=doc.id, target=f"process:{process}"))
        if queue:
            enqueue_document(session, doc.id)
