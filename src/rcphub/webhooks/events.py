"""Events into the outbox, in the transaction of the change they describe.

Write paths call :func:`document_added`, :func:`item_confirmed` or :func:`update_added` with
their own session; :func:`emit` adds one :class:`~rcphub.db.WebhookDelivery` row per active
subscription that wants the event, so the rows commit or roll back with the change. Nothing is
sent here: the deliverer (:mod:`rcphub.webhooks.delivery`) reads the outbox.

**Visibility.** A subscriber is a machine somewhere else, not a member of any process: it may
receive only what an anonymous visitor may see. :func:`shown_to_subscribers` is the one check,
made before any row is written.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub import urls
from rcphub.accounts.policy import ANONYMOUS, may_read
from rcphub.db import Document, DocumentLink, Meeting, WebhookDelivery, WebhookSubscription
from rcphub.webhooks.timing import moment, utcnow

__all__ = [
    "EVENT_TYPES",
    "Subject",
    "document_added",
    "emit",
    "item_confirmed",
    "shown_to_subscribers",
    "update_added",
]

EVENT_TYPES: dict[str, str] = {
    "document.added": "a document was stored (uploaded or ingested)",
    "followup.item.confirmed": "a recommendation or conclusion was confirmed for follow-up",
    "followup.update.added": "an update (status, progress, note) was reported on an item",
}


@dataclass(frozen=True)
class Subject:
    """What an event is about: for the subscription filters and the visibility check."""

    processes: frozenset[str] = field(default_factory=frozenset)
    states: frozenset[str] = field(default_factory=frozenset)
    visibility: str = "public"


def shown_to_subscribers(subject: Subject) -> bool:
    """May content about ``subject`` go out by webhook? Only what an anonymous visitor may
    read, as the policy (:func:`rcphub.accounts.policy.may_read`) says: a subscriber is not
    known to be a member of anything."""
    return may_read(ANONYMOUS, subject.visibility, subject.processes)


def _wants(subscription: WebhookSubscription, event_type: str, subject: Subject) -> bool:
    if event_type not in (subscription.event_types or []):
        return False
    if subscription.process_id and subscription.process_id not in subject.processes:
        return False
    return not (subscription.state_iso3 and subscription.state_iso3 not in subject.states)


def _subscribed(session: Session, event_type: str) -> list[WebhookSubscription]:
    """The active subscriptions to ``event_type``, whatever their filters: the write paths ask
    first and skip working out an event's subject when nobody listens (ingest does, for every
    document of a batch)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    table = WebhookSubscription.__table__
    anyone = select(table.c.id).where(table.c.active.is_(True)).limit(1)
    if session.connection().execute(anyone).first() is None:  # Core: no ORM work per call
        return []
    return [
        s
        for s in session.scalars(
            select(WebhookSubscription).where(WebhookSubscription.active.is_(True))
        )
        if event_type in (s.event_types or [])
    ]


def emit(
    session: Session,
    event_type: str,
    data: dict[str, Any],
    subject: Subject,
    subscribed: list[WebhookSubscription] | None = None,
) -> int:
    """Write the event for every subscription that wants it; the number of rows written.
    ``subscribed``: what :func:`_subscribed` returned, if the caller asked already."""
    if subscribed is None:
        subscribed = _subscribed(session, event_type)
    if not shown_to_subscribers(subject):
        return 0
    subscriptions = [s for s in subscribed if _wants(s, event_type, subject)]
    if not subscriptions:
        return 0
    now = utcnow()
    event_id = str(uuid.uuid4())
    occurred_at = now.isoformat(timespec="seconds")
    body = json.dumps(
        {"id": event_id, "type": event_type, "occurred_at": occurred_at, "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    for subscription in subscriptions:
        session.add(
            WebhookDelivery(
                id=str(uuid.uuid4()),
                subscription_id=subscription.id,
                event_id=event_id,
                event_type=event_type,
                occurred_at=occurred_at,
                body=body,
                status="pending",
                attempts=0,
                next_attempt_at=moment(now),
                created_at=moment(now),
            )
        )
    return len(subscriptions)


def _split(entities: Iterable[str], session: Session) -> Subject:
    """Processes and states named by entity references and link targets (``process:x``,
    ``state:PER``, ``meeting:y`` counts for the process that held it)."""
    processes: set[str] = set()
    states: set[str] = set()
    for entity in entities:
        kind, _, ident = entity.partition(":")
        if kind == "process":
            processes.add(ident)
        elif kind == "state":
            states.add(ident)
        elif kind == "meeting":
            meeting = session.get(Meeting, ident)
            if meeting is not None and meeting.body_id:
                processes.add(meeting.body_id)
    return Subject(processes=frozenset(processes), states=frozenset(states))


def _document_targets(session: Session, document_id: str) -> list[str]:
    return list(
        session.scalars(select(DocumentLink.target).where(DocumentLink.document_id == document_id))
    )


def document_added(
    session: Session,
    document_id: str,
    document: dict[str, Any],
    mentioned: Iterable[str],
    targets: list[str] | None = None,
) -> int:
    """``document.added``: the document's processes are those it is filed under (directly or
    by a meeting: ``targets``, read from the database when not given) and those it mentions;
    its states, those it mentions."""
    subscribed = _subscribed(session, "document.added")
    if not subscribed:
        return 0
    if targets is None:
        targets = _document_targets(session, document_id)
    subject = replace(
        _split([*targets, *mentioned], session),
        visibility=document.get("visibility") or "public",
    )
    data = {
        "document": {
            "id": document_id,
            "title": document.get("title"),
            "language": document.get("language"),
            "filename": document.get("filename"),
            "symbol": document.get("symbol"),
            "path": urls.document(document_id),
        },
        "links": targets,
        "processes": sorted(subject.processes),
        "states": sorted(subject.states),
    }
    return emit(session, "document.added", data, subject, subscribed)


def _item_subject(session: Session, item: Any) -> Subject:
    """An item is restricted when it or its document is (never more visible than its
    document)."""
    document_visibility = session.scalar(
        select(Document.visibility).where(Document.id == item.document_id)
    )
    restricted = "restricted" in (getattr(item, "visibility", "public"), document_visibility)
    return replace(
        _split([*(item.addressees or []), *_document_targets(session, item.document_id)], session),
        visibility="restricted" if restricted else "public",
    )


def _item_data(item: Any, subject: Subject) -> dict[str, Any]:
    return {
        "item": {
            "id": item.id,
            "document_id": item.document_id,
            "passage_ref": item.passage_ref,
            "kind": item.kind,
            "text": item.text,
            "addressees": list(item.addressees or []),
            "due_date": item.due_date.isoformat() if item.due_date else None,
            "status": item.status,
            "progress": item.progress,
            "path": urls.followup_item(item.id),
        },
        "processes": sorted(subject.processes),
        "states": sorted(subject.states),
    }


def item_confirmed(session: Session, item: Any) -> int:
    """``followup.item.confirmed`` for a :class:`~rcphub.db.FollowupItem` (flushed)."""
    subscribed = _subscribed(session, "followup.item.confirmed")
    if not subscribed:
        return 0
    subject = _item_subject(session, item)
    data = _item_data(item, subject)
    return emit(session, "followup.item.confirmed", data, subject, subscribed)


def update_added(session: Session, item: Any, update: Any) -> int:
    """``followup.update.added`` for an item and its new :class:`~rcphub.db.FollowupUpdate`."""
    subscribed = _subscribed(session, "followup.update.added")
    if not subscribed:
        return 0
    subject = _item_subject(session, item)
    data = _item_data(item, subject)
    data["update"] = {
        "id": update.id,
        "date": update.date.isoformat(),
        "status": update.status,
        "progress": update.progress,
        "note": update.note,
        "evidence": list(update.evidence or []),
        "by": update.created_by,
    }
    return emit(session, "followup.update.added", data, subject, subscribed)
