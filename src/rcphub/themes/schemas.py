"""Plain data the themes services return (pages, API and CLI alike)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class TagSource(StrEnum):
    MACHINE = "machine"
    PERSON = "person"


class TagStatus(StrEnum):
    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class Decision(StrEnum):
    """What a person may do with a tag."""

    CONFIRM = "confirm"
    REJECT = "reject"


class TagOut(BaseModel):
    tag: str  # gcm-23
    scheme: str
    code: str
    labels: dict[str, str] = {}
    short_labels: dict[str, str] = {}
    score: float | None = None
    source: TagSource
    status: TagStatus
    decided_by: str | None = None
    decided_at: str | None = None


class PassageTags(BaseModel):
    document_id: str
    ref: str
    tags: list[TagOut]


class DocumentTags(BaseModel):
    document_id: str
    passages: list[PassageTags]


class TaggingReport(BaseModel):
    documents: int
    passages: int
    suggestions: int
    seconds: float
