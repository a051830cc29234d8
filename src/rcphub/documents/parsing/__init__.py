"""Outcome documents in, citable passages out: readers, language id and the structure parser.

Pure functions, no database::

    raw = read_document(data, "lima-2013.ru.txt")   # bytes -> RawDocument (layout blocks)
    doc = parse_document(raw)                        # RawDocument -> ParsedDocument
    doc.metadata.date, doc.passage("8.b").text, doc.passage("fn1").text

:func:`read_document` raises :class:`DocumentReadError` (an
:class:`rcphub.errors.InvalidInput`) and nothing else, whatever the bytes. Ref conventions
are documented in :mod:`rcphub.documents.parsing.structure` and
:mod:`rcphub.documents.parsing.labels`.
"""

from __future__ import annotations

from .errors import DocumentReadError
from .language import detect_language
from .model import (
    BLOCK_KINDS,
    DOC_TYPES,
    PASSAGE_KINDS,
    SOURCE_FORMATS,
    Block,
    DocumentMetadata,
    ParsedDocument,
    Passage,
    RawDocument,
)
from .registry import Reader, read_document, register_reader
from .structure import parse_document

__all__ = [
    "BLOCK_KINDS",
    "DOC_TYPES",
    "PASSAGE_KINDS",
    "SOURCE_FORMATS",
    "Block",
    "DocumentMetadata",
    "DocumentReadError",
    "ParsedDocument",
    "Passage",
    "RawDocument",
    "Reader",
    "detect_language",
    "parse_document",
    "read_document",
    "register_reader",
]
