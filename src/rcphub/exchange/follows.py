"""What a signed-in user follows, how they hear of it, and their "What's new".

A user follows a process, a state, a theme (``scheme/code``) or a saved search (the query string
of ``/search``). What is new about them comes from :func:`rcphub.feeds.content.followed_items`
— the reads and the visibility rule of the feeds — so the page, the API and the digests show
the same things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from rcphub import audit, registry
from rcphub.accounts.policy import Principal
from rcphub.accounts.timeutil import now, stamp
from rcphub.config import LANGUAGES
from rcphub.db import DigestSend, Follow, UserPreference
from rcphub.db.models import Body, Concept, State
from rcphub.errors import InvalidInput, NotFound, Unauthenticated
from rcphub.exchange.schemas import FollowOut, PreferencesOut
from rcphub.feeds import content
from rcphub.feeds.schemas import FeedItem

DIGESTS = ("off", "daily", "weekly")
MAX_FOLLOWS = 200
MAX_TARGET = 500
FIRST_LOOK = timedelta(days=30)
"""How far back "What's new" looks for someone who has never marked it as seen."""
EMAIL = re.compile(
    r"[^@\s<>,;\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)


def _user(principal: Principal) -> int:
    if not principal.authenticated or principal.user_id is None:
        raise Unauthenticated("sign in first")
    return principal.user_id


def _writer(principal: Principal) -> int:
    user_id = _user(principal)
    if principal.scope != "write":
        from rcphub.errors import Forbidden

        raise Forbidden("this token may only read")
    return user_id


def normalise_target(session: Session, kind: str, target: str) -> str:
    """The canonical spelling of a subject (``bali-process``, ``PER``, ``gcm/23``), or
    NotFound / InvalidInput."""
    target = (target or "").strip()
    if not target:
        raise InvalidInput("say what to follow")
    if len(target) > MAX_TARGET:
        raise InvalidInput(f"what to follow is longer than {MAX_TARGET} characters")
    if kind == "process":
        return registry.get_process(session, target).id
    if kind == "state":
        return registry.get_state(session, target).iso3
    if kind == "theme":
        scheme, _, code = target.partition("/")
        if not code:
            raise InvalidInput("a theme is scheme/code, e.g. gcm/23 or hld2013/rt1")
        concept = content.find_concept(session, scheme, code)
        return f"{concept.scheme_id}/{concept.code}"
    if kind == "search":
        query = content.saved_search(target)
        pairs: list[tuple[str, str]] = []
        if query.q.strip():
            pairs.append(("q", query.q.strip()))
        if query.mode.value != "hybrid":
            pairs.append(("mode", query.mode.value))
        for name, values in query.parameter_filters().items():
            pairs += [("language" if name == "lang" else name, v) for v in values]
        canonical = urlencode(pairs)
        if len(canonical) > MAX_TARGET:
            raise InvalidInput(f"the search is longer than {MAX_TARGET} characters")
        return canonical
    raise InvalidInput(f"one follows a {', a '.join(content.FOLLOW_KINDS)}; not {kind[:20]!r}")


def subject_names(
    session: Session, subjects: list[tuple[str, str]]
) -> dict[tuple[str, str], tuple[dict[str, str], str | None]]:
    """What each followed subject (``kind``, ``target``) is called — names by language and
    an acronym: a process's or organisation's names, a state's (UN M49), a theme's title —
    in three queries whatever the number of subjects. A search has no name (its words say
    what it is); a subject the registry no longer holds is left out."""
    wanted: dict[str, set[str]] = {"process": set(), "state": set(), "theme": set()}
    for kind, target in subjects:
        if kind in wanted:
            wanted[kind].add(target)
    found: dict[tuple[str, str], tuple[dict[str, str], str | None]] = {}
    if wanted["process"]:
        for body in session.scalars(select(Body).where(Body.id.in_(wanted["process"]))):
            found[("process", body.id)] = (dict(body.names or {}), body.acronym)
    if wanted["state"]:
        for state in session.scalars(select(State).where(State.iso3.in_(wanted["state"]))):
            found[("state", state.iso3)] = (dict(state.names or {}), None)
    if wanted["theme"]:
        keys = [tuple(t.split("/", 1)) for t in wanted["theme"] if "/" in t]
        for concept in session.scalars(
            select(Concept).where(tuple_(Concept.scheme_id, Concept.code).in_(keys))
        ):
            labels = dict(concept.labels or {})
            found[("theme", f"{concept.scheme_id}/{concept.code}")] = (labels, None)
    return found


def _follow_out(row: Follow, names: tuple[dict[str, str], str | None] | None = None) -> FollowOut:
    known, acronym = names or ({}, None)
    return FollowOut(
        id=row.id,
        kind=row.kind,
        target=row.target,
        created_at=row.created_at,
        names=known,
        acronym=acronym,
    )


def follow(session: Session, principal: Principal, kind: str, target: str) -> FollowOut:
    """Follow a subject (again: nothing changes)."""
    user_id = _writer(principal)
    canonical = normalise_target(session, kind, target)
    existing = session.scalar(
        select(Follow).where(
            Follow.user_id == user_id, Follow.kind == kind, Follow.target == canonical
        )
    )
    named = subject_names(session, [(kind, canonical)]).get((kind, canonical))
    if existing is not None:
        return _follow_out(existing, named)
    if len(list_follows(session, principal)) >= MAX_FOLLOWS:
        raise InvalidInput(f"one may follow at most {MAX_FOLLOWS} subjects")
    row = Follow(user_id=user_id, kind=kind, target=canonical, created_at=stamp())
    session.add(row)
    session.flush()
    audit.record(
        session, principal, "follow.add", "follow", row.id, {"kind": kind, "target": canonical}
    )
    return _follow_out(row, named)


def unfollow(session: Session, principal: Principal, follow_id: int) -> None:
    """Stop following; only one's own follows (another's is not found)."""
    user_id = _writer(principal)
    row = session.get(Follow, follow_id) if 0 < follow_id < 2**31 else None
    if row is None or row.user_id != user_id:
        raise NotFound("follow", str(follow_id))
    audit.record(
        session,
        principal,
        "follow.remove",
        "follow",
        row.id,
        {"kind": row.kind, "target": row.target},
    )
    session.delete(row)


def list_follows(session: Session, principal: Principal) -> list[FollowOut]:
    user_id = _user(principal)
    rows = list(
        session.scalars(
            select(Follow).where(Follow.user_id == user_id).order_by(Follow.kind, Follow.target)
        )
    )
    names = subject_names(session, [(r.kind, r.target) for r in rows])
    return [_follow_out(r, names.get((r.kind, r.target))) for r in rows]


def follows_of(session: Session, user_id: int) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Follow.kind, Follow.target).where(Follow.user_id == user_id).order_by(Follow.id)
    )
    return [(kind, target) for kind, target in rows]


# ---------------------------------------------------------------------------- preferences


def get_preferences(session: Session, principal: Principal) -> PreferencesOut:
    row = session.get(UserPreference, _user(principal))
    if row is None:
        return PreferencesOut()
    return PreferencesOut(
        email=row.email, language=row.language, digest=row.digest, seen_at=row.seen_at
    )


def set_preferences(
    session: Session,
    principal: Principal,
    *,
    email: str | None,
    language: str | None,
    digest: str,
) -> PreferencesOut:
    """The digest's address, language and frequency; a digest needs an address."""
    user_id = _writer(principal)
    email = (email or "").strip() or None
    if email is not None and (len(email) > 254 or not EMAIL.fullmatch(email)):
        raise InvalidInput("that is not an e-mail address")
    language = (language or "").strip() or None
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(f"the language is one of {', '.join(LANGUAGES)}")
    if digest not in DIGESTS:
        raise InvalidInput(f"a digest is {', '.join(DIGESTS)}")
    if digest != "off" and email is None:
        raise InvalidInput("give an e-mail address to receive a digest")
    row = session.get(UserPreference, user_id)
    if row is None:
        row = UserPreference(user_id=user_id)
        session.add(row)
    row.email, row.language, row.digest = email, language, digest
    session.flush()
    audit.record(
        session,
        principal,
        "preferences.set",
        "user",
        principal.username,
        {"digest": digest, "language": language, "email": bool(email)},
    )
    return get_preferences(session, principal)


def mark_seen(session: Session, principal: Principal, at: datetime | None = None) -> str:
    """Everything up to now counts as seen on "What's new"."""
    user_id = _writer(principal)
    row = session.get(UserPreference, user_id)
    if row is None:
        row = UserPreference(user_id=user_id, digest="off")
        session.add(row)
    row.seen_at = stamp(at)
    return row.seen_at


# ---------------------------------------------------------------------------- what's new


@dataclass(frozen=True)
class WhatsNew:
    since: datetime
    until: datetime
    items: list[FeedItem]
    follows: list[FollowOut]
    unavailable: list[str]


def last_seen(session: Session, user_id: int) -> datetime | None:
    """The later of the user's last look at "What's new" and their last digest."""
    row = session.get(UserPreference, user_id)
    marks = [row.seen_at] if row is not None and row.seen_at else []
    digest = session.scalar(
        select(DigestSend.until)
        .where(DigestSend.user_id == user_id, DigestSend.status.in_(("sent", "empty")))
        .order_by(DigestSend.until.desc())
        .limit(1)
    )
    if digest:
        marks.append(digest)
    return datetime.fromisoformat(max(marks)) if marks else None


def whats_new(
    session: Session,
    search,
    principal: Principal,
    since: datetime | None = None,  # type: ignore[no-untyped-def]
) -> WhatsNew:
    """What came in about what ``principal`` follows since ``since`` (else since their last
    visit or digest, else :data:`FIRST_LOOK`)."""
    user_id = _user(principal)
    until = now()
    since = since or last_seen(session, user_id) or until - FIRST_LOOK
    follows = list_follows(session, principal)
    items, unavailable = content.followed_items(
        session, search, [(f.kind, f.target) for f in follows], since, until, reader=principal
    )
    return WhatsNew(since, until, items, follows, unavailable)
