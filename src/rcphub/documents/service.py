"""Queries over stored documents: lists, one document with its passages and mentions, the
documents that mention an entity, and grouping language versions by hand.

Every read takes ``viewer``, the principal asking, and shows only what
:func:`rcphub.accounts.policy.visible_documents_clause` lets it read; the default is the
anonymous visitor, so a caller that forgets to pass one shows public content only. A document
the viewer may not read is :class:`NotFound`, exactly like one that does not exist."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts.policy import (
    ANONYMOUS,
    Action,
    Principal,
    authorize,
    check_visibility,
    visible_document_ids,
    visible_documents_clause,
)
from rcphub.accounts.scopes import governing_processes
from rcphub.db.models import Body, Document, DocumentLink, Meeting, Mention, Passage, Work
from rcphub.documents.candidates import document_candidates
from rcphub.documents.ingest import FileOutcome, add_links
from rcphub.documents.schemas import (
    DocumentDetail,
    DocumentSummary,
    EntityDocument,
    IngestError,
    IngestReport,
    MentionOut,
    PassageOut,
    SuggestionOut,
)
from rcphub.documents.suggestions import MentionRef, PassageText, Suggestion, suggest_filing
from rcphub.errors import InvalidInput, NotFound
from rcphub.ids import plausible_id


def _links(session: Session, ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    if ids:
        rows = session.execute(
            select(DocumentLink.document_id, DocumentLink.target)
            .where(DocumentLink.document_id.in_(ids))
            .order_by(DocumentLink.target)
        )
        for document_id, target in rows:
            out[document_id].append(target)
    return out


def _summary(doc: Document, links: list[str]) -> DocumentSummary:
    return DocumentSummary(
        id=doc.id,
        work=doc.work_id,
        title=doc.title,
        language=doc.language,
        date=doc.date,
        symbol=doc.symbol,
        type=doc.doc_type,
        filename=doc.filename,
        passage_count=doc.passage_count,
        links=links,
        visibility=doc.visibility,
    )


def _get(session: Session, ident: str, viewer: Principal) -> Document:
    ident = plausible_id("document", ident).strip().lower()
    visible = visible_documents_clause(viewer)
    doc = session.scalars(select(Document).where(Document.id == ident, visible)).first()
    if doc is None and 4 <= len(ident) < 16 and all(c in "0123456789abcdef" for c in ident):
        matches = session.scalars(
            select(Document).where(Document.id.startswith(ident), visible)
        ).all()
        doc = matches[0] if len(matches) == 1 else None
    if doc is None:
        raise NotFound("document", ident[:40])
    return doc


def list_documents(
    session: Session,
    *,
    language: str | None = None,
    doc_type: str | None = None,
    link: str | None = None,
    mentions: str | None = None,
    limit: int = 100,
    offset: int = 0,
    viewer: Principal = ANONYMOUS,
) -> tuple[int, list[DocumentSummary]]:
    """Documents ``viewer`` may read, newest first, filtered by language, type, linked
    process/meeting (``process:bali-process``) or an entity they mention (``state:PER``)."""
    if not 1 <= limit <= 1000 or not 0 <= offset <= 10_000_000:
        raise InvalidInput("limit must be 1-1000 and offset 0-10,000,000")
    query = select(Document).where(visible_documents_clause(viewer))
    if language:
        query = query.where(Document.language == language)
    if doc_type:
        query = query.where(Document.doc_type == doc_type)
    if link:
        query = query.where(
            Document.id.in_(select(DocumentLink.document_id).where(DocumentLink.target == link))
        )
    if mentions:
        query = query.where(
            Document.id.in_(select(Mention.document_id).where(Mention.entity == mentions))
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    docs = session.scalars(
        query.order_by(Document.date.desc().nulls_last(), Document.id).limit(limit).offset(offset)
    ).all()
    links = _links(session, [d.id for d in docs])
    return total, [_summary(d, links.get(d.id, [])) for d in docs]


def document_summaries(
    session: Session, ids: Iterable[str], viewer: Principal = ANONYMOUS
) -> dict[str, DocumentSummary]:
    """The summaries of these documents by ID (IDs of documents that do not exist or that
    ``viewer`` may not read are left out): for lists of passages from many documents."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    docs = session.scalars(
        select(Document).where(Document.id.in_(wanted), visible_documents_clause(viewer))
    ).all()
    links = _links(session, [d.id for d in docs])
    return {d.id: _summary(d, links.get(d.id, [])) for d in docs}


def _suggestion(suggestion: Suggestion, filed: set[str]) -> SuggestionOut:
    return SuggestionOut(
        target=suggestion.target,
        reason=suggestion.reason,
        evidence=suggestion.evidence,
        linked=suggestion.target in filed,
    )


def get_document(session: Session, ident: str, viewer: Principal = ANONYMOUS) -> DocumentDetail:
    """One document with its passages (in order), mentions and the other language versions
    ``viewer`` may read."""
    doc = _get(session, ident, viewer)
    passages = session.scalars(
        select(Passage).where(Passage.document_id == doc.id).order_by(Passage.position)
    ).all()
    ref_of = {p.id: p.ref for p in passages}
    mentions = session.scalars(
        select(Mention)
        .where(Mention.document_id == doc.id)
        .order_by(Mention.passage_id, Mention.start)
    ).all()
    versions = session.scalars(
        select(Document)
        .where(
            Document.work_id == doc.work_id,
            Document.id != doc.id,
            visible_documents_clause(viewer),
        )
        .order_by(Document.language)
    ).all()
    links = _links(session, [doc.id, *(v.id for v in versions)])
    summary = _summary(doc, links.get(doc.id, []))
    filing = suggest_filing(
        doc.title,
        [PassageText(p.ref, p.kind, p.text) for p in passages],
        [MentionRef(ref_of[m.passage_id], m.entity, m.surface) for m in mentions],
        date=doc.date,
        meeting_ids=session.scalars(select(Meeting.id)).all(),
    )
    filed = set(summary.links)
    return DocumentDetail(
        **summary.model_dump(),
        place=doc.place,
        suggested_processes=[_suggestion(s, filed) for s in filing.processes],
        suggested_meetings=[_suggestion(s, filed) for s in filing.meetings],
        candidates=document_candidates(session, doc.id),
        distribution=doc.distribution,
        original_language=doc.original_language,
        organ=doc.organ,
        session=doc.session,
        agenda_item=doc.agenda_item,
        source_format=doc.source_format,
        size_bytes=doc.size_bytes,
        page_count=doc.page_count,
        content_hash=doc.content_hash,
        ingested_at=doc.ingested_at,
        warnings=doc.warnings,
        versions=[_summary(v, links.get(v.id, [])) for v in versions],
        passages=[
            PassageOut(
                ref=p.ref,
                kind=p.kind,
                text=p.text,
                language=p.language,
                parent_ref=p.parent_ref,
                heading=p.heading,
                page=p.page,
                footnote_refs=p.footnote_refs,
            )
            for p in passages
        ],
        mentions=[
            MentionOut(
                entity=m.entity,
                passage=ref_of[m.passage_id],
                start=m.start,
                end=m.end,
                surface=m.surface,
            )
            for m in mentions
        ],
    )


def documents_mentioning(
    session: Session, entity: str, limit: int = 50, viewer: Principal = ANONYMOUS
) -> list[EntityDocument]:
    """Documents ``viewer`` may read that mention ``entity`` (``state:PER``,
    ``process:midsa``, ``org:iom``), with the passages that do, most mentions first."""
    rows = session.execute(
        select(Mention.document_id, Passage.ref, Passage.position)
        .join(Passage, Passage.id == Mention.passage_id)
        .where(Mention.entity == entity, Mention.document_id.in_(visible_document_ids(viewer)))
        .order_by(Mention.document_id, Passage.position)
    ).all()
    by_document: dict[str, list[str]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for document_id, ref, _position in rows:
        counts[document_id] += 1
        if ref not in by_document[document_id]:
            by_document[document_id].append(ref)
    ranked = sorted(counts, key=lambda d: (-counts[d], d))[:limit]
    docs = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ranked)))}
    links = _links(session, ranked)
    return [
        EntityDocument(
            document=_summary(docs[d], links.get(d, [])),
            mention_count=counts[d],
            passages=by_document[d],
        )
        for d in ranked
    ]


def link_versions(session: Session, ident: str, other: str, actor: Principal) -> DocumentDetail:
    """Make two documents language versions of one work (by hand, when no symbol joins them).

    ``actor`` must be a secretariat of the processes of both documents
    (:func:`~rcphub.accounts.scopes.governing_processes`), or an admin; the change is written
    to the audit log in the same transaction."""
    doc, other_doc = _get(session, ident, actor), _get(session, other, actor)
    authorize(actor, Action.DOCUMENT_EDIT, governing_processes(session, doc.id, other_doc.id))
    if doc.id == other_doc.id:
        raise InvalidInput("a document cannot be a version of itself")
    audit.record(
        session, actor, "document.link_version", "document", doc.id, {"other": other_doc.id}
    )
    if doc.work_id != other_doc.work_id:
        old_work = other_doc.work_id
        for moved in session.scalars(select(Document).where(Document.work_id == old_work)):
            moved.work_id = doc.work_id
        session.flush()
        if not session.scalars(select(Document).where(Document.work_id == old_work)).first():
            session.delete(session.get(Work, old_work))
    session.flush()
    return get_document(session, doc.id, actor)


def set_visibility(
    session: Session, ident: str, visibility: str, actor: Principal
) -> DocumentSummary:
    """Make a document public or restricted (to the processes it is filed under).

    ``actor`` must be a secretariat of every process the document is filed under (or an
    admin); the change is written to the audit log in the same transaction. The search index
    needs no update: it filters restricted documents at query time (see
    :mod:`rcphub.search.service`)."""
    wanted = check_visibility(visibility).value
    doc = _get(session, ident, actor)
    authorize(actor, Action.DOCUMENT_EDIT, governing_processes(session, doc.id))
    if doc.visibility != wanted:
        audit.record(
            session,
            actor,
            "document.visibility",
            "document",
            doc.id,
            {"from": doc.visibility, "to": wanted},
        )
        doc.visibility = wanted
        session.flush()
    return _summary(doc, _links(session, [doc.id]).get(doc.id, []))


MAX_FILING_TARGETS = 50


def file_document(
    session: Session, ident: str, targets: list[str], actor: Principal
) -> DocumentSummary:
    """File a stored document under more processes or meetings (what the upload result
    suggests from the text, once a person confirms it).

    ``actor`` must be allowed to edit the document (a secretariat of the processes it is
    filed under, or an admin) and to add documents to each new process; every target must
    exist. The links are written, and recorded in the audit log, in one transaction."""
    if not targets or len(targets) > MAX_FILING_TARGETS:
        raise InvalidInput(f"give between 1 and {MAX_FILING_TARGETS} processes or meetings")
    doc = _get(session, ident, actor)
    wanted = list(dict.fromkeys(t.strip() for t in targets if t.strip()))
    processes = []
    for target in wanted:
        kind, _, key = target.partition(":")
        if kind == "process":
            if session.get(Body, key) is None:
                raise NotFound("process", key)
            processes.append(key)
        elif kind == "meeting":
            if session.get(Meeting, key) is None:
                raise NotFound("meeting", key)
        else:
            raise InvalidInput(f"{target[:100]!r} is not process:<id> or meeting:<id>")
    current = governing_processes(session, doc.id)
    if current:
        authorize(actor, Action.DOCUMENT_EDIT, current)
    authorize(actor, Action.DOCUMENT_ADD, processes or current)
    added = add_links(session, doc.id, wanted)
    if added:
        audit.record(session, actor, "document.file", "document", doc.id, {"added": added})
    session.flush()
    return _summary(doc, _links(session, [doc.id]).get(doc.id, []))


def passages_of(session: Session, document_ids: list[str]) -> int:
    """How many passages these documents hold together (what tagging them will read)."""
    return sum(
        session.scalar(
            select(func.sum(Document.passage_count)).where(
                Document.id.in_(document_ids[start : start + 500])
            )
        )
        or 0
        for start in range(0, len(document_ids), 500)
    )


def passage_text(
    session: Session, document_id: str, ref: str, viewer: Principal = ANONYMOUS
) -> str:
    """The text of one passage, for citations."""
    doc = _get(session, document_id, viewer)
    passage = session.scalars(
        select(Passage).where(Passage.document_id == doc.id, Passage.ref == ref)
    ).first()
    if passage is None:
        raise NotFound("passage", f"{doc.id} {ref}")
    return passage.text


def ingest_lines(
    session: Session, outcomes: list[FileOutcome]
) -> list[tuple[DocumentSummary, int]]:
    """Each stored file's document (once, in the batch's order) and its number of mentions:
    what ``rcphub ingest`` prints, in a few queries per 500 documents where
    :func:`ingest_report` reads every passage of every document (a third of the command's
    own time for 100 documents)."""
    ids = list(dict.fromkeys(o.document_id for o in outcomes if o.document_id))
    documents: dict[str, Document] = {}
    mentions: dict[str, int] = {}
    links: dict[str, list[str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        documents.update(
            (d.id, d) for d in session.scalars(select(Document).where(Document.id.in_(chunk)))
        )
        mentions.update(
            (document_id, count)
            for document_id, count in session.execute(
                select(Mention.document_id, func.count())
                .where(Mention.document_id.in_(chunk))
                .group_by(Mention.document_id)
            )
        )
        links.update(_links(session, chunk))
    return [
        (_summary(documents[i], links.get(i, [])), mentions.get(i, 0))
        for i in ids
        if i in documents
    ]


def ingest_report(
    session: Session, outcomes: list[FileOutcome], viewer: Principal = ANONYMOUS
) -> IngestReport:
    """The report of a batch, as ``rcphub ingest --json`` prints it and the API returns it."""
    documents, seen = [], set()
    for outcome in outcomes:
        if outcome.document_id and outcome.document_id not in seen:
            seen.add(outcome.document_id)
            documents.append(get_document(session, outcome.document_id, viewer))
    return IngestReport(
        documents=documents,
        errors=[IngestError(path=o.path, error=o.error) for o in outcomes if o.error],
        created=[o.document_id for o in outcomes if o.created and o.document_id],
    )
