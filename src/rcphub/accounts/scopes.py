"""What belongs to which processes: the targets the policy is asked about for stored things.

Pure queries over the registry and the documents (no decisions: those are
:mod:`rcphub.accounts.policy`'s), shared by every write path on documents, their theme tags and
the follow-up items drawn from them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub.db.models import DocumentLink, Meeting

__all__ = ["governing_processes"]


def governing_processes(session: Session, *document_ids: str) -> frozenset[str]:
    """The processes whose secretariat may change these documents, their theme tags and the
    follow-up items drawn from them (the rule is drawn in :mod:`rcphub.accounts.policy`).

    Per document: the processes it is filed under; for one filed under meetings only, the
    bodies those meetings belong to (a GFMD summit: ``gfmd``). A document filed under neither,
    or under a meeting the registry knows no process of (the global RCP meetings), is for an
    admin only: then the answer is the empty set, which the policy grants to admins only."""
    scopes: list[set[str]] = []
    for document_id in dict.fromkeys(document_ids):
        targets = set(
            session.scalars(
                select(DocumentLink.target).where(DocumentLink.document_id == document_id)
            )
        )
        processes = {t.removeprefix("process:") for t in targets if t.startswith("process:")}
        if not processes:
            meetings = [t.removeprefix("meeting:") for t in targets if t.startswith("meeting:")]
            bodies = [
                session.scalar(select(Meeting.body_id).where(Meeting.id == m)) for m in meetings
            ]
            if not bodies or any(body is None for body in bodies):
                return frozenset()
            processes = {body for body in bodies if body is not None}
        scopes.append(processes)
    return frozenset().union(*scopes)
