"""Search: keyword (BM25 over per-language analyzers), cross-lingual semantic (multilingual
sentence embeddings) and hybrid search over every passage, with facets.

The index is derived from the database and lives in files under ``<data_dir>/search``; the
database holds the durable queue (:class:`SearchQueueEntry`) that ingest writes to in its own
transaction (:func:`enqueue_document`).
"""

from rcphub.db.models import SearchQueueEntry
from rcphub.search.embedding import Embedder, UseEmbedder
from rcphub.search.queue import enqueue_document
from rcphub.search.schemas import (
    DEFAULT_MODE,
    Citation,
    FacetCount,
    SearchHit,
    SearchMode,
    SearchQuery,
    SearchResult,
)
from rcphub.search.service import SearchService

__all__ = [
    "DEFAULT_MODE",
    "Citation",
    "Embedder",
    "FacetCount",
    "SearchHit",
    "SearchMode",
    "SearchQuery",
    "SearchQueueEntry",
    "SearchResult",
    "SearchService",
    "UseEmbedder",
    "enqueue_document",
]
