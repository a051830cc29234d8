"""Proposals of contributors, waiting for a secretariat (or an admin) to decide: documents
(here) and changes to the registry (:mod:`rcphub.editing.proposals`, same table, same list,
same rejection).

A proposal keeps the file's bytes in its row (written in the same transaction, so that any node
of the hub can approve it and nothing is left behind by a failure) and the processes and
meetings it is to be filed under; nothing enters the documents until it is approved. The bytes
are cleared once it is decided. (Proposals made before that kept their file under one node's
``<data_dir>/proposals``: read from there, and removed when decided.) Approving
ingests the file as the approver (who must be allowed to add documents to those processes) and
marks the proposal approved; both are in the audit log. Approving twice, or after a failure
half-way, ingests nothing new: a document is identified by its bytes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts.policy import Action, Principal, authorize, decide
from rcphub.accounts.timeutil import stamp
from rcphub.db import Database, Proposal, User
from rcphub.documents.ingest import IngestOptions, Ingestor
from rcphub.documents.store import FileStore
from rcphub.errors import InvalidInput, NotFound


class ProposalInfo(BaseModel):
    id: int
    kind: str = "document"
    status: str
    filename: str | None = None
    target: str | None = None
    """The record a change proposal is about: ``process:…``, ``membership:…``, ``meeting:…``,
    ``document:…``."""
    changes: dict[str, Any] | None = None
    comment: str | None = None
    processes: list[str]
    meetings: list[str]
    proposed_by: str
    proposed_at: str
    decided_by: str | None = None
    decided_at: str | None = None
    document_id: str | None = None
    note: str | None = None


def legacy_store(database: Database) -> FileStore:
    """Where proposals made before their bytes were kept in the database have their file."""
    return FileStore(database.settings.data_dir / "proposals")


def propose_document(
    database: Database, actor: Principal, data: bytes, filename: str, options: IngestOptions
) -> ProposalInfo:
    """Keep a file for a secretariat to approve. The actor must be allowed to propose (or
    add) documents for the processes."""
    authorize(actor, Action.DOCUMENT_ADD, options.processes, proposals=True)
    content_hash = hashlib.sha256(data).hexdigest()
    with database.session() as session:
        proposal = Proposal(
            kind="document",
            status="pending",
            proposed_by=actor.user_id,
            proposed_at=stamp(),
            filename=filename[:255],
            content_hash=content_hash,
            content=data,
            processes=list(options.processes),
            meetings=list(options.meetings),
        )
        session.add(proposal)
        session.flush()
        audit.record(
            session,
            actor,
            "proposal.create",
            "proposal",
            proposal.id,
            {"filename": proposal.filename, "processes": proposal.processes},
        )
        return _info(session, proposal)


MAX_LISTED = 500
MAX_SCANNED = 5000
"""A list reads at most this many of the newest proposals (of the status asked for)."""


def may_see(viewer: Principal, proposal: Proposal) -> bool:
    """Whoever may decide a proposal sees it, and whoever made it."""
    mine = viewer.user_id is not None and proposal.proposed_by == viewer.user_id
    return mine or decide(viewer, Action.PROPOSAL_DECIDE, proposal.processes).allowed


def list_proposals(
    session: Session,
    viewer: Principal,
    *,
    status: str | None = "pending",
    process: str | None = None,
) -> list[ProposalInfo]:
    """The proposals ``viewer`` may decide, and those ``viewer`` made, newest first (at most
    :data:`MAX_LISTED`); ``process``: only those concerning that process."""
    if status not in (None, "pending", "approved", "rejected"):
        raise InvalidInput("status is pending, approved or rejected")
    query = select(Proposal).order_by(Proposal.id.desc()).limit(MAX_SCANNED)
    if status:
        query = query.where(Proposal.status == status)
    found = []
    for proposal in session.scalars(query):
        if process is not None and process not in (proposal.processes or []):
            continue
        if may_see(viewer, proposal):
            found.append(_info(session, proposal))
            if len(found) >= MAX_LISTED:
                break
    return found


def get_proposal(session: Session, viewer: Principal, proposal_id: int) -> ProposalInfo:
    """One proposal, for whoever may decide it or made it (anyone else: 404)."""
    return _info(session, visible_proposal(session, viewer, proposal_id))


def visible_proposal(session: Session, viewer: Principal, proposal_id: int) -> Proposal:
    proposal = session.get(Proposal, proposal_id) if 0 < proposal_id < 2**31 else None
    if proposal is None or not may_see(viewer, proposal):
        if proposal is not None and not viewer.authenticated:
            from rcphub.errors import Unauthenticated

            raise Unauthenticated("sign in first")
        raise NotFound("proposal", str(proposal_id))
    return proposal


def approve(
    database: Database, ingestor: Ingestor, actor: Principal, proposal_id: int
) -> ProposalInfo:
    with database.session() as session:
        visible_proposal(session, actor, proposal_id)
        proposal = _pending(session, proposal_id)
        authorize(actor, Action.PROPOSAL_DECIDE, proposal.processes)
        if proposal.kind != "document" or not proposal.content_hash:
            raise InvalidInput(f"proposal {proposal_id} is not a document")
        data = proposal.content
        if data is None:  # proposed before the bytes were kept in the database
            data = legacy_store(database).get(proposal.content_hash)
        options = IngestOptions(
            processes=list(proposal.processes), meetings=list(proposal.meetings), actor=actor
        )
        filename = proposal.filename
    authorize(actor, Action.DOCUMENT_ADD, options.processes)
    outcome = ingestor.ingest_bytes(data, filename, options)
    if outcome.error or not outcome.document_id:
        raise InvalidInput(f"the proposed file could not be stored: {outcome.error}")
    with database.session() as session:
        proposal = _pending(session, proposal_id)
        proposal.status = "approved"
        proposal.content = None
        proposal.decided_by = actor.user_id
        proposal.decided_at = stamp()
        proposal.document_id = outcome.document_id
        audit.record(
            session,
            actor,
            "proposal.approve",
            "proposal",
            proposal.id,
            {"document": outcome.document_id},
        )
        info = _info(session, proposal)
        content_hash = proposal.content_hash
    _discard_if_unused(database, content_hash)
    return info


def reject(database: Database, actor: Principal, proposal_id: int, note: str = "") -> ProposalInfo:
    """Reject a proposal, with a reason (``note``; required for a change to the registry,
    so its proposer learns why)."""
    with database.session() as session:
        visible_proposal(session, actor, proposal_id)
        proposal = _pending(session, proposal_id)
        authorize(actor, Action.PROPOSAL_DECIDE, proposal.processes)
        reason = " ".join((note or "").split())[:2000] or None
        if proposal.kind != "document" and reason is None:
            raise InvalidInput("give a reason for rejecting the proposal")
        proposal.status = "rejected"
        proposal.content = None
        proposal.decided_by = actor.user_id
        proposal.decided_at = stamp()
        proposal.note = reason
        audit.record(session, actor, "proposal.reject", "proposal", proposal.id, {"reason": reason})
        info = _info(session, proposal)
        content_hash = proposal.content_hash
    if content_hash:
        _discard_if_unused(database, content_hash)
    return info


def _discard_if_unused(database: Database, content_hash: str) -> None:
    """A decided proposal's bytes are cleared (in the decision's transaction); a file of an
    older proposal goes too, unless another pending proposal has the same bytes."""
    with database.session() as session:
        pending = session.scalar(
            select(Proposal.id).where(
                Proposal.content_hash == content_hash, Proposal.status == "pending"
            )
        )
    if pending is None:
        legacy_store(database).discard(content_hash)


def _pending(session: Session, proposal_id: int) -> Proposal:
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound("proposal", str(proposal_id))
    if proposal.status != "pending":
        raise InvalidInput(f"proposal {proposal_id} was {proposal.status} already")
    return proposal


def _info(session: Session, proposal: Proposal) -> ProposalInfo:
    def name(user_id: int | None) -> str | None:
        if user_id is None:
            return None
        user = session.get(User, user_id)
        return user.username if user else None

    return ProposalInfo(
        id=proposal.id,
        kind=proposal.kind,
        status=proposal.status,
        filename=proposal.filename,
        target=proposal.target,
        changes=proposal.changes,
        comment=proposal.comment,
        processes=list(proposal.processes or []),
        meetings=list(proposal.meetings or []),
        proposed_by=name(proposal.proposed_by) or "?",
        proposed_at=proposal.proposed_at,
        decided_by=name(proposal.decided_by),
        decided_at=proposal.decided_at,
        document_id=proposal.document_id,
        note=proposal.note,
    )
