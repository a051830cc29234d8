"""Passage tags: the tagging queue, retagging, reading tags, and a person's decisions.

Lifecycle. Ingest queues a new document (:func:`enqueue_tagging`) in the transaction that
stores it; right after the commit the ingestor applies the queue (:func:`apply_tag_queue`),
and so do ``rcphub themes retag`` and the server at start. Each document is tagged in a
transaction of its own that also deletes its queue entries and queues it for the search index,
so a document is either tagged completely or still queued.

Machine suggestions are replaced on every run; a person's decision (confirmed, rejected, or a
tag a person added) is never replaced, only the machine's score beside it is refreshed.
A person's decision needs ``DOCUMENT_EDIT`` on the document's processes (see
:mod:`rcphub.accounts.policy`) and is written to the audit log with the change.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts import policy
from rcphub.accounts.policy import Action, Principal, authorize
from rcphub.accounts.scopes import governing_processes
from rcphub.db import Database
from rcphub.db.models import Concept, Document, Mention, Passage, PassageTag, TagQueueEntry
from rcphub.errors import InvalidInput, NotFound
from rcphub.limits import WORK_PASSAGES
from rcphub.search import vectors as passage_vectors
from rcphub.search.queue import enqueue_document
from rcphub.themes.ids import parse_tag_id, tag_id
from rcphub.themes.schemas import (
    Decision,
    DocumentTags,
    PassageTags,
    TaggingReport,
    TagOut,
    TagSource,
    TagStatus,
)
from rcphub.themes.tagger import PassageInput, Tagger

Progress = Callable[[int], None]
"""Called with the number of passages just tagged."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def enqueue_tagging(session: Session, document_id: str) -> None:
    """Queue a document for the tagger in the caller's transaction (a plain INSERT)."""
    session.execute(
        TagQueueEntry.__table__.insert(), {"document_id": document_id, "queued_at": _now()}
    )


def pending_documents(session: Session) -> list[str]:
    ids = session.scalars(select(TagQueueEntry.document_id).order_by(TagQueueEntry.id))
    return list(dict.fromkeys(ids))


def _document_passages(session: Session, document_id: str) -> list[tuple[int, PassageInput]]:
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for passage_id, start, end in session.execute(
        select(Mention.passage_id, Mention.start, Mention.end).where(
            Mention.document_id == document_id
        )
    ):
        spans[passage_id].append((start, end))
    rows = session.execute(
        select(Passage.id, Passage.text, Passage.language, Passage.kind)
        .where(Passage.document_id == document_id)
        .order_by(Passage.position)
    )
    return [
        (pid, PassageInput(text, language, kind, tuple(spans.get(pid, ()))))
        for pid, text, language, kind in rows
    ]


def _store(
    session: Session,
    document_id: str,
    passage_ids: Sequence[int],
    suggestions: Sequence[Sequence],  # Sequence[Sequence[Suggestion]]
    schemes: Sequence[str],
) -> int:
    """Replace the machine's open suggestions of these passages (for these schemes) with new
    ones; keep every decided tag, with its score refreshed. Returns suggestions stored."""
    existing: dict[tuple[int, str, str], PassageTag] = {
        (t.passage_id, t.scheme_id, t.code): t
        for t in session.scalars(
            select(PassageTag).where(
                PassageTag.document_id == document_id, PassageTag.scheme_id.in_(schemes)
            )
        )
    }
    keep: set[tuple[int, str, str]] = set()
    stored = 0
    now = _now()
    for passage_id, found in zip(passage_ids, suggestions, strict=True):
        for s in found:
            key = (passage_id, s.scheme, s.code)
            row = existing.get(key)
            if row is None:
                session.add(
                    PassageTag(
                        passage_id=passage_id,
                        document_id=document_id,
                        scheme_id=s.scheme,
                        code=s.code,
                        score=s.score,
                        source=TagSource.MACHINE,
                        status=TagStatus.SUGGESTED,
                        created_at=now,
                    )
                )
            else:
                row.score = s.score
            keep.add(key)
            stored += 1
    stale = [
        row.id
        for key, row in existing.items()
        if key not in keep and row.source == TagSource.MACHINE and row.status == TagStatus.SUGGESTED
    ]
    for start in range(0, len(stale), 500):
        session.execute(delete(PassageTag).where(PassageTag.id.in_(stale[start : start + 500])))
    return stored


def _vectors(
    session: Session, tagger: Tagger, passages: Sequence[tuple[int, PassageInput]]
) -> np.ndarray:
    """The passages' shared embeddings (:mod:`rcphub.search.vectors`): stored at ingest, or
    computed now and stored for the search index. Rows of passages the tagger skips stay
    zero."""
    vectors = _stored_vectors(session, tagger, passages)
    passage_vectors.store(session, vectors.compute())
    return vectors.all


@dataclass
class _Vectors:
    """The passages' shared embeddings as found stored (:func:`_stored_vectors`), the missing
    ones computed by :meth:`compute` outside any transaction."""

    all: np.ndarray
    wanted: list[int]
    """Rows of the passages that get a vector (the others stay zero)."""
    items: list[passage_vectors.Item]
    missing: list[int]
    """Positions in ``items`` (and ``wanted``) with no stored vector."""
    embedder: Any

    def compute(self) -> list[dict[str, object]]:
        """Fill in the missing rows; the ``passage_vectors`` rows to store."""
        todo = [self.items[i] for i in self.missing]
        if not todo:
            return []
        computed = passage_vectors.compute(self.embedder, todo)
        self.all[[self.wanted[i] for i in self.missing]] = computed.means
        return passage_vectors.rows(todo, computed, self.embedder.name)


def _stored_vectors(
    session: Session, tagger: Tagger, passages: Sequence[tuple[int, PassageInput]]
) -> _Vectors:
    """What :func:`_vectors` does, split for a caller that must not run the model inside a
    transaction: the stored vectors now, the missing ones by ``compute()`` later."""
    # bounded work (rcphub.limits): the tagger reads the first WORK_PASSAGES passages only
    wanted = [i for i, (_, p) in enumerate(passages[:WORK_PASSAGES]) if tagger.taggable(p)]
    items = [(passages[i][0], passages[i][1].text, passages[i][1].spans) for i in wanted]
    embedder = tagger.passage_embedder
    have = passage_vectors.load(session, items, embedder.name, embedder.dims)
    out = np.zeros((len(passages), embedder.dims), dtype=np.float32)
    missing = []
    for position, (index, item) in enumerate(zip(wanted, items, strict=True)):
        vector = have.get(item[0])
        if vector is None:
            missing.append(position)
        else:
            out[index] = vector
    return _Vectors(out, wanted, items, missing, embedder)


def tag_document(
    session: Session, tagger: Tagger, document_id: str, schemes: Sequence[str] | None = None
) -> tuple[int, int]:
    """Tag one document's passages in the caller's transaction and queue it for search.
    Returns (passages, suggestions)."""
    schemes = list(schemes or tagger.rules.schemes)
    passages = _document_passages(session, document_id)
    found = tagger.suggest([p for _, p in passages], _vectors(session, tagger, passages))
    found = [[s for s in row if s.scheme in schemes] for row in found]
    stored = _store(session, document_id, [pid for pid, _ in passages], found, schemes)
    enqueue_document(session, document_id)
    return len(passages), stored


def apply_tag_queue(
    database: Database,
    tagger: Tagger,
    *,
    document_ids: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> TaggingReport:
    """Tag the queued documents (or only the given ones, if queued), one transaction each."""
    started = time.perf_counter()
    with database.session() as session:
        queued = pending_documents(session)
    if document_ids is not None:
        wanted = set(document_ids)
        queued = [d for d in queued if d in wanted]
    documents = passages = suggestions = 0
    schemes = list(tagger.rules.schemes)
    for document_id in queued:
        # the model runs between two short transactions, not inside the one that writes
        # (on SQLite a writer holds the lock for all of its transaction)
        with database.session() as session:
            rows = (
                _document_passages(session, document_id)
                if session.get(Document, document_id) is not None
                else None
            )
            vectors = _stored_vectors(session, tagger, rows) if rows is not None else None
        computed = vectors.compute() if vectors is not None else []
        found = tagger.suggest([p for _, p in rows], vectors.all) if rows is not None else []
        with database.write_session() as session:
            if rows is not None and session.get(Document, document_id) is not None:
                passage_vectors.store(session, computed)
                stored = _store(session, document_id, [pid for pid, _ in rows], found, schemes)
                enqueue_document(session, document_id)
                documents += 1
                passages += len(rows)
                suggestions += stored
                if progress:
                    progress(len(rows))
            session.execute(delete(TagQueueEntry).where(TagQueueEntry.document_id == document_id))
    return TaggingReport(
        documents=documents,
        passages=passages,
        suggestions=suggestions,
        seconds=round(time.perf_counter() - started, 3),
    )


def retag_targets(
    session: Session,
    *,
    scheme: str | None = None,
    document_id: str | None = None,
    document_ids: Sequence[str] | None = None,
) -> tuple[list[str], list[str], int]:
    """Check the options of a retag: (document IDs, schemes, passages to tag)."""
    from rcphub.themes.tagger import default_rules

    schemes = list(default_rules().schemes)
    if scheme is not None:
        if scheme not in schemes:
            raise InvalidInput(
                f"the tagger does not tag scheme {scheme!r}; it tags {', '.join(schemes)}"
            )
        schemes = [scheme]
    query = select(Document.id).order_by(Document.id)
    if document_id is not None:
        found = find_document_id(session, document_id)
        query = query.where(Document.id == found)
    if document_ids is not None:
        query = query.where(Document.id.in_(list(document_ids)))
    ids = list(session.scalars(query))
    if document_id is None and document_ids is None:
        count = session.scalar(select(func.count()).select_from(Passage))
    else:
        count = session.scalar(
            select(func.count()).select_from(Passage).where(Passage.document_id.in_(ids))
        )
    return ids, schemes, int(count or 0)


def retag(
    database: Database,
    tagger: Tagger,
    *,
    scheme: str | None = None,
    document_id: str | None = None,
    progress: Progress | None = None,
) -> TaggingReport:
    """Tag documents again (all, or one; every scheme, or one), one transaction each; their
    queue entries go too. A person's decisions stay."""
    started = time.perf_counter()
    with database.session() as session:
        ids, schemes, _ = retag_targets(session, scheme=scheme, document_id=document_id)
    passages = suggestions = 0
    for doc in ids:
        with database.session() as session:
            counted, stored = tag_document(session, tagger, doc, schemes)
            session.execute(delete(TagQueueEntry).where(TagQueueEntry.document_id == doc))
        passages += counted
        suggestions += stored
        if progress:
            progress(counted)
    return TaggingReport(
        documents=len(ids),
        passages=passages,
        suggestions=suggestions,
        seconds=round(time.perf_counter() - started, 3),
    )


# ---------------------------------------------------------------------------- reading


def find_document_id(session: Session, ident: str, viewer: Principal = policy.ANONYMOUS) -> str:
    """The ID of a document ``viewer`` may read (a unique prefix will do), else NotFound."""
    value = ident.strip().lower()
    if not value or len(value) > 16 or any(c not in "0123456789abcdef" for c in value):
        raise NotFound("document", ident)
    visible = policy.visible_documents_clause(viewer)
    if session.scalar(select(Document.id).where(Document.id == value, visible)) is not None:
        return value
    found = []
    if len(value) >= 4:
        found = list(
            session.scalars(select(Document.id).where(Document.id.startswith(value), visible))
        )
    if len(found) != 1:
        raise NotFound("document", ident)
    return found[0]


def _labels(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str], Concept]:
    if not keys:
        return {}
    schemes = {scheme for scheme, _ in keys}
    return {
        (c.scheme_id, c.code): c
        for c in session.scalars(select(Concept).where(Concept.scheme_id.in_(schemes)))
        if (c.scheme_id, c.code) in keys
    }


def _tag_out(row: PassageTag, concept: Concept | None) -> TagOut:
    return TagOut(
        tag=tag_id(row.scheme_id, row.code),
        scheme=row.scheme_id,
        code=row.code,
        labels=concept.labels if concept else {},
        short_labels=concept.short_labels if concept else {},
        score=row.score,
        source=TagSource(row.source),
        status=TagStatus(row.status),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


_SCHEME_ORDER = {"hld2013": 0, "gcm": 1, "gcm-principles": 2, "sdg": 3}


def _sort_key(row: PassageTag) -> tuple[int, float]:
    return (_SCHEME_ORDER.get(row.scheme_id, 9), -(row.score or 0.0))


def document_tags(
    session: Session, document_id: str, viewer: Principal = policy.ANONYMOUS
) -> DocumentTags:
    """Every passage of a document ``viewer`` may read with its tags (in document order)."""
    doc = find_document_id(session, document_id, viewer)
    rows = list(session.scalars(select(PassageTag).where(PassageTag.document_id == doc)))
    concepts = _labels(session, {(r.scheme_id, r.code) for r in rows})
    by_passage: dict[int, list[PassageTag]] = defaultdict(list)
    for row in rows:
        by_passage[row.passage_id].append(row)
    passages = [
        PassageTags(
            document_id=doc,
            ref=ref,
            tags=[
                _tag_out(r, concepts.get((r.scheme_id, r.code)))
                for r in sorted(by_passage.get(pid, []), key=_sort_key)
            ],
        )
        for pid, ref in session.execute(
            select(Passage.id, Passage.ref)
            .where(Passage.document_id == doc)
            .order_by(Passage.position)
        )
    ]
    return DocumentTags(document_id=doc, passages=passages)


def passage_tags(
    session: Session, document_id: str, ref: str, viewer: Principal = policy.ANONYMOUS
) -> PassageTags:
    doc = find_document_id(session, document_id, viewer)
    found = document_tags(session, doc, viewer)
    for passage in found.passages:
        if passage.ref == ref:
            return passage
    raise NotFound("passage", f"{doc} {ref}")


# ---------------------------------------------------------------------------- decisions


def decide_tag(
    session: Session,
    document_id: str,
    ref: str,
    tag: str,
    decision: Decision | str,
    *,
    actor: Principal,
) -> TagOut:
    """A person confirms or rejects a tag of a passage. Confirming a concept the passage does
    not carry yet adds it as the person's own tag; rejecting one it does not carry is an error.
    Needs a secretariat of the document's processes (or an admin); ``decided_by`` is the
    actor's label. Queues the document for search (the ``theme`` facet changes). A document the
    actor may not read is not found (404), before any question of writing it."""
    doc = find_document_id(session, document_id, actor)
    authorize(actor, Action.DOCUMENT_EDIT, governing_processes(session, doc))
    try:
        decision = Decision(decision)
    except ValueError:
        raise InvalidInput(
            f"unknown decision {decision!r}: use {' or '.join(d.value for d in Decision)}"
        ) from None
    scheme, code = parse_tag_id(tag)
    concept = session.get(Concept, (scheme, code))
    if concept is None:
        raise NotFound("concept", tag)
    passage_id = session.scalar(
        select(Passage.id).where(Passage.document_id == doc, Passage.ref == ref)
    )
    if passage_id is None:
        raise NotFound("passage", f"{doc} {ref}")
    row = session.scalar(
        select(PassageTag).where(
            PassageTag.passage_id == passage_id,
            PassageTag.scheme_id == scheme,
            PassageTag.code == code,
        )
    )
    now = _now()
    if row is None:
        if decision is Decision.REJECT:
            raise NotFound("tag", f"{tag} on {doc} {ref}")
        row = PassageTag(
            passage_id=passage_id,
            document_id=doc,
            scheme_id=scheme,
            code=code,
            score=None,
            source=TagSource.PERSON,
            created_at=now,
        )
        session.add(row)
    row.status = TagStatus.CONFIRMED if decision is Decision.CONFIRM else TagStatus.REJECTED
    row.decided_by = actor.label[:80]
    row.decided_at = now
    enqueue_document(session, doc)
    session.flush()
    details = {"ref": ref, "tag": tag_id(scheme, code)}
    audit.record(session, actor, f"tag.{decision.value}", "document", doc, details)
    return _tag_out(row, concept)
