"""Loading the real-text search set (``set.json`` beside this file, see README.md) into a hub
and measuring search on it; shared by ``tests/search/test_realtext.py`` and
``bench/bench_realtext_search.py``.

Each document of the set becomes a plain-text file (its blocks — title lines, dates, symbols,
headings, lead-ins and paragraphs — in source order, separated by blank lines) ingested through
the real ingest path, so the parser decides what becomes which passage, as it would for a user's
upload. A paragraph of the set is then located among the passages by its text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from rcphub.db import Database
from rcphub.db.models import Passage
from rcphub.documents import Ingestor
from rcphub.search import SearchQuery, SearchService

SET_PATH = Path(__file__).with_name("set.json")
HALVES = ("tuning", "held-out")
DEPTH = 10
"""Hits asked for per query (the first page of the search page is 20)."""

_LABEL = re.compile(r"^(?:[-•]\s+|[IVX]+\.\d+\s+|\d+\.\s+)")
_SPACE = re.compile(r"\s+")


def load_set(path: Path = SET_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return _SPACE.sub(" ", _LABEL.sub("", text.strip())).strip().casefold()


def document_text(document: dict) -> str:
    return "\n\n".join(block["text"] for block in document["blocks"]) + "\n"


def ingest_set(database: Database, data: dict) -> dict[str, set[int]]:
    """Ingest every document of the set; returns, per paragraph ID, the passage IDs holding it
    (normally one). Raises if a paragraph cannot be found among the passages."""
    ingestor = Ingestor(database, tag=False)
    located: dict[str, set[int]] = {}
    for document in data["documents"]:
        outcome = ingestor.ingest_bytes(
            document_text(document).encode("utf-8"), f"{document['key']}.txt"
        )
        if outcome.error or not outcome.document_id:
            raise RuntimeError(f"{document['key']}: {outcome.error}")
        with database.session() as session:
            passages = session.execute(
                select(Passage.id, Passage.text).where(Passage.document_id == outcome.document_id)
            ).all()
        normed = [(passage_id, _norm(text)) for passage_id, text in passages]
        for block in document["blocks"]:
            if "id" not in block:
                continue
            want = _norm(block["text"])
            found = {
                passage_id
                for passage_id, text in normed
                if len(text) >= 20 and (text in want or want[:80] in text)
            }
            if not found:
                raise RuntimeError(f"paragraph {block['id']} not found among the passages")
            located[block["id"]] = found
    return located


@dataclass
class QueryOutcome:
    id: str
    half: str
    rank: int | None
    """1-based rank of the target among the matches (None: not among the first DEPTH)."""
    matches: int
    """``total`` of the search: how many passages it calls matches."""
    related_rank: int | None = None
    """Rank of the target among matches followed by related passages."""


@dataclass
class Figures:
    half: str
    cross: list[QueryOutcome] = field(default_factory=list)
    none: list[QueryOutcome] = field(default_factory=list)

    @property
    def recall_at_3(self) -> float:
        return sum(o.rank is not None and o.rank <= 3 for o in self.cross) / len(self.cross)

    @property
    def mrr(self) -> float:
        return sum(1 / o.rank for o in self.cross if o.rank) / len(self.cross)

    @property
    def no_match(self) -> int:
        return sum(o.matches == 0 for o in self.none)

    def line(self) -> str:
        return (
            f"{self.half:>8}: cross-lingual recall@3 {self.recall_at_3:.3f}, "
            f"MRR {self.mrr:.3f} (n={len(self.cross)}); "
            f"no-match queries with no match {self.no_match}/{len(self.none)}"
        )


def evaluate(
    service: SearchService,
    database: Database,
    data: dict,
    located: dict[str, set[int]],
    *,
    mode: str = "hybrid",
) -> dict[str, Figures]:
    """Run every query of the set (no filters, the given mode) and score it per half."""
    figures = {half: Figures(half) for half in HALVES}
    with database.session() as session:
        for query in data["queries"]:
            result = service.search(session, SearchQuery(q=query["q"], mode=mode, limit=DEPTH))
            matched = [hit.passage_id for hit in result.hits]
            related = [hit.passage_id for hit in getattr(result, "related", [])]
            outcome = QueryOutcome(query["id"], query["half"], None, result.total)
            if query["target"] is None:
                figures[query["half"]].none.append(outcome)
                continue
            wanted: set[int] = set()
            for paragraph in [query["target"], *query["also"]]:
                wanted |= located[paragraph]
            outcome.rank = next((i + 1 for i, pid in enumerate(matched) if pid in wanted), None)
            outcome.related_rank = next(
                (i + 1 for i, pid in enumerate(matched + related) if pid in wanted), None
            )
            figures[query["half"]].cross.append(outcome)
    return figures
