"""What the feeds and calendars may show: every read behind ``/feeds/...`` and ``/calendar/...``
goes through this module and only this module.

**Visibility.** Documents and follow-up items are public or restricted to a process's members
and secretariat. Every function below reads as a ``reader`` and goes through
:func:`visible_documents` and :func:`visible_updates` (and for meetings
:func:`visible_meetings`), which ask the one rule, :mod:`rcphub.accounts.policy` — never a rule
of their own. A feed URL is anonymous, so feeds read as :data:`FEED_READER` (public content
only); "What's new" and the e-mail digests read as the follower (a member also gets the
restricted content of their processes). No route or serialiser reads the database for a feed by
itself.

Updates published by processes (:mod:`rcphub.exchange`) are ``public`` or ``restricted`` to the
publishing process's members and secretariat, by the same policy
(:func:`~rcphub.accounts.policy.visible_updates_clause`, :func:`~rcphub.accounts.policy.may_read`),
applied by :func:`visible_process_updates` and :func:`process_update` for the pages, the API and
the CLI too.

Subjects:

* a process — documents linked to it (``process:<id>``) or to one of its meetings, or
  mentioning it; updates on follow-up items of the process (addressed to it or from a document
  filed under it); the updates it published; its meetings;
* a state — documents mentioning it; updates on items addressed to it;
* a theme — documents with passages tagged to the concept or one of its children (suggested or
  confirmed, never rejected tags);
* a search — the passages a search finds (the same query syntax and filters as ``/search``),
  among the best :data:`SEARCH_DEPTH` matches the newest first.

Each function raises :class:`~rcphub.errors.NotFound` for a subject that does not exist and
:class:`~rcphub.errors.InvalidInput` for a search that cannot be run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from urllib.parse import parse_qsl

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from rcphub import registry, urls
from rcphub.accounts.policy import (
    ANONYMOUS,
    Principal,
    may_read,
    visible_documents_clause,
    visible_items_clause,
    visible_updates_clause,
)
from rcphub.db.exchange_models import ProcessUpdate
from rcphub.db.followup_models import FollowupItem, FollowupUpdate
from rcphub.db.models import (
    Concept,
    Document,
    DocumentLink,
    LoadRecord,
    Mention,
    Passage,
    PassageTag,
)
from rcphub.documents import document_summaries
from rcphub.errors import InvalidInput, NotFound, RcphubError
from rcphub.feeds.schemas import (
    DocumentItem,
    FeedContent,
    FeedItem,
    MeetingItem,
    PassageItem,
    ProcessUpdateItem,
    ProcessUpdateOut,
    Snippet,
    UpdateItem,
)
from rcphub.followup import list_items
from rcphub.followup.schemas import UpdateOut
from rcphub.registry.schemas import MeetingOut

FEED_LIMIT = 50
"""Entries in a feed: the newest this many."""
SEARCH_DEPTH = 100
"""A search feed looks at this many best matches and shows the newest of them."""
SNIPPETS = 3
"""Passages quoted in a document's entry."""
SNIPPET_CHARS = 600
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# ---------------------------------------------------------------------------- visibility


FEED_READER = ANONYMOUS
"""Who reads a feed: anyone with its URL."""


def visible_documents(
    session: Session, candidates: Iterable[str], reader: Principal = FEED_READER
) -> set[str]:
    """The documents among ``candidates`` (IDs) that exist and that ``reader`` may see (an
    anonymous reader: the public ones)."""
    wanted = set(candidates)
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(Document.id).where(Document.id.in_(wanted), visible_documents_clause(reader))
        )
    )


def visible_updates(
    session: Session, item_ids: Iterable[int], reader: Principal = FEED_READER
) -> list[FollowupUpdate]:
    """The updates on these follow-up items ``reader`` may see, newest first: every update of
    a confirmed item that is visible (for an anonymous reader: public, of a public
    document)."""
    ids = set(item_ids)
    if not ids:
        return []
    return list(
        session.scalars(
            select(FollowupUpdate)
            .join(FollowupItem, FollowupItem.id == FollowupUpdate.item_id)
            .where(
                FollowupUpdate.item_id.in_(ids),
                FollowupItem.review == "confirmed",
                visible_items_clause(reader),
            )
            .order_by(FollowupUpdate.created_at.desc(), FollowupUpdate.id.desc())
            .limit(FEED_LIMIT)
        )
    )


def update_out(row: ProcessUpdate) -> ProcessUpdateOut:
    return ProcessUpdateOut(
        id=row.id,
        process=row.process_id,
        titles=dict(row.titles or {}),
        bodies=dict(row.bodies or {}),
        links=list(row.links or []),
        visibility=row.visibility,
        published_by=row.published_by,
        published_at=row.published_at,
        edited_at=row.edited_at,
    )


def visible_process_updates(
    session: Session,
    principal: Principal | None = None,
    *,
    process: str | None = None,
    limit: int | None = FEED_LIMIT,
    offset: int = 0,
) -> list[ProcessUpdateOut]:
    """Updates published by processes that ``principal`` may read (None: anonymous), newest
    first; of one process, or of all."""
    query = select(ProcessUpdate).where(visible_updates_clause(principal or FEED_READER))
    if process is not None:
        query = query.where(ProcessUpdate.process_id == process)
    query = query.order_by(ProcessUpdate.published_at.desc(), ProcessUpdate.id.desc())
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [update_out(row) for row in session.scalars(query)]


def process_update(
    session: Session, principal: Principal | None, update_id: int
) -> ProcessUpdateOut:
    """One update, if ``principal`` may read it; else (or if there is none) NotFound, so a
    members-only update does not reveal that it exists."""
    row = session.get(ProcessUpdate, update_id) if 0 < update_id < 2**31 else None
    if row is None or not may_read(principal or FEED_READER, row.visibility, [row.process_id]):
        raise NotFound("update", str(update_id))
    return update_out(row)


def visible_meetings(meetings: Iterable[MeetingOut]) -> list[MeetingOut]:
    """Meetings an anonymous reader may see: the public ones (a process's members-only
    meetings stay out of feeds and calendars)."""
    return [m for m in meetings if m.visibility == "public"]


# ---------------------------------------------------------------------------- feeds


def process_feed(
    session: Session, ident: str, limit: int = FEED_LIMIT, reader: Principal = FEED_READER
) -> FeedContent:
    """What is new about a process or organisation (see the module's docstring), as
    ``reader`` may see it (a feed: anyone)."""
    process = registry.get_process(session, ident)
    links = [f"process:{process.id}", *(f"meeting:{m.id}" for m in process.meetings)]
    linked = select(DocumentLink.document_id).where(DocumentLink.target.in_(links))
    mentioning = select(Mention.document_id).where(Mention.entity == process.ref)
    documents = _documents(
        session, or_(Document.id.in_(linked), Document.id.in_(mentioning)), reader
    )
    quoted = select(Mention.passage_id).where(Mention.entity == process.ref)
    items: list[FeedItem] = _document_items(session, documents, quoted, fallback=True)
    followed = list_items(session, process=process.id)
    items += _update_items(session, [i.id for i in followed.items], reader)
    items += [
        ProcessUpdateItem(update, _parse_time(update.published_at), dict(process.names))
        for update in visible_process_updates(session, reader, process=process.id)
    ]
    loaded = _reference_loaded(session)
    items += [
        MeetingItem(meeting, _meeting_added(meeting, loaded))
        for meeting in visible_meetings(process.meetings)
    ]
    return _content(items, limit, process.names, process.id)


def state_feed(
    session: Session, ident: str, limit: int = FEED_LIMIT, reader: Principal = FEED_READER
) -> FeedContent:
    """What is new about a state: documents mentioning it, updates on items addressed to it."""
    state = registry.get_state(session, ident)
    entity = f"state:{state.iso3}"
    mentioning = select(Mention.document_id).where(Mention.entity == entity)
    documents = _documents(session, Document.id.in_(mentioning), reader)
    quoted = select(Mention.passage_id).where(Mention.entity == entity)
    items: list[FeedItem] = _document_items(session, documents, quoted)
    followed = list_items(session, addressee=entity)
    items += _update_items(session, [i.id for i in followed.items], reader)
    return _content(items, limit, state.names, state.iso3)


def find_concept(session: Session, scheme: str, code: str) -> Concept:
    """A concept by scheme and code, the code in any case (``hld2013``/``rt1``)."""
    found = registry.get_scheme(session, scheme)
    concepts = {c.code.casefold(): c.code for c in found.concepts}
    canonical = concepts.get(code.strip().casefold())
    if canonical is None:
        raise NotFound("concept", f"{found.id}/{code[:20]}")
    concept = session.get(Concept, (found.id, canonical))
    assert concept is not None
    return concept


def theme_feed(
    session: Session,
    scheme: str,
    code: str,
    limit: int = FEED_LIMIT,
    reader: Principal = FEED_READER,
) -> FeedContent:
    """Documents with passages tagged to the concept or its children (not rejected tags)."""
    concept = find_concept(session, scheme, code)
    children = select(Concept.code).where(
        Concept.scheme_id == concept.scheme_id, Concept.parent_code == concept.code
    )
    codes = [concept.code, *session.scalars(children)]
    tagged = select(PassageTag.passage_id).where(
        PassageTag.scheme_id == concept.scheme_id,
        PassageTag.code.in_(codes),
        PassageTag.status != "rejected",
    )
    documents = _documents(
        session, Document.id.in_(select(PassageTag.document_id).where(tagged.whereclause)), reader
    )
    items: list[FeedItem] = _document_items(session, documents, tagged)
    labels = concept.short_labels or concept.labels
    return _content(items, limit, labels, f"{concept.scheme_id}/{concept.code}")


def search_feed(  # type: ignore[no-untyped-def]
    session: Session, search, query, limit: int = FEED_LIMIT, reader: Principal = FEED_READER
) -> FeedContent:
    """The newest passages among the best :data:`SEARCH_DEPTH` matches of ``query`` (a
    :class:`~rcphub.search.SearchQuery`; its limit and offset are replaced) by ``search``
    (the app's :class:`~rcphub.search.SearchService`)."""
    result = search.search(
        session,
        query.model_copy(update={"limit": SEARCH_DEPTH, "offset": 0, "facet_limit": 1}),
        reader,
    )
    visible = visible_documents(session, {hit.document for hit in result.hits}, reader)
    summaries = document_summaries(session, visible)
    added = _added(session, visible)
    items: list[FeedItem] = [
        PassageItem(
            document=summaries[hit.document],
            added=added[hit.document],
            passage=Snippet(hit.ref, _clip(hit.text), hit.language),
            rank=rank,
        )
        for rank, hit in enumerate(result.hits)
        if hit.document in visible
    ]
    return _content(items, limit, {}, query.q)


# ---------------------------------------------------------------------------- what's new

FOLLOW_KINDS = ("process", "state", "theme", "search")
SEARCH_PARAMETERS = {
    "q": "q",
    "mode": "mode",
    "language": "lang",  # the passages' language; ``lang`` is the interface's, not searched
    "process": "process",
    "state": "state",
    "org": "org",
    "theme": "theme",
    "type": "type",
    "year": "year",
}
"""A saved search is the query string of ``/search`` (or of ``/feeds/search.atom``)."""


def saved_search(target: str):  # type: ignore[no-untyped-def]
    """The :class:`~rcphub.search.SearchQuery` of a saved search's query string
    (``q=trafficking&process=bali-process``)."""
    from rcphub.search import SearchQuery

    text = target.strip().removeprefix(urls.search()).removeprefix(urls.search_feed())
    params: dict[str, object] = {}
    lists: dict[str, list[str]] = defaultdict(list)
    for key, value in parse_qsl(text.removeprefix("?"), keep_blank_values=False):
        name = SEARCH_PARAMETERS.get(key)
        if name is None:
            continue  # page, lang of the interface... are not part of a search
        if name in ("q", "mode"):
            params[name] = value
        else:
            lists[name].append(value)
    query = SearchQuery.from_params(**params, **lists)
    if not query.q.strip() and not query.parameter_filters():
        raise InvalidInput("a saved search needs words or a filter (q=...)")
    return query


def subject_feed(  # type: ignore[no-untyped-def]
    session: Session, search, kind: str, target: str, reader: Principal = FEED_READER
) -> FeedContent:
    """The feed of one followed subject (``kind`` of :data:`FOLLOW_KINDS`) as ``reader`` may
    see it."""
    if kind == "process":
        return process_feed(session, target, reader=reader)
    if kind == "state":
        return state_feed(session, target, reader=reader)
    if kind == "theme":
        scheme, _, code = target.partition("/")
        return theme_feed(session, scheme, code, reader=reader)
    if kind == "search":
        if search is None:
            raise InvalidInput("searches cannot be run here")
        return search_feed(session, search, saved_search(target), reader=reader)
    raise InvalidInput(f"one follows a {', a '.join(FOLLOW_KINDS)}; not a {kind[:20]!r}")


def followed_items(
    session: Session,
    search,  # type: ignore[no-untyped-def]
    follows: Iterable[tuple[str, str]],
    since: datetime,
    until: datetime,
    limit: int = FEED_LIMIT * 2,
    reader: Principal = FEED_READER,
) -> tuple[list[FeedItem], list[str]]:
    """What came into the hub after ``since`` and up to ``until`` about the followed subjects
    (``(kind, target)`` pairs), each item once, newest first — as ``reader`` may see it (the
    follower: a member reads the restricted content of their processes, an anonymous reader
    the public content only). Also the subjects that could not be read (removed, or a search
    that no longer runs), as ``kind:target``."""
    found: dict[str, FeedItem] = {}
    failed: list[str] = []
    for kind, target in follows:
        try:
            content = subject_feed(session, search, kind, target, reader)
        except RcphubError:
            failed.append(f"{kind}:{target}")
            continue
        for item in content.items:
            if since < item.added <= until:
                found.setdefault(item.key, item)
    return sorted(found.values(), key=_order)[:limit], failed


# ---------------------------------------------------------------------------- calendars


def calendar_meetings(session: Session, process: str | None = None) -> list[MeetingOut]:
    """Meetings with known dates, oldest first: all of them, or those of one process."""
    if process is None:
        meetings = registry.list_meetings(session)
    else:
        meetings = registry.get_process(session, process).meetings
    dated = [m for m in visible_meetings(meetings) if m.start_date is not None]
    return sorted(dated, key=lambda m: (m.start_date, m.id))


def calendar_meeting(session: Session, ident: str) -> MeetingOut:
    """One meeting for a calendar; a meeting without known dates has no calendar entry."""
    found = visible_meetings([registry.get_meeting(session, ident)])
    if not found:
        raise NotFound("meeting", ident)
    if found[0].start_date is None:
        raise NoDates(found[0].id)
    return found[0]


class NoDates(NotFound):
    def __init__(self, meeting: str) -> None:
        super().__init__("meeting", meeting)
        self.message = (
            f"the dates of meeting {meeting!r} are not known, so it has no calendar entry"
        )
        self.args = (self.message,)


def reference_stamp(session: Session) -> datetime:
    """When the meetings last changed — the reference data loaded, or a person's edit of a
    meeting: the calendars' DTSTAMP and Last-Modified."""
    from rcphub.db.editing_models import EditRecord

    loaded = _reference_loaded(session) or EPOCH
    edited = session.scalar(select(func.max(EditRecord.at)).where(EditRecord.entity == "meeting"))
    return max(loaded, _parse_time(edited)) if edited else loaded


# ---------------------------------------------------------------------------- helpers


def _documents(session: Session, condition, reader: Principal) -> list[str]:  # type: ignore[no-untyped-def]
    """IDs of the newest documents ``reader`` may see meeting ``condition``, newest first."""
    return list(
        session.scalars(
            select(Document.id)
            .where(condition, visible_documents_clause(reader))
            .order_by(Document.ingested_at.desc(), Document.id)
            .limit(FEED_LIMIT)
        )
    )


def _document_items(
    session: Session,
    ids: list[str],
    quoted_passages: Select[tuple[int]],
    *,
    fallback: bool = False,
) -> list[DocumentItem]:
    """Entries for documents, quoting their passages among ``quoted_passages`` (a select of
    passage IDs), or with ``fallback`` the first passages of a document that has none."""
    if not ids:
        return []
    query = (
        select(Passage)
        .where(Passage.document_id.in_(ids), Passage.id.in_(quoted_passages))
        .order_by(Passage.document_id, Passage.position)
    )
    quoted: dict[str, list[Snippet]] = defaultdict(list)
    for passage in session.scalars(query):
        if len(quoted[passage.document_id]) < SNIPPETS:
            quoted[passage.document_id].append(_snippet(passage))
    if fallback:
        for document_id in [i for i in ids if not quoted.get(i)]:
            first = session.scalars(
                select(Passage)
                .where(Passage.document_id == document_id)
                .order_by(Passage.position)
                .limit(SNIPPETS)
            )
            quoted[document_id] = [_snippet(p) for p in first]
    summaries = document_summaries(session, ids)
    added = _added(session, ids)
    return [DocumentItem(summaries[i], added[i], quoted.get(i, [])) for i in ids]


def _update_items(session: Session, item_ids: list[int], reader: Principal) -> list[FeedItem]:
    updates = visible_updates(session, item_ids, reader)
    if not updates:
        return []
    items = {
        i.id: i
        for i in session.scalars(
            select(FollowupItem).where(FollowupItem.id.in_({u.item_id for u in updates}))
        )
    }
    summaries = document_summaries(session, {i.document_id for i in items.values()})
    out: list[FeedItem] = []
    for update in updates:
        item = items[update.item_id]
        out.append(
            UpdateItem(
                update=UpdateOut(
                    id=update.id,
                    date=update.date,
                    status=update.status,
                    progress=update.progress,
                    note=update.note,
                    evidence=update.evidence,
                    created_by=update.created_by,
                    created_at=update.created_at,
                ),
                item_id=item.id,
                item_ref=item.passage_ref,
                item_text=_clip(item.text),
                document=summaries[item.document_id],
                added=_parse_time(update.created_at),
            )
        )
    return out


def _content(
    items: list[FeedItem], limit: int, names: dict[str, str], canonical: str
) -> FeedContent:
    items = sorted(items, key=_order)[:limit]
    updated = max((item.added for item in items), default=EPOCH)
    return FeedContent(items=items, updated=updated, names=dict(names), canonical=canonical)


def _order(item: FeedItem) -> tuple[float, int, str]:
    rank = item.rank if isinstance(item, PassageItem) else 0
    return (-item.added.timestamp(), rank, item.key)


def _added(session: Session, ids: Iterable[str]) -> dict[str, datetime]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(select(Document.id, Document.ingested_at).where(Document.id.in_(wanted)))
    return {document_id: _parse_time(stamp) for document_id, stamp in rows}


def _reference_loaded(session: Session) -> datetime | None:
    record = session.get(LoadRecord, "reference")
    return _parse_time(record.loaded_at) if record else None


def _meeting_added(meeting: MeetingOut, loaded: datetime | None) -> datetime:
    first_day = meeting.start_date or date(meeting.year, 1, 1)
    start = datetime.combine(first_day, time(0), tzinfo=UTC)
    return min(start, loaded) if loaded else start


def _parse_time(value: str | None) -> datetime:
    """Stored ISO 8601 timestamps (``2026-11-28T01:28:57+00:00``) as aware UTC datetimes,
    to the second (HTTP dates have no fractions)."""
    if not value:
        return EPOCH
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return EPOCH
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def _snippet(passage: Passage) -> Snippet:
    return Snippet(passage.ref, _clip(passage.text), passage.language)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"


__all__ = [
    "FEED_LIMIT",
    "FOLLOW_KINDS",
    "SEARCH_DEPTH",
    "NoDates",
    "calendar_meeting",
    "calendar_meetings",
    "find_concept",
    "followed_items",
    "process_feed",
    "process_update",
    "reference_stamp",
    "saved_search",
    "search_feed",
    "state_feed",
    "subject_feed",
    "theme_feed",
    "visible_documents",
    "visible_meetings",
    "visible_process_updates",
    "visible_updates",
]
