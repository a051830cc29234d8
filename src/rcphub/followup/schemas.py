"""What the follow-up services return: the same JSON for the API and ``rcphub followup --json``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel


class LightOut(BaseModel):
    colour: str  # green | amber | red | closed
    reason: str  # recent | stale | overdue | inactive | closed
    last_activity: dt.date
    inactive: bool
    overdue: bool


class UpdateOut(BaseModel):
    id: int
    date: dt.date
    status: str
    progress: int
    note: str
    evidence: list[str]  # https://... or document:<id>#<ref>
    created_by: str
    created_at: str


class ItemOut(BaseModel):
    id: int
    visibility: str = "public"  # public | restricted (to its document's processes)
    document: str
    ref: str
    document_language: str
    document_title: str | None = None
    document_date: dt.date | None = None
    document_links: list[str] = []  # process:<id>, meeting:<id>
    kind: str  # recommendation | decision | commitment | request | conclusion
    review: str  # proposed | confirmed | rejected
    text: str
    addressees: list[str]
    due_date: dt.date | None = None
    status: str
    progress: int
    detection: dict[str, Any] | None = None  # {"score", "reasons"} when detected
    created_by: str
    created_at: str
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    update_count: int
    last_update: dt.date | None = None
    light: LightOut | None = None  # confirmed items only


class TimelineEvent(BaseModel):
    date: dt.date
    event: str  # adopted | proposed | confirmed | rejected | update
    actor: str | None = None
    update: UpdateOut | None = None


class ItemDetail(ItemOut):
    updates: list[UpdateOut]
    timeline: list[TimelineEvent]


class ItemList(BaseModel):
    today: dt.date
    total: int
    counts: dict[str, int]  # by light colour, and "proposed"
    items: list[ItemOut]


class CandidateOut(BaseModel):
    """A passage detection would propose, before anyone proposes it (the upload result)."""

    ref: str
    kind: str  # recommendation | decision | commitment | request | conclusion
    text: str
    reasons: list[str]  # the words that matched, in English
    due_date: dt.date | None = None


class DetectionReport(BaseModel):
    document: str
    proposed: list[ItemOut]  # new proposals
    already_tracked: list[str]  # refs with an item here or in another language version


class ImportReport(BaseModel):
    created: int
    updated: int
    unchanged: int
