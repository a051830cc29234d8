"""What the reports services return.

Two layers of plain data:

* :class:`SynthesisContent` — the facts of a synthesis report, in no particular language: the
  framework's themes, and under each, per process ("voice"), the tagged passages and the
  tracked items, with the documents and meetings needed to cite them;
* :class:`ReportDocument` — the same report worded in one of the six languages (headings,
  citations, introduction), which every format writer renders as it stands and the API returns
  as JSON. Quotations stay in the language of their document, with ``lang`` and ``dir``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from rcphub.documents.schemas import DocumentSummary
from rcphub.registry.schemas import MeetingOut

FRAMEWORKS = ("hld2013", "gcm", "sdg")
"""Schemes a synthesis report is organised by: HLD 2013 round tables, GCM objectives, SDG
targets."""

FORMATS = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
"""Output format → media type."""


class SynthesisQuery(BaseModel):
    framework: str
    processes: list[str] = []  # empty: every process, and the global meetings
    year_from: int | None = None
    year_to: int | None = None
    lang: str = "en"


# ---------------------------------------------------------------------------- the facts


class StatementFacts(BaseModel):
    """A passage tagged to the theme."""

    document: str
    ref: str
    text: str
    language: str
    status: str  # confirmed | suggested
    source: str  # machine | person
    score: float | None = None
    via: str = "filed"  # filed (a document of the process) | mention (a passage naming it)


class RecommendationFacts(BaseModel):
    """A confirmed follow-up item whose source passage is tagged to the theme."""

    item: int
    document: str
    ref: str
    text: str
    language: str
    kind: str  # recommendation | decision | commitment | request | conclusion
    status: str  # not_started | in_progress | completed | discontinued
    progress: int
    light: str | None = None  # green | amber | red | closed
    last_update: dt.date | None = None
    due_date: dt.date | None = None


class VoiceFacts(BaseModel):
    """Who said it: a process (``process:<id>``), a meeting series without a single process
    (``series:grcp``, the global meetings of RCP chairs), or documents filed under neither
    (``unfiled``)."""

    key: str
    names: dict[str, str] = {}
    statements: list[StatementFacts] = []
    recommendations: list[RecommendationFacts] = []


class ThemeFacts(BaseModel):
    code: str
    labels: dict[str, str] = {}
    short_labels: dict[str, str] = {}
    voices: list[VoiceFacts] = []


class SynthesisContent(BaseModel):
    query: SynthesisQuery
    generated_on: dt.date
    threshold: float  # machine suggestions at or above this score count
    processes: dict[str, dict[str, str]]  # the chosen processes' names
    documents: dict[str, DocumentSummary]  # every document the report cites
    meetings: dict[str, MeetingOut]  # the meetings those documents are filed under
    document_count: int  # documents in scope (one language version per work)
    themes: list[ThemeFacts]  # every theme of the framework in scope, in its order


# ---------------------------------------------------------------------------- the wording


class Quote(BaseModel):
    document: str
    ref: str
    text: str
    lang: str
    dir: str  # ltr | rtl
    citation: str  # Chair's summary, Global RCP meeting 2013, paragraph 10(c)
    href: str  # <base>/documents/<id>#p-10.c
    status: str  # confirmed | suggested
    source: str  # machine | person
    score: float | None = None
    machine: bool  # a machine suggestion no person has confirmed
    note: str  # "machine-suggested (score 0.76)" / "confirmed by a person"
    via: str = "filed"


class RecommendationLine(BaseModel):
    item: int
    item_href: str
    document: str
    ref: str
    text: str
    lang: str
    dir: str
    citation: str
    href: str
    kind: str
    status: str
    light: str | None = None
    note: str  # "Conclusion · In progress (40 %) · Amber: update due · last update ..."


class VoiceSection(BaseModel):
    key: str
    heading: str
    heading_lang: str  # the language the name is really in
    heading_note: str = ""  # "(English)" in the report language when it is not
    statements: list[Quote] = []
    recommendations: list[RecommendationLine] = []


class ThemeSection(BaseModel):
    code: str
    anchor: str  # theme-rt1
    number: str  # "Round table 1", "Objective 23", "Target 10.7" in the report language
    label: str  # the theme's label, in the report language where the hub has it
    label_lang: str
    label_note: str = ""  # "(English)" in the report language when the label is not in it
    voices: list[VoiceSection] = []


class ReportDocument(BaseModel):
    lang: str
    dir: str
    title: str
    subtitle: str
    generated_on: str
    introduction: list[str]  # paragraphs
    scope: list[tuple[str, str]]  # (term, value)
    method: list[str]
    gaps: list[str]  # "Round table 4: International and regional labour mobility..."
    gap_themes: list[ThemeSection] = []  # the same themes, with the label's language
    sections: list[ThemeSection]
    words: dict[str, str]  # the fixed words the writers print (headings of parts, legend)
