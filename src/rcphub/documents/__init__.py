"""Outcome documents: reading, parsing, storing, and the queries over them."""

from rcphub.documents.ingest import FileOutcome, IngestOptions, Ingestor, iter_files
from rcphub.documents.service import (
    document_summaries,
    documents_mentioning,
    get_document,
    ingest_report,
    link_versions,
    list_documents,
    passage_text,
    passages_of,
    set_visibility,
)

__all__ = [
    "FileOutcome",
    "IngestOptions",
    "Ingestor",
    "document_summaries",
    "documents_mentioning",
    "get_document",
    "ingest_report",
    "iter_files",
    "link_versions",
    "list_documents",
    "passage_text",
    "passages_of",
    "set_visibility",
]
