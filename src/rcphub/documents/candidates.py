"""Candidate bodies over stored documents: those one document names, the list across
documents for the admins who grow the registry, and dismissing one.

A candidate is stored at ingest (:func:`rcphub.documents.ingest._write_candidates`) with every
mention; these reads show only what the viewer may read: a document's candidates come with the
document (whose visibility the caller has checked), and the list across documents is for the
admins (reading it: ``AUDIT_VIEW``, an admin's read; dismissing: ``REFDATA_LOAD``, the admins
who load and grow the registry).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts.policy import Action, Principal, authorize
from rcphub.db.models import CandidateBody, CandidateMention
from rcphub.documents.schemas import CandidateOut, CandidateSummary
from rcphub.errors import InvalidInput, NotFound

STATUSES = ("proposed", "dismissed")
MAX_LISTED = 500
"""Candidates one list returns (most named first)."""


def document_candidates(session: Session, document_id: str) -> list[CandidateOut]:
    """The candidate bodies one document names, in order of first mention."""
    rows = session.execute(
        select(CandidateMention, CandidateBody)
        .join(CandidateBody, CandidateBody.id == CandidateMention.candidate_id)
        .where(CandidateMention.document_id == document_id)
        .order_by(CandidateMention.id)
    ).all()
    found: dict[int, CandidateOut] = {}
    for mention, body in rows:
        out = found.get(body.id)
        if out is None:
            out = found[body.id] = CandidateOut(
                id=body.id, key=body.key, name=body.name, kind=body.kind, status=body.status,
                surfaces=[], passages=[],
            )  # fmt: skip
        if mention.surface not in out.surfaces:
            out.surfaces.append(mention.surface)
        if mention.passage_ref not in out.passages:
            out.passages.append(mention.passage_ref)
    return list(found.values())


def list_candidates(
    session: Session, viewer: Principal, *, status: str | None = "proposed"
) -> list[CandidateSummary]:
    """Candidate bodies across documents, most named first (admins only; a read, so a
    read-only token of an admin may)."""
    authorize(viewer, Action.AUDIT_VIEW)
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
    counts = (
        select(
            CandidateMention.candidate_id,
            func.count(func.distinct(CandidateMention.document_id)).label("documents"),
            func.count().label("mentions"),
        )
        .group_by(CandidateMention.candidate_id)
        .subquery()
    )
    query = select(CandidateBody, counts.c.documents, counts.c.mentions).join(
        counts, counts.c.candidate_id == CandidateBody.id
    )
    if status is not None:
        query = query.where(CandidateBody.status == status)
    query = query.order_by(
        counts.c.documents.desc(), counts.c.mentions.desc(), CandidateBody.name
    ).limit(MAX_LISTED)
    rows = session.execute(query).all()
    ids = [body.id for body, _, _ in rows]
    surfaces: dict[int, list[str]] = defaultdict(list)
    documents: dict[int, list[str]] = defaultdict(list)
    if ids:
        for candidate_id, surface, document_id in session.execute(
            select(
                CandidateMention.candidate_id,
                CandidateMention.surface,
                CandidateMention.document_id,
            )
            .where(CandidateMention.candidate_id.in_(ids))
            .order_by(CandidateMention.id)
        ):
            if surface not in surfaces[candidate_id] and len(surfaces[candidate_id]) < 12:
                surfaces[candidate_id].append(surface)
            if document_id not in documents[candidate_id] and len(documents[candidate_id]) < 20:
                documents[candidate_id].append(document_id)
    return [
        CandidateSummary(
            id=body.id,
            key=body.key,
            name=body.name,
            kind=body.kind,
            status=body.status,
            first_seen=body.first_seen,
            surfaces=surfaces[body.id],
            document_count=document_count,
            mention_count=mention_count,
            documents=documents[body.id],
        )
        for body, document_count, mention_count in rows
    ]


def set_candidate_status(
    session: Session, actor: Principal, candidate_id: int, status: str
) -> CandidateSummary:
    """Dismiss a candidate (not a body worth registering) or propose it again (admins)."""
    authorize(actor, Action.REFDATA_LOAD)
    if status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
    body = session.get(CandidateBody, candidate_id)
    if body is None:
        raise NotFound("candidate", str(candidate_id))
    before = body.status
    body.status = status
    audit.record(
        session, actor, "candidate.status", "candidate", body.id,
        {"key": body.key, "before": before, "after": status},
    )  # fmt: skip
    session.flush()
    listed = [c for c in list_candidates(session, actor, status=None) if c.id == body.id]
    if listed:
        return listed[0]
    return CandidateSummary(
        id=body.id, key=body.key, name=body.name, kind=body.kind, status=body.status,
        first_seen=body.first_seen, surfaces=[], document_count=0, mention_count=0, documents=[],
    )  # fmt: skip


__all__ = ["document_candidates", "list_candidates", "set_candidate_status"]
