"""What the documents services return: the same JSON for the API and the CLI's ``--json``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class PassageOut(BaseModel):
    ref: str
    kind: str
    text: str
    language: str
    parent_ref: str | None = None
    heading: str | None = None
    page: int | None = None
    footnote_refs: list[str] = []


class MentionOut(BaseModel):
    entity: str  # state:PER | process:bali-process | org:iom
    passage: str  # the passage ref
    start: int  # character offsets into the passage text
    end: int
    surface: str


class DocumentSummary(BaseModel):
    id: str
    work: int
    title: str | None = None
    language: str
    date: dt.date | None = None
    symbol: str | None = None
    type: str
    filename: str
    passage_count: int
    links: list[str] = []  # process:<id>, meeting:<id>
    visibility: str = "public"  # public | restricted (to the processes of its links)


class SuggestionOut(BaseModel):
    """A process or meeting the text suggests filing the document under, for a person to
    confirm: ``reason`` is where the text names it (``title``, ``heading``, ``opening``) or
    ``series`` (a meeting of a series the text names); ``evidence`` the words."""

    target: str  # process:<id> | meeting:<id>
    reason: str
    evidence: str = ""
    linked: bool = False  # the document is filed under it already


class CandidateOut(BaseModel):
    """A body the document names that the registry does not hold."""

    id: int
    key: str
    name: str
    kind: str
    status: str  # proposed | dismissed
    surfaces: list[str]  # as the document writes it
    passages: list[str]  # refs of the passages that name it


class CandidateSummary(BaseModel):
    """A candidate body across documents, for the admins who grow the registry."""

    id: int
    key: str
    name: str
    kind: str
    status: str
    first_seen: str
    surfaces: list[str]
    document_count: int
    mention_count: int
    documents: list[str]  # ids, at most 20


class DocumentDetail(DocumentSummary):
    place: str | None = None
    suggested_processes: list[SuggestionOut] = []
    suggested_meetings: list[SuggestionOut] = []
    candidates: list[CandidateOut] = []
    distribution: str | None = None
    original_language: str | None = None
    organ: str | None = None
    session: int | None = None
    agenda_item: str | None = None
    source_format: str
    size_bytes: int
    page_count: int | None = None
    content_hash: str
    ingested_at: str
    warnings: list[str] = []
    versions: list[DocumentSummary] = []  # the same work in other languages
    passages: list[PassageOut]
    mentions: list[MentionOut]


class IngestError(BaseModel):
    path: str
    error: str


class IngestReport(BaseModel):
    """``rcphub ingest --json`` and ``POST /api/v1/documents``."""

    documents: list[DocumentDetail]
    errors: list[IngestError]
    created: list[str] = []  # ids of documents new in this run (others were already there)


class DocumentList(BaseModel):
    """``GET /api/v1/documents``, ``rcphub documents list --json``."""

    total: int
    documents: list[DocumentSummary]


class CandidateList(BaseModel):
    """``GET /api/v1/candidates``."""

    total: int
    candidates: list[CandidateSummary]


class ProposalInfo(BaseModel):
    id: int
    kind: str = "document"
    status: str
    filename: str | None = None
    target: str | None = None
    """The record a change proposal is about: ``process:…``, ``membership:…``, ``meeting:…``,
    ``document:…``."""
    changes: dict[str, Any] | None = None
    comment: str | None = None
    processes: list[str]
    meetings: list[str]
    proposed_by: str
    proposed_at: str
    decided_by: str | None = None
    decided_at: str | None = None
    document_id: str | None = None
    note: str | None = None


class ProposalList(BaseModel):
    """``GET /api/v1/proposals``, ``rcphub proposals list --json``."""

    total: int
    proposals: list[ProposalInfo]


class ProposalBatch(BaseModel):
    """``POST /api/v1/documents`` by a contributor (202): the files kept as proposals, and
    those that could not be (listed only when there are some)."""

    proposals: list[ProposalInfo]
    errors: list[IngestError] = Field(default_factory=list, exclude_if=lambda errors: not errors)


class EntityDocument(BaseModel):
    """A document that mentions an entity, for process and country pages."""

    document: DocumentSummary
    mention_count: int
    passages: list[str]  # refs of the passages with a mention, in document order
