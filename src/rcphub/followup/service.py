"""Follow-up services: propose items from a document, confirm or reject them, edit them,
report dated updates, and list items with their traffic lights.

Every writing function takes an open session and the ``actor`` (a
:class:`~rcphub.accounts.Principal`), asks the policy for ``FOLLOWUP_EDIT`` on the processes of
the item's source document (:func:`rcphub.accounts.scopes.governing_processes`; the rule for
contributors is in :mod:`rcphub.accounts.policy`), records the change in the audit log and the
actor's label on the item, and returns plain schemas. Refusals and validation come before any
write, so a refused request leaves nothing behind; the caller's session commits or rolls back
as a whole, audit entry included.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts import policy
from rcphub.accounts.policy import Action, Decision, Principal, authorize, visible_items_clause
from rcphub.accounts.scopes import governing_processes
from rcphub.db.followup_models import FollowupItem, FollowupUpdate
from rcphub.db.models import Body, Document, DocumentLink, Mention, Passage, State
from rcphub.errors import InvalidInput, NotFound
from rcphub.followup.detect import CANDIDATE_KINDS, detect_recommendations
from rcphub.followup.light import CLOSED_STATUSES, LIGHTS, STATUSES, traffic_light
from rcphub.followup.schemas import (
    CandidateOut,
    DetectionReport,
    ItemDetail,
    ItemList,
    ItemOut,
    LightOut,
    TimelineEvent,
    UpdateOut,
)
from rcphub.webhooks import events as webhook_events

PROCESS_KINDS = ("rcp", "irf", "global")
KINDS = CANDIDATE_KINDS  # recommendation, decision, commitment, request, conclusion
REVIEWS = ("proposed", "confirmed", "rejected")
MAX_TEXT = 20_000
MAX_NOTE = 5_000
MAX_EVIDENCE = 20
_ENTITY = re.compile(r"^(state|process|org):([A-Za-z0-9][A-Za-z0-9._-]{0,79})$")
_HUB_EVIDENCE = re.compile(r"^document:([0-9a-f]{16})(?:#([A-Za-z0-9._-]{1,40}))?$")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------- validation


def check_actor(actor: str) -> str:
    actor = (actor or "").strip()
    if not actor or len(actor) > 80 or any(ord(c) < 32 for c in actor):
        raise InvalidInput("the actor must be 1-80 printable characters")
    return actor


def actor_label(actor: Principal) -> str:
    """How items and updates name who made them (the audit log's label)."""
    return check_actor(actor.label[:80])


def authorize_followup(
    session: Session, actor: Principal, document_ids: set[str] | str, *, proposals: bool = False
) -> Decision:
    """May ``actor`` change the follow-up of these documents? Raises when not (401/403).
    ``proposals``: a contributor's PROPOSE is accepted (the item stays proposed)."""
    ids = {document_ids} if isinstance(document_ids, str) else document_ids
    return authorize(
        actor, Action.FOLLOWUP_EDIT, governing_processes(session, *sorted(ids)), proposals=proposals
    )


def check_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    if value not in choices:
        raise InvalidInput(f"{what} must be one of: {', '.join(choices)} (not {value[:40]!r})")
    return value


def check_progress(value: Any) -> int:
    try:
        number = int(str(value).strip().rstrip("%"))
    except (TypeError, ValueError):
        raise InvalidInput(
            f"progress must be a whole number 0-100 (not {str(value)[:20]!r})"
        ) from None
    if not 0 <= number <= 100:
        raise InvalidInput(f"progress must be 0-100 (not {number})")
    return number


def parse_date(value: Any, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(
            f"{what} must be a date as YYYY-MM-DD (not {str(value)[:30]!r})"
        ) from None


def check_addressees(session: Session, addressees: list[str]) -> list[str]:
    """``state:PER``, ``process:bali-process``, ``org:iom`` that the registry holds."""
    out: list[str] = []
    for raw in addressees:
        entity = raw.strip()
        if not entity:
            continue
        match = _ENTITY.match(entity)
        if match is None:
            raise InvalidInput(
                f"addressee {entity[:60]!r} is not state:ISO3, process:<id> or org:<id>"
            )
        kind, ident = match.groups()
        if kind == "state":
            entity = f"state:{ident.upper()}"
            known = session.get(State, ident.upper()) is not None
        else:
            body = session.get(Body, ident)
            known = body is not None and (body.kind in PROCESS_KINDS) == (kind == "process")
        if not known:
            raise InvalidInput(f"addressee {entity!r}: the registry has no such {kind}")
        if entity not in out:
            out.append(entity)
    return out


def check_evidence(session: Session, evidence: list[str]) -> list[str]:
    """Links to evidence: ``http(s)://`` addresses or passages of the hub
    (``document:<id>`` or ``document:<id>#<ref>``)."""
    out: list[str] = []
    for raw in evidence:
        link = raw.strip()
        if not link:
            continue
        hub = _HUB_EVIDENCE.match(link)
        if hub:
            document_id, ref = hub.groups()
            if session.get(Document, document_id) is None:
                raise InvalidInput(f"evidence {link!r}: no document with ID {document_id!r}")
            if ref and _passage(session, document_id, ref) is None:
                raise InvalidInput(f"evidence {link!r}: the document has no passage {ref!r}")
        else:
            parts = urlsplit(link)
            if (
                parts.scheme not in ("http", "https")
                or not parts.netloc
                or len(link) > 500
                or any(c.isspace() or ord(c) < 32 for c in link)
            ):
                raise InvalidInput(
                    f"evidence {link[:60]!r} is neither an http(s) address nor document:<id>#<ref>"
                )
        if link not in out:
            out.append(link)
    if len(out) > MAX_EVIDENCE:
        raise InvalidInput(f"at most {MAX_EVIDENCE} evidence links per update")
    return out


def check_text(text: str, what: str, limit: int) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise InvalidInput(f"{what} is over {limit:,} characters")
    if any(ord(c) < 32 and c not in "\n\t\r" for c in text):
        raise InvalidInput(f"{what} contains control characters")
    return text


# ---------------------------------------------------------------------------- reading


def _passage(session: Session, document_id: str, ref: str) -> Passage | None:
    return session.scalars(
        select(Passage).where(Passage.document_id == document_id, Passage.ref == ref)
    ).first()


def _document(session: Session, ident: str, viewer: Principal = policy.SYSTEM) -> Document:
    """The document ``ident`` as ``viewer`` may see it. Writes look it up as the system (who
    may write is the write policy's question); reads pass their viewer."""
    from rcphub.documents.service import _get

    return _get(session, ident, viewer)


def _item(session: Session, item_id: int | str) -> FollowupItem:
    try:
        number = int(str(item_id).strip().lstrip("#"))
    except ValueError:
        raise NotFound("follow-up item", str(item_id)[:40]) from None
    item = session.get(FollowupItem, number) if 0 < number < 2**31 else None
    if item is None:
        raise NotFound("follow-up item", str(item_id)[:40])
    return item


def _links(session: Session, document_ids: set[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    if document_ids:
        rows = session.execute(
            select(DocumentLink.document_id, DocumentLink.target)
            .where(DocumentLink.document_id.in_(document_ids))
            .order_by(DocumentLink.target)
        )
        for document_id, target in rows:
            out[document_id].append(target)
    return out


def _last_update(item: FollowupItem) -> FollowupUpdate | None:
    return max(item.updates, key=lambda u: (u.date, u.id), default=None)


def _light(item: FollowupItem, document: Document, today: date) -> LightOut | None:
    if item.review != "confirmed":
        return None
    last = _last_update(item)
    if last is not None:
        since = last.date
    elif document.date is not None:
        since = document.date
    else:
        since = date.fromisoformat((item.reviewed_at or item.created_at)[:10])
    light = traffic_light(
        status=item.status, last_activity=since, due_date=item.due_date, today=today
    )
    return LightOut(**light.__dict__)


def _update_out(update: FollowupUpdate) -> UpdateOut:
    return UpdateOut(
        id=update.id,
        date=update.date,
        status=update.status,
        progress=update.progress,
        note=update.note,
        evidence=list(update.evidence or []),
        created_by=update.created_by,
        created_at=update.created_at,
    )


def _item_out(
    item: FollowupItem, document: Document, links: list[str], today: date
) -> dict[str, Any]:
    last = _last_update(item)
    return {
        "id": item.id,
        "document": item.document_id,
        "ref": item.passage_ref,
        "document_language": document.language,
        "document_title": document.title,
        "document_date": document.date,
        "document_links": links,
        "kind": item.kind,
        "review": item.review,
        "text": item.text,
        "addressees": list(item.addressees or []),
        "due_date": item.due_date,
        "status": item.status,
        "progress": item.progress,
        "detection": item.detection,
        "created_by": item.created_by,
        "created_at": item.created_at,
        "reviewed_by": item.reviewed_by,
        "reviewed_at": item.reviewed_at,
        "visibility": item.visibility,
        "update_count": len(item.updates),
        "last_update": last.date if last else None,
        "light": _light(item, document, today),
    }


def item_summary(session: Session, item: FollowupItem, today: date | None = None) -> ItemOut:
    document = session.get(Document, item.document_id)
    assert document is not None  # the foreign key holds
    links = _links(session, {document.id})[document.id]
    return ItemOut(**_item_out(item, document, links, today or date.today()))


def get_item(
    session: Session,
    item_id: int | str,
    today: date | None = None,
    viewer: Principal = policy.ANONYMOUS,
) -> ItemDetail:
    """One item with its updates (oldest first) and its timeline; NotFound when ``viewer``
    may not read it (as for one that does not exist)."""
    today = today or date.today()
    item = _item(session, item_id)
    if not session.scalar(
        select(FollowupItem.id).where(FollowupItem.id == item.id, visible_items_clause(viewer))
    ):
        raise NotFound("follow-up item", str(item_id)[:40])
    document = session.get(Document, item.document_id)
    assert document is not None
    links = _links(session, {document.id})[document.id]
    updates = [_update_out(u) for u in sorted(item.updates, key=lambda u: (u.date, u.id))]
    timeline: list[TimelineEvent] = []
    if document.date is not None:
        timeline.append(TimelineEvent(date=document.date, event="adopted"))
    timeline.append(
        TimelineEvent(
            date=date.fromisoformat(item.created_at[:10]), event="proposed", actor=item.created_by
        )
    )
    if item.review != "proposed" and item.reviewed_at:
        timeline.append(
            TimelineEvent(
                date=date.fromisoformat(item.reviewed_at[:10]),
                event=item.review,
                actor=item.reviewed_by,
            )
        )
    timeline += [
        TimelineEvent(date=u.date, event="update", actor=u.created_by, update=u) for u in updates
    ]
    order = {"adopted": 0, "proposed": 1, "confirmed": 2, "rejected": 2, "update": 3}
    timeline.sort(key=lambda e: (e.date, order[e.event]))
    return ItemDetail(**_item_out(item, document, links, today), updates=updates, timeline=timeline)


def list_items(
    session: Session,
    *,
    process: str | None = None,
    meeting: str | None = None,
    document: str | None = None,
    addressee: str | None = None,
    review: str | None = "confirmed",
    status: str | None = None,
    light: str | None = None,
    today: date | None = None,
    viewer: Principal = policy.ANONYMOUS,
) -> ItemList:
    """Items, in document and passage order, filtered by:

    * ``process`` — addressed to the process, or from a document filed under it;
    * ``meeting`` — from a document filed under the meeting;
    * ``document``, ``addressee`` (``state:PER``), ``review`` (default confirmed; ``None``
      for all), ``status``, ``light`` (green, amber, red, closed);

    and always to the items ``viewer`` may read.
    """
    today = today or date.today()
    if review is not None:
        check_choice(review, REVIEWS, "review")
    if status is not None:
        check_choice(status, STATUSES, "status")
    if light is not None:
        check_choice(light, LIGHTS, "light")
    query = select(FollowupItem).where(visible_items_clause(viewer))
    if review is not None:
        query = query.where(FollowupItem.review == review)
    if status is not None:
        query = query.where(FollowupItem.status == status)
    if document is not None:
        query = query.where(FollowupItem.document_id == _document(session, document, viewer).id)
    if meeting is not None:
        from rcphub import registry

        meeting_id = registry.get_meeting(session, meeting).id
        query = query.where(
            FollowupItem.document_id.in_(
                select(DocumentLink.document_id).where(
                    DocumentLink.target == f"meeting:{meeting_id}"
                )
            )
        )
    process_ref = None
    if process is not None:
        from rcphub import registry

        body = session.get(Body, registry.get_process(session, process).id)
        assert body is not None
        prefix = "process" if body.kind in PROCESS_KINDS else "org"
        process_ref = f"{prefix}:{body.id}"
    items = list(session.scalars(query))
    documents = {
        d.id: d
        for d in session.scalars(
            select(Document).where(Document.id.in_({i.document_id for i in items}))
        )
    }
    links = _links(session, set(documents))
    if process_ref is not None:
        items = [
            i
            for i in items
            if process_ref in (i.addressees or []) or process_ref in links.get(i.document_id, [])
        ]
    if addressee is not None:
        items = [i for i in items if addressee in (i.addressees or [])]
    positions = _positions(session, items)
    items.sort(
        key=lambda i: (
            documents[i.document_id].date or date.min,
            i.document_id,
            positions.get(i.id, 0),
        )
    )
    out = [
        ItemOut(**_item_out(i, documents[i.document_id], links.get(i.document_id, []), today))
        for i in items
    ]
    if light is not None:
        out = [i for i in out if i.light is not None and i.light.colour == light]
    counts = dict.fromkeys(LIGHTS, 0)
    counts["proposed"] = 0
    for item in out:
        if item.light is not None:
            counts[item.light.colour] += 1
        elif item.review == "proposed":
            counts["proposed"] += 1
    return ItemList(today=today, total=len(out), counts=counts, items=out)


def _positions(session: Session, items: list[FollowupItem]) -> dict[int, int]:
    """Item id → the position of its passage in its document."""
    if not items:
        return {}
    wanted = {(i.document_id, i.passage_ref): i.id for i in items}
    rows = session.execute(
        select(Passage.document_id, Passage.ref, Passage.position).where(
            Passage.document_id.in_({i.document_id for i in items})
        )
    )
    return {wanted[(d, r)]: pos for d, r, pos in rows if (d, r) in wanted}


def tracked_refs(
    session: Session, document_id: str, viewer: Principal = policy.ANONYMOUS
) -> dict[str, ItemOut]:
    """Ref → the item of that passage, for marks on a document page: items ``viewer`` may
    read of this document, and of the same ref in its other language versions (where this one
    has none)."""
    document = _document(session, document_id, viewer)
    versions = session.scalars(
        select(Document.id).where(Document.work_id == document.work_id)
    ).all()
    items = session.scalars(
        select(FollowupItem).where(
            FollowupItem.document_id.in_(versions), visible_items_clause(viewer)
        )
    ).all()
    out: dict[str, ItemOut] = {}
    for item in sorted(items, key=lambda i: i.document_id != document.id):
        if item.passage_ref not in out:
            out[item.passage_ref] = item_summary(session, item)
    return out


# ---------------------------------------------------------------------------- writing


def _mentions(session: Session, document_id: str, refs: list[str]) -> list[str]:
    rows = session.execute(
        select(Mention.entity)
        .join(Passage, Passage.id == Mention.passage_id)
        .where(Passage.document_id == document_id, Passage.ref.in_(refs))
        .order_by(Passage.position, Mention.start)
    )
    return list(dict.fromkeys(entity for (entity,) in rows))


def _new_item(
    session: Session,
    document: Document,
    passage: Passage,
    *,
    kind: str,
    review: str,
    actor: str,
    text: str | None = None,
    addressees: list[str] | None = None,
    due_date: date | None = None,
    detection: dict[str, Any] | None = None,
) -> FollowupItem:
    if addressees is None:  # the passage's mentions, and its lead-in's
        refs = [passage.ref] + ([passage.parent_ref] if passage.parent_ref else [])
        addressees = list(_mentions(session, document.id, refs))
    stamp = now()
    item = FollowupItem(
        document_id=document.id,
        passage_ref=passage.ref,
        kind=kind,
        review=review,
        text=text or passage.text,
        addressees=addressees,
        due_date=due_date,
        status="not_started",
        progress=0,
        detection=detection,
        created_by=actor,
        created_at=stamp,
        reviewed_by=actor if review != "proposed" else None,
        reviewed_at=stamp if review != "proposed" else None,
    )
    session.add(item)
    return item


def _tracked_elsewhere(session: Session, document: Document) -> set[str]:
    """Refs with an item in this document or another language version of it."""
    versions = select(Document.id).where(Document.work_id == document.work_id)
    return set(
        session.scalars(
            select(FollowupItem.passage_ref).where(FollowupItem.document_id.in_(versions))
        )
    )


def preview_detection(
    session: Session, document_id: str, viewer: Principal, limit: int = 50
) -> list[CandidateOut]:
    """What :func:`detect_document` would propose in a document ``viewer`` may read, without
    writing anything (the upload result shows it): passages already tracked here or in another
    language version are left out; at most ``limit``."""
    document = _document(session, document_id, viewer)
    passages = session.scalars(
        select(Passage).where(Passage.document_id == document.id).order_by(Passage.position)
    ).all()
    tracked = _tracked_elsewhere(session, document)
    by_ref = {p.ref: p for p in passages}
    out = []
    for candidate in detect_recommendations(list(passages), document.language):
        if candidate.ref in tracked:
            continue
        text = by_ref[candidate.ref].text
        out.append(
            CandidateOut(
                ref=candidate.ref,
                kind=candidate.kind,
                text=text if len(text) <= 200 else text[:199].rsplit(" ", 1)[0] + "…",
                reasons=candidate.reasons,
                due_date=candidate.due_date,
            )
        )
        if len(out) >= limit:
            break
    return out


def detect_document(session: Session, document_id: str, actor: Principal) -> DetectionReport:
    """Propose the recommendations and conclusions detection finds in a document; passages
    already tracked (here or in another language version) are left alone, so running it
    again proposes nothing new. A contributor of the processes may run it too (the items are
    proposals)."""
    document = _document(session, document_id)
    authorize_followup(session, actor, document.id, proposals=True)
    who = actor_label(actor)
    passages = session.scalars(
        select(Passage).where(Passage.document_id == document.id).order_by(Passage.position)
    ).all()
    tracked = _tracked_elsewhere(session, document)
    by_ref = {p.ref: p for p in passages}
    created, skipped = [], []
    for candidate in detect_recommendations(list(passages), document.language):
        if candidate.ref in tracked:
            skipped.append(candidate.ref)
            continue
        created.append(
            _new_item(
                session,
                document,
                by_ref[candidate.ref],
                kind=candidate.kind,
                review="proposed",
                actor=who,
                due_date=candidate.due_date,
                detection={"score": candidate.score, "reasons": candidate.reasons},
            )
        )
    session.flush()
    audit.record(
        session,
        actor,
        "followup.detect",
        "document",
        document.id,
        {"proposed": [item.id for item in created], "already_tracked": skipped},
    )
    return DetectionReport(
        document=document.id,
        proposed=[item_summary(session, item) for item in created],
        already_tracked=skipped,
    )


def set_item_visibility(
    session: Session, item_id: int | str, visibility: str, actor: Principal
) -> ItemOut:
    """Make an item public or restricted to the processes of its source document (an item of
    a restricted document stays unreadable to outsiders either way). ``actor`` must be a
    secretariat of those processes (or an admin); the change goes to the audit log."""
    wanted = policy.check_visibility(visibility).value
    item = _item(session, item_id)
    if not session.scalar(
        select(FollowupItem.id).where(FollowupItem.id == item.id, visible_items_clause(actor))
    ):
        raise NotFound("follow-up item", str(item_id)[:40])
    authorize(actor, Action.FOLLOWUP_EDIT, governing_processes(session, item.document_id))
    if item.visibility != wanted:
        audit.record(
            session,
            actor,
            "followup.visibility",
            "followup_item",
            item.id,
            {"from": item.visibility, "to": wanted},
        )
        item.visibility = wanted
        session.flush()
    return item_summary(session, item)


def create_item(
    session: Session,
    document_id: str,
    ref: str,
    *,
    kind: str = "recommendation",
    text: str | None = None,
    addressees: list[str] | None = None,
    due_date: date | str | None = None,
    confirm: bool = False,
    actor: Principal,
) -> ItemOut:
    """Track a passage by hand (proposed, or confirmed at once with ``confirm``: that needs a
    secretariat; a contributor may only propose)."""
    check_choice(kind, KINDS, "kind")
    document = _document(session, document_id)
    authorize_followup(session, actor, document.id, proposals=not confirm)
    who = actor_label(actor)
    passage = _passage(session, document.id, (ref or "").strip())
    if passage is None:
        raise NotFound("passage", f"{document.id} {ref[:40]}")
    if passage.ref in _tracked_elsewhere(session, document):
        raise InvalidInput(
            f"passage {passage.ref} of {document.id} (or of another language version) "
            "is already tracked"
        )
    clean_text = check_text(text or "", "text", MAX_TEXT) or None
    clean_addressees = check_addressees(session, addressees) if addressees is not None else None
    item = _new_item(
        session,
        document,
        passage,
        kind=kind,
        review="confirmed" if confirm else "proposed",
        actor=who,
        text=clean_text,
        addressees=clean_addressees,
        due_date=parse_date(due_date, "due date"),
    )
    session.flush()
    if confirm:
        webhook_events.item_confirmed(session, item)
    audit.record(
        session,
        actor,
        "followup.create",
        "followup_item",
        item.id,
        {"document": document.id, "ref": passage.ref, "review": item.review},
    )
    return item_summary(session, item)


def review_item(session: Session, item_id: int | str, decision: str, actor: Principal) -> ItemOut:
    """Confirm or reject an item (either can be changed later by another review)."""
    item = _item(session, item_id)
    authorize_followup(session, actor, item.document_id)
    decision = {"confirm": "confirmed", "reject": "rejected"}.get(decision, decision)
    check_choice(decision, ("confirmed", "rejected"), "decision")
    newly_confirmed = decision == "confirmed" and item.review != "confirmed"
    item.review = decision
    item.reviewed_by = actor_label(actor)
    item.reviewed_at = now()
    session.flush()
    if newly_confirmed:
        webhook_events.item_confirmed(session, item)
    audit.record(session, actor, "followup.review", "followup_item", item.id, {"review": decision})
    return item_summary(session, item)


_UNSET: Any = object()


def edit_item(
    session: Session,
    item_id: int | str,
    *,
    text: str | None = None,
    kind: str | None = None,
    addressees: list[str] | None = None,
    due_date: date | str | None = _UNSET,
    actor: Principal,
) -> ItemOut:
    """Change an item's text, kind, addressees or due date (``due_date=None`` clears it)."""
    item = _item(session, item_id)
    authorize_followup(session, actor, item.document_id)
    changes: dict[str, Any] = {}
    if text is not None:
        changes["text"] = check_text(text, "text", MAX_TEXT)
        if not changes["text"]:
            raise InvalidInput("text must not be empty")
    if kind is not None:
        changes["kind"] = check_choice(kind, KINDS, "kind")
    if addressees is not None:
        changes["addressees"] = check_addressees(session, addressees)
    if due_date is not _UNSET:
        changes["due_date"] = parse_date(due_date, "due date")
    for name, value in changes.items():
        setattr(item, name, value)
    session.flush()
    audit.record(
        session, actor, "followup.edit", "followup_item", item.id, {"changed": sorted(changes)}
    )
    return item_summary(session, item)


def check_update(
    session: Session,
    *,
    day: date | str | None,
    status: str,
    progress: Any,
    note: str,
    evidence: list[str],
    today: date,
) -> dict[str, Any]:
    """The fields of an update, validated (shared with the CSV import)."""
    when = parse_date(day, "date") or today
    if when > today:
        raise InvalidInput(f"an update cannot be dated in the future ({when.isoformat()})")
    if when.year < 1945:
        raise InvalidInput(f"an update dated {when.isoformat()} is too old to be real")
    check_choice(status, STATUSES, "status")
    if progress is None or progress == "":
        number = 100 if status == "completed" else 0
    else:
        number = check_progress(progress)
    if status == "completed" and number != 100:
        raise InvalidInput("a completed item has 100% progress")
    if status == "not_started" and number != 0:
        raise InvalidInput("an item not started has 0% progress")
    return {
        "date": when,
        "status": status,
        "progress": number,
        "note": check_text(note, "note", MAX_NOTE),
        "evidence": check_evidence(session, evidence),
    }


def _apply_latest(item: FollowupItem) -> None:
    last = _last_update(item)
    if last is not None:
        item.status, item.progress = last.status, last.progress


def add_update(
    session: Session,
    item_id: int | str,
    *,
    status: str,
    progress: Any = None,
    note: str = "",
    evidence: list[str] | None = None,
    day: date | str | None = None,
    actor: Principal,
    today: date | None = None,
) -> ItemDetail:
    """Report an update on a confirmed item: its status and % progress as of ``day``
    (default today), a note and evidence links. The item's status is its newest update's.
    Needs a secretariat of the processes (a contributor's update is refused)."""
    today = today or date.today()
    item = _item(session, item_id)
    authorize_followup(session, actor, item.document_id)
    if item.review != "confirmed":
        raise InvalidInput(f"item {item.id} is {item.review}: confirm it before reporting updates")
    fields = check_update(
        session,
        day=day,
        status=status,
        progress=progress,
        note=note,
        evidence=evidence or [],
        today=today,
    )
    update = FollowupUpdate(**fields, created_by=actor_label(actor), created_at=now())
    item.updates.append(update)
    session.flush()
    _apply_latest(item)
    session.flush()
    webhook_events.update_added(session, item, update)
    audit.record(
        session,
        actor,
        "followup.update",
        "followup_item",
        item.id,
        {
            "update": update.id,
            "date": fields["date"].isoformat(),
            "status": fields["status"],
            "progress": fields["progress"],
        },
    )
    # the caller was allowed to write it (the write policy), so it reads it back whole
    return get_item(session, item.id, today, policy.SYSTEM)


__all__ = [
    "CLOSED_STATUSES",
    "KINDS",
    "REVIEWS",
    "actor_label",
    "add_update",
    "authorize_followup",
    "create_item",
    "detect_document",
    "edit_item",
    "get_item",
    "item_summary",
    "list_items",
    "preview_detection",
    "review_item",
    "set_item_visibility",
    "tracked_refs",
]
