"""What :mod:`rcphub.feeds.content` returns: plain data about what is new for a subject (a
process, a country, a theme, a search), for the Atom feeds to word in the reader's language.

Every item knows when it came into the hub (:attr:`added`, UTC) — feeds are ordered by it —
and a :attr:`key` that names it for good (the path part of its Atom ``id``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel

from rcphub.documents.schemas import DocumentSummary
from rcphub.followup.schemas import UpdateOut
from rcphub.registry.schemas import MeetingOut


class ProcessUpdateOut(BaseModel):
    """An update published by a process (:mod:`rcphub.exchange` writes them). ``titles`` and
    ``bodies`` are keyed by language."""

    id: int
    process: str
    titles: dict[str, str]
    bodies: dict[str, str]
    links: list[str]  # document:<id>, meeting:<id>
    visibility: str  # public | restricted
    published_by: str
    published_at: str
    edited_at: str | None = None


@dataclass(frozen=True)
class Snippet:
    """A passage shown in an entry, in its own language."""

    ref: str
    text: str
    language: str


@dataclass(frozen=True)
class DocumentItem:
    """A document added to the hub, with the passages that make it belong to the feed (those
    mentioning the process or state, tagged to the theme; else its first passages)."""

    document: DocumentSummary
    added: datetime
    passages: list[Snippet]

    @property
    def key(self) -> str:
        return f"document/{self.document.id}"


@dataclass(frozen=True)
class PassageItem:
    """A passage matching a search."""

    document: DocumentSummary
    added: datetime
    passage: Snippet
    rank: int  # 0 for the best match

    @property
    def key(self) -> str:
        return f"passage/{self.document.id}/{self.passage.ref}"


@dataclass(frozen=True)
class UpdateItem:
    """A dated update reported on a tracked recommendation or conclusion."""

    update: UpdateOut
    item_id: int
    item_ref: str
    item_text: str
    document: DocumentSummary
    added: datetime

    @property
    def key(self) -> str:
        return f"followup-update/{self.update.id}"


@dataclass(frozen=True)
class MeetingItem:
    """A meeting of the process. Meetings are reference data without a date of their own in
    the hub: :attr:`added` is the meeting's first day, or the time the reference data was
    loaded if that is earlier (a meeting announced for next year is news now, not then)."""

    meeting: MeetingOut
    added: datetime

    @property
    def key(self) -> str:
        return f"meeting/{self.meeting.id}"


@dataclass(frozen=True)
class ProcessUpdateItem:
    """An update published by a process (news, not a follow-up update)."""

    update: ProcessUpdateOut
    added: datetime
    process_names: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"update/{self.update.id}"


FeedItem = DocumentItem | PassageItem | UpdateItem | MeetingItem | ProcessUpdateItem


@dataclass(frozen=True)
class FeedContent:
    """The newest items of one subject, newest first, and when the subject last changed."""

    items: list[FeedItem]
    updated: datetime
    names: dict[str, str] = field(default_factory=dict)  # the subject's name by language
    canonical: str = ""  # the subject's ID as the registry spells it (``PER``, ``gfmd``)


class UpdateList(BaseModel):
    """``GET /api/v1/updates``."""

    updates: list[ProcessUpdateOut]
