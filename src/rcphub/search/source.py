"""Reading what the index needs from the database, the source of truth: passages with their
document's type and year, the processes the document is linked to, the states,
processes and organisations each passage mentions, and its theme tags (suggested or confirmed,
not rejected: ``gcm-23``, ``sdg-10.7``, ``hld2013-rt1``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rcphub.db.models import Document, DocumentLink, Mention, Passage, PassageTag
from rcphub.search.analysis import passage_language
from rcphub.search.relevance import NOT_SEMANTIC_KINDS, is_content
from rcphub.search.segment import IndexRow

_ENTITY_FIELDS = {"state": "state", "process": "process", "org": "org"}


def count_passages(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Passage)) or 0


NOT_SEMANTIC = NOT_SEMANTIC_KINDS
"""Passage kinds that are not embedded (see :attr:`IndexRow.semantic` and
:func:`rcphub.search.relevance.is_content`, which also leaves out title lines, symbols and
lead-ins)."""


def _rows(session: Session, condition, limit: int | None = None) -> list[IndexRow]:  # type: ignore[no-untyped-def]
    query = (
        select(
            Passage.id,
            Passage.document_id,
            Passage.language,
            Passage.text,
            Document.language,
            Document.doc_type,
            Document.date,
            Passage.kind,
        )
        .join(Document, Document.id == Passage.document_id)
        .where(condition)
        .order_by(Passage.id)
    )
    if limit:
        query = query.limit(limit)
    found = session.execute(query).all()
    if not found:
        return []
    passage_ids = [r[0] for r in found]
    document_ids = sorted({r[1] for r in found})
    entities: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    low, high = passage_ids[0], passage_ids[-1]
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    mention_query = select(Mention.passage_id, Mention.entity, Mention.start, Mention.end).where(
        Mention.passage_id.between(low, high)
        if high - low < 4 * len(passage_ids)
        else Mention.passage_id.in_(passage_ids)
    )
    for passage_id, entity, start, end in session.execute(mention_query):
        spans[passage_id].append((start, end))
        kind, _, value = entity.partition(":")
        if kind in _ENTITY_FIELDS and value:
            entities[passage_id][_ENTITY_FIELDS[kind]].append(value)
    links: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(document_ids), 500):
        chunk = document_ids[start : start + 500]
        for document_id, target in session.execute(
            select(DocumentLink.document_id, DocumentLink.target).where(
                DocumentLink.document_id.in_(chunk), DocumentLink.target.like("process:%")
            )
        ):
            links[document_id].append(target.partition(":")[2])
    themes = tags_by_passage_id(session, passage_ids)
    rows = []
    for passage_id, document_id, language, text, doc_language, doc_type, date, kind in found:
        mentioned = entities.get(passage_id, {})
        rows.append(
            IndexRow(
                passage_id=passage_id,
                document_id=document_id,
                language=passage_language(language, doc_language),
                text=text,
                doc_type=doc_type or "",
                year=date.year if date else None,
                process=sorted(set(links.get(document_id, [])) | set(mentioned.get("process", []))),
                state=sorted(set(mentioned.get("state", []))),
                org=sorted(set(mentioned.get("org", []))),
                theme=sorted(set(themes.get(passage_id, []))),
                spans=tuple(spans.get(passage_id, ())),
                semantic=is_content(kind, text),
            )
        )
    return rows


def tags_by_passage_id(session: Session, passage_ids: Sequence[int]) -> dict[int, list[str]]:
    """Theme tag IDs per passage, suggested or confirmed (a rejected tag is no theme)."""
    found: dict[int, list[str]] = defaultdict(list)
    ids = sorted(set(passage_ids))
    for start in range(0, len(ids), 500):
        for passage_id, scheme, code in session.execute(
            select(PassageTag.passage_id, PassageTag.scheme_id, PassageTag.code).where(
                PassageTag.passage_id.in_(ids[start : start + 500]),
                PassageTag.status != "rejected",
            )
        ):
            found[passage_id].append(f"{scheme}-{code}".lower())  # rcphub.themes.tag_id
    return found


def iter_rows(session: Session, batch: int = 5000) -> Iterator[list[IndexRow]]:
    """Every passage, in batches, in passage ID order."""
    last = 0
    while True:
        rows = _rows(session, Passage.id > last, limit=batch)
        if not rows:
            return
        yield rows
        last = rows[-1].passage_id


def rows_for_documents(session: Session, document_ids: Sequence[str]) -> list[IndexRow]:
    rows: list[IndexRow] = []
    ids = list(dict.fromkeys(document_ids))
    for start in range(0, len(ids), 200):
        rows.extend(_rows(session, Passage.document_id.in_(ids[start : start + 200])))
    return rows


def rows_for_passages(session: Session, passage_ids: Sequence[int]) -> list[IndexRow]:
    rows: list[IndexRow] = []
    ids = sorted(set(passage_ids))
    for start in range(0, len(ids), 500):
        rows.extend(_rows(session, Passage.id.in_(ids[start : start + 500])))
    return rows
