"""Plain data that crosses the parsing package's boundary: no ORM, no I/O.

The reader half produces a :class:`RawDocument` (text plus a flat list of layout
:class:`Block` objects); the parser half turns it into a :class:`ParsedDocument` of citable
:class:`Passage` objects. Both are frozen so they can be cached and shared between threads.

Footnote markers inside :attr:`Block.text` use one canonical inline form whatever the input
format was: ``[^1]``, ``[^*]`` (the Pandoc/GFM footnote reference syntax). Readers turn
``<sup>1</sup>``, ``¹``, ``\\*``, Word footnote references and PDF superscripts into it; the parser
takes the markers out of passage text and records them in :attr:`Passage.footnote_refs`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

BLOCK_KINDS = frozenset(
    {"heading", "paragraph", "footnote", "page-break", "list-item", "table-row", "signature"}
)
"""What a reader can say about a block of layout."""

SOURCE_FORMATS = ("txt", "md", "html", "docx", "pdf")

PASSAGE_KINDS = frozenset(
    {
        "paragraph",  # numbered paragraph of the body: "1. ..." -> ref "1"
        "subparagraph",  # lettered or roman sub-paragraph: "(a)" -> ref "8.a", "8.a.i"
        "heading",  # ref "h1", "h2", ...
        "footnote",  # ref "fn1", "fn-star"
        "signature",  # ref "sig1"
        "annex-paragraph",  # numbered paragraph inside an annex
        "preamble",  # unnumbered paragraph before the numbered ones of the same part: "pp1"
        "text",  # any other unnumbered paragraph: "p1"
    }
)

DOC_TYPES = (
    "chair-summary",
    "declaration",
    "joint-communique",
    "conclusions",
    "action-plan",
    "letter",
    "report",
    "resolution",
    "other",
)


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of layout as a reader saw it.

    ``text`` keeps the source's line breaks as ``\\n`` (the parser decides whether they are
    soft wraps or separate lines) and footnote markers as ``[^id]``. ``level`` is the heading
    level (1 = top) for headings; ``style`` the source style name ("Heading 2", "List Number",
    "bold", "h3", ...); ``footnote_id`` the printed footnote mark ("1", "*") for footnote
    bodies; ``page`` the 1-based page for paged formats.
    """

    kind: str
    text: str = ""
    level: int | None = None
    style: str | None = None
    footnote_id: str | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What a reader made of a file: normalised text and the layout blocks it came from.

    ``text`` is the blocks' text joined by blank lines, with a form feed for each page break.
    ``encoding`` is set for text formats (txt, md, html), ``page_count`` for PDF. ``warnings``
    are for people ("page 3 has no text", "2 pages of running headers removed").
    """

    text: str
    blocks: list[Block]
    source_format: str
    filename: str = ""
    encoding: str | None = None
    page_count: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DocumentMetadata:
    """What the title block (masthead) says about the document; ``None`` when it doesn't.

    ``symbol`` is a UN document symbol ("A/68/190", "A/CONF.231/3"); ``distribution`` is
    normalised to "general", "limited" or "restricted"; ``original_language`` and
    ``version_language`` are language codes ("en"); ``session`` is the session number of
    the organ (68 for "Sixty-eighth session"); ``agenda_item`` the item designation with Latin
    letters and no spaces ("21(e)"); ``doc_type`` is one of :data:`DOC_TYPES`; ``place``
    is where the meeting was held or the text signed, as printed ("Asunción",
    "Washington, DC").
    """

    title: str | None = None
    symbol: str | None = None
    date: dt.date | None = None
    distribution: str | None = None
    original_language: str | None = None
    version_language: str | None = None
    organ: str | None = None
    session: int | None = None
    agenda_item: str | None = None
    doc_type: str = "other"
    place: str | None = None


@dataclass(frozen=True, slots=True)
class Passage:
    """A citable piece of a document.

    ``ref`` is stable across the language versions of one document (see the package docs for
    the conventions); ``text`` is clean running text with footnote markers removed (they are
    listed, in order of first use, in ``footnote_refs`` as passage refs: ``["fn1", "fn2"]``);
    ``language`` is the passage's own language or "und" when it is too short to tell;
    ``position`` is its 0-based order in the document; ``parent_ref`` links a sub-paragraph to
    its paragraph; ``heading`` is the text of the nearest heading above it.
    """

    ref: str
    kind: str
    text: str
    language: str
    position: int
    parent_ref: str | None = None
    footnote_refs: list[str] = field(default_factory=list)
    heading: str | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A document as citable passages, with its metadata and the reader's warnings."""

    language: str
    metadata: DocumentMetadata
    passages: list[Passage]
    source_format: str
    warnings: list[str] = field(default_factory=list)

    def passage(self, ref: str) -> Passage | None:
        """The passage with this ref, or ``None``."""
        for passage in self.passages:
            if passage.ref == ref:
                return passage
        return None

    @property
    def refs(self) -> list[str]:
        """All passage refs in document order."""
        return [passage.ref for passage in self.passages]
