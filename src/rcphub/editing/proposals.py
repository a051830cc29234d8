"""Contributors' proposals of changes to the registry: a process's profile, a membership (add,
change, end), a meeting (add, change) or a document's details.

A contributor of the process (:data:`~rcphub.accounts.policy.Action.EDIT_PROPOSE` answers
*propose*) sends the change as the editing service takes it; it is checked at once by running
the service in a savepoint that is rolled back (so a proposal that could never be applied is
refused with 422, not left for a secretariat to find), then kept in ``proposals`` — the table,
list, page and rejection of the contributors' document uploads (:mod:`rcphub.documents.proposals`).
A secretariat of the process (or an admin) approves it: the change is made through the same
editing service by the approver, so the policy is asked again and the history names who
approved it (``who``) and who proposed it (``proposed_by``) — or rejects it with a reason.
Whoever may neither decide a proposal nor made it is told it does not exist (404).

Kinds and targets::

    process.edit      process:<id>      names, acronym, website, secretariat, chair, source, as_of
    membership.add    process:<id>      party, role, subgroup, since, note, source, as_of
    membership.edit   membership:<id>   role, subgroup, since, until, note, source, as_of
    membership.end    membership:<id>   until, source, as_of
    meeting.create    process:<id>      title, start, end, state, city, languages, visibility
    meeting.edit      meeting:<id>      the same
    document.edit     document:<id>     title, type, date, symbol, meetings, processes
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rcphub import audit, registry
from rcphub.accounts.policy import SYSTEM, Action, Principal, authorize
from rcphub.accounts.scopes import governing_processes
from rcphub.accounts.timeutil import stamp
from rcphub.db import Database, Membership, Proposal, User
from rcphub.documents import service as documents
from rcphub.documents.proposals import ProposalInfo, _info, _pending, visible_proposal
from rcphub.editing import documents as document_edits
from rcphub.editing import meetings, memberships, processes
from rcphub.editing.common import clean_text
from rcphub.errors import InvalidInput, NotFound

__all__ = ["KINDS", "approve_proposal", "propose_change"]

KINDS = (
    "process.edit",
    "membership.add",
    "membership.edit",
    "membership.end",
    "meeting.create",
    "meeting.edit",
    "document.edit",
)
TARGET_OF = {
    "process.edit": "process",
    "membership.add": "process",
    "meeting.create": "process",
    "membership.edit": "membership",
    "membership.end": "membership",
    "meeting.edit": "meeting",
    "document.edit": "document",
}
MAX_CHANGES_JSON = 20_000
MAX_PENDING_PER_USER = 100


def _target(session: Session, actor: Principal, kind: str, target: str) -> tuple[str, list[str]]:
    """The target in its canonical form and the processes it belongs to (404 for a record
    the actor may not see)."""
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of: {', '.join(KINDS)}")
    expected = TARGET_OF[kind]
    text = clean_text("target", target, limit=130, required=True) or ""
    prefix, _, ident = text.partition(":")
    if not ident:
        prefix, ident = expected, text
    if prefix != expected:
        raise InvalidInput(f"a {kind} proposal is about a {expected} ({expected}:<id>)")
    if expected == "process":
        body_id = registry.process_id(session, ident)
        return f"process:{body_id}", [body_id]
    if expected == "membership":
        row = session.get(Membership, int(ident)) if ident.isdigit() and len(ident) < 10 else None
        if row is None:
            raise NotFound("membership", ident)
        return f"membership:{row.id}", [row.body_id]
    if expected == "meeting":
        found = registry.get_meeting(session, ident, viewer=actor)
        return f"meeting:{found.id}", [found.body] if found.body else []
    doc = documents._get(session, ident, actor)
    return f"document:{doc.id}", sorted(governing_processes(session, doc.id))


def _split(changes: Mapping[str, Any]) -> tuple[dict[str, Any], Any, Any]:
    fields = dict(changes)
    return fields, fields.pop("source", None), fields.pop("as_of", None)


def _apply(session: Session, actor: Principal, kind: str, target: str, changes: Mapping) -> Any:
    """Make the change through the editing service; return what the service returns."""
    ident = target.partition(":")[2]
    fields, source, as_of = _split(changes)
    if kind == "process.edit":
        return processes.edit_process(session, actor, ident, fields, source=source, as_of=as_of)
    if kind == "membership.add":
        allowed = ("party", "role", "subgroup", "since", "note")
        unknown = sorted(set(fields) - set(allowed))
        if unknown:
            raise InvalidInput(f"cannot set {unknown[0]!r}; the fields are {', '.join(allowed)}")
        return memberships.add_membership(
            session,
            actor,
            ident,
            fields.get("party"),
            fields.get("role", "member"),
            source=source,
            as_of=as_of,
            subgroup=fields.get("subgroup"),
            since=fields.get("since"),
            note=fields.get("note"),
        )
    if kind in ("membership.edit", "membership.end"):
        row = session.get(Membership, int(ident))
        if row is None:
            raise NotFound("membership", ident)
        if kind == "membership.end":
            if set(fields) - {"until"}:
                raise InvalidInput("ending a membership takes until (and source, as_of)")
            return memberships.end_membership(
                session, actor, row.body_id, row.id, fields.get("until"), source=source, as_of=as_of
            )
        return memberships.edit_membership(
            session, actor, row.body_id, row.id, fields, source=source, as_of=as_of
        )
    if source is not None or as_of is not None:
        raise InvalidInput(f"a {kind} proposal takes no source or as_of")
    if kind == "meeting.create":
        return meetings.create_meeting(session, actor, ident, fields)
    if kind == "meeting.edit":
        return meetings.edit_meeting(session, actor, ident, fields)
    return document_edits.edit_document(session, actor, ident, fields)


def propose_change(
    session: Session,
    actor: Principal,
    kind: str,
    target: str,
    changes: Mapping[str, Any],
    *,
    comment: str | None = None,
) -> ProposalInfo:
    """Keep ``actor``'s change for a secretariat of the processes to decide."""
    if not isinstance(changes, Mapping) or not changes:
        raise InvalidInput("changes must be an object with the fields to change")
    text = json.dumps(changes, ensure_ascii=False, default=str)
    if len(text) > MAX_CHANGES_JSON:
        raise InvalidInput(f"a proposal's changes are at most {MAX_CHANGES_JSON} characters")
    canonical, owners = _target(session, actor, kind, target)
    if kind == "document.edit" and isinstance(changes.get("processes"), list | tuple | str):
        owners = sorted(set(owners) | set(document_edits._ids("processes", changes["processes"])))
    authorize(actor, Action.EDIT_PROPOSE, owners, proposals=True)
    note = clean_text("comment", comment, limit=2000)
    if actor.user_id is None:
        raise InvalidInput("a proposal is made by a user; the command line makes the change")
    pending = session.scalar(
        select(func.count())
        .select_from(Proposal)
        .where(Proposal.proposed_by == actor.user_id, Proposal.status == "pending")
    )
    if (pending or 0) >= MAX_PENDING_PER_USER:
        raise InvalidInput(f"at most {MAX_PENDING_PER_USER} proposals of one person wait at once")
    with session.begin_nested() as trial:  # the change must apply today; nothing of it stays
        _apply(session, SYSTEM, kind, canonical, changes)
        trial.rollback()
    proposal = Proposal(
        kind=kind,
        status="pending",
        proposed_by=actor.user_id,
        proposed_at=stamp(),
        target=canonical,
        changes=json.loads(text),
        comment=note,
        processes=owners,
        meetings=[],
    )
    session.add(proposal)
    session.flush()
    audit.record(
        session,
        actor,
        "proposal.create",
        "proposal",
        proposal.id,
        {"kind": kind, "target": canonical, "processes": owners},
    )
    return _info(session, proposal)


def approve_change(session: Session, actor: Principal, proposal_id: int) -> ProposalInfo:
    """Apply a pending change proposal as ``actor``, naming its proposer in the history."""
    visible_proposal(session, actor, proposal_id)
    proposal = _pending(session, proposal_id)
    if proposal.kind == "document":
        raise InvalidInput(f"proposal {proposal_id} is a document: approve it as one")
    authorize(actor, Action.PROPOSAL_DECIDE, proposal.processes)
    proposer = session.get(User, proposal.proposed_by)
    by = proposer.username if proposer else "?"
    result = _apply(
        session,
        actor.applying_proposal_of(by),
        proposal.kind,
        proposal.target or "",
        proposal.changes or {},
    )
    proposal.status = "approved"
    proposal.decided_by = actor.user_id
    proposal.decided_at = stamp()
    record = getattr(result, "id", None)
    audit.record(
        session,
        actor,
        "proposal.approve",
        "proposal",
        proposal.id,
        {"kind": proposal.kind, "target": proposal.target, "proposed_by": by, "record": record},
    )
    return _info(session, proposal)


def approve_proposal(
    database: Database, ingestor: Any, actor: Principal, proposal_id: int
) -> ProposalInfo:
    """Approve any pending proposal: a document is ingested, a change applied."""
    from rcphub.documents import proposals as document_proposals

    with database.session() as session:
        kind = visible_proposal(session, actor, proposal_id).kind
    if kind == "document":
        return document_proposals.approve(database, ingestor, actor, proposal_id)
    with database.write_session() as session:
        return approve_change(session, actor, proposal_id)
