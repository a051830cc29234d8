"""Updates a process publishes: publish, edit, withdraw. Reads go through
:mod:`rcphub.feeds.content`, where the visibility rule lives.

Each function takes the session of the caller's transaction and the acting principal, asks the
policy (:data:`~rcphub.accounts.policy.Action.UPDATE_PUBLISH`: a secretariat of the process or
an admin) and writes the audit entry in that same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub import audit, registry
from rcphub.accounts.policy import (
    Action,
    Principal,
    authorize,
    check_visibility,
    visible_documents_clause,
)
from rcphub.accounts.timeutil import stamp
from rcphub.config import LANGUAGES
from rcphub.db import Document, ProcessUpdate
from rcphub.errors import InvalidInput, NotFound
from rcphub.feeds.content import update_out
from rcphub.feeds.schemas import ProcessUpdateOut

MAX_TITLE = 300
MAX_BODY = 20_000
MAX_LINKS = 20
LINK = re.compile(r"(document|meeting):([A-Za-z0-9._-]{1,80})")


def _texts(titles: Mapping[str, str], bodies: Mapping[str, str]) -> tuple[dict, dict]:
    unknown = sorted((set(titles) | set(bodies)) - set(LANGUAGES))
    if unknown:
        raise InvalidInput(
            f"unknown language {unknown[0]!r}; the languages are {', '.join(LANGUAGES)}"
        )
    clean_titles = {k: " ".join(v.split()) for k, v in titles.items() if v and v.strip()}
    clean_bodies = {
        k: v.strip().replace("\r\n", "\n") for k, v in bodies.items() if v and v.strip()
    }
    if not clean_titles:
        raise InvalidInput("an update needs a title in at least one language")
    missing = sorted(set(clean_bodies) - set(clean_titles))
    if missing:
        raise InvalidInput(f"the text in {missing[0]!r} has no title in that language")
    for lang, title in clean_titles.items():
        if len(title) > MAX_TITLE:
            raise InvalidInput(f"the title in {lang!r} is longer than {MAX_TITLE} characters")
    for lang, body in clean_bodies.items():
        if len(body) > MAX_BODY:
            raise InvalidInput(f"the text in {lang!r} is longer than {MAX_BODY} characters")
    for text in [*clean_titles.values(), *clean_bodies.values()]:
        if any(ord(c) < 32 and c not in "\n\t" for c in text):
            raise InvalidInput("the text contains control characters")
    ordered = list(LANGUAGES)
    return (
        {k: clean_titles[k] for k in ordered if k in clean_titles},
        {k: clean_bodies[k] for k in ordered if k in clean_bodies},
    )


def _links(session: Session, links: Iterable[str], actor: Principal) -> list[str]:
    """The links checked: a document the actor may not read is "not found", exactly like one
    that does not exist (the answer must not confirm it exists)."""
    found: list[str] = []
    for raw in links:
        link = (raw or "").strip()
        if not link:
            continue
        match = LINK.fullmatch(link)
        if match is None:
            raise InvalidInput(f"a link is document:<id> or meeting:<id>, not {link[:40]!r}")
        kind, ident = match.groups()
        if kind == "document":
            readable = session.scalar(
                select(Document.id).where(Document.id == ident, visible_documents_clause(actor))
            )
            if readable is None:
                raise NotFound("document", ident)
        else:
            ident = registry.get_meeting(session, ident).id
        canonical = f"{kind}:{ident}"
        if canonical not in found:
            found.append(canonical)
    if len(found) > MAX_LINKS:
        raise InvalidInput(f"an update links to at most {MAX_LINKS} documents and meetings")
    return found


def _visibility(value: str) -> str:
    """``public`` or ``restricted`` (to the process's members and secretariat), the words of
    documents and follow-up items too."""
    return check_visibility(value).value
    return value


def publish_update(
    session: Session,
    actor: Principal,
    process: str,
    titles: Mapping[str, str],
    bodies: Mapping[str, str] | None = None,
    links: Iterable[str] = (),
    visibility: str = "public",
) -> ProcessUpdateOut:
    """Publish an update of ``process``: a title in at least one language, a text in any of
    the languages that have a title, links to documents and meetings."""
    process_id = registry.get_process(session, process).id
    authorize(actor, Action.UPDATE_PUBLISH, [process_id])
    clean_titles, clean_bodies = _texts(titles, bodies or {})
    row = ProcessUpdate(
        process_id=process_id,
        titles=clean_titles,
        bodies=clean_bodies,
        links=_links(session, links, actor),
        visibility=_visibility(visibility),
        published_by=actor.label[:120],
        user_id=actor.user_id,
        published_at=stamp(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "update.publish",
        "process_update",
        row.id,
        {"process": process_id, "languages": sorted(clean_titles), "visibility": row.visibility},
    )
    return update_out(row)


def _row(session: Session, update_id: int) -> ProcessUpdate:
    row = session.get(ProcessUpdate, update_id) if 0 < update_id < 2**31 else None
    if row is None:
        raise NotFound("update", str(update_id))
    return row


def edit_update(
    session: Session,
    actor: Principal,
    update_id: int,
    titles: Mapping[str, str],
    bodies: Mapping[str, str] | None = None,
    links: Iterable[str] = (),
    visibility: str = "public",
) -> ProcessUpdateOut:
    """Replace the texts, links and visibility of an update (it keeps its date)."""
    row = _row(session, update_id)
    authorize(actor, Action.UPDATE_PUBLISH, [row.process_id])
    row.titles, row.bodies = _texts(titles, bodies or {})
    row.links = _links(session, links, actor)
    row.visibility = _visibility(visibility)
    row.edited_at = stamp()
    audit.record(
        session,
        actor,
        "update.edit",
        "process_update",
        row.id,
        {"process": row.process_id, "languages": sorted(row.titles), "visibility": row.visibility},
    )
    return update_out(row)


def withdraw_update(session: Session, actor: Principal, update_id: int) -> None:
    """Delete an update; the audit log keeps its titles."""
    row = _row(session, update_id)
    authorize(actor, Action.UPDATE_PUBLISH, [row.process_id])
    audit.record(
        session,
        actor,
        "update.withdraw",
        "process_update",
        row.id,
        {"process": row.process_id, "titles": dict(row.titles)},
    )
    session.delete(row)
