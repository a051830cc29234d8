"""The theme tagger: passages in any of the six languages → concepts of the HLD 2013, GCM and
SDG schemes, each with a score.

One model for every language. A concept is represented by the mean embedding (multilingual
USE, :mod:`rcphub.search.embedding`) of its labels in every language the registry holds, its
short labels and the extra texts of ``themes/data/rules.yaml``; a passage scores the cosine
similarity of its embedding — the one vector the search index uses too, computed once and
stored (:mod:`rcphub.search.vectors`: clause by clause, names blanked out) — with that
vector, plus ``keyword_bonus`` when one of the concept's keyword rules for the passage's
language matches. A concept is suggested when its score reaches
the scheme's calibrated threshold, at most ``max_tags`` per scheme, best first.

Names of processes, states and organisations (the entity linker's mentions) are blanked out of
the passage before either step: "the Global Forum on Migration and Development" or "the Bali
Process on People Smuggling, Trafficking in Persons ..." are names, not themes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub.db.models import Concept, ConceptVectors
from rcphub.limits import WORK_PASSAGE_CHARS, WORK_PASSAGES
from rcphub.literals import required_literals
from rcphub.search.embedding import Embedder
from rcphub.themes.crosswalk import load_crosswalk
from rcphub.themes.ids import tag_id

SKIPPED_KINDS = frozenset({"signature"})
"""Passage kinds never tagged (a signature block has no theme)."""


@dataclass(frozen=True)
class PassageInput:
    """What the tagger needs of a passage: its text, language and the character spans of the
    names in it (blanked out before tagging)."""

    text: str
    language: str
    kind: str = "paragraph"
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Suggestion:
    scheme: str
    code: str
    score: float

    @property
    def tag(self) -> str:
        return tag_id(self.scheme, self.code)


@dataclass
class SchemeRule:
    threshold: float
    max_tags: int
    candidates: str | None = None


@dataclass
class Rules:
    keyword_bonus: float
    schemes: dict[str, SchemeRule]
    texts: dict[str, list[str]] = field(default_factory=dict)
    keywords: dict[str, dict[str, re.Pattern[str]]] = field(default_factory=dict)
    """Per concept and language, one pattern: any of the concept's keyword patterns."""

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Rules:
        schemes = {
            scheme: SchemeRule(
                threshold=float(spec["threshold"]),
                max_tags=int(spec.get("max_tags", 3)),
                candidates=spec.get("candidates"),
            )
            for scheme, spec in data["schemes"].items()
        }
        texts: dict[str, list[str]] = {}
        keywords: dict[str, dict[str, re.Pattern[str]]] = {}
        for concept, spec in (data.get("concepts") or {}).items():
            texts[concept] = list(spec.get("text") or [])
            keywords[concept] = {
                lang: _keyword_pattern(concept, patterns)
                for lang, patterns in (spec.get("keywords") or {}).items()
                if patterns
            }
        return cls(float(data.get("keyword_bonus", 0.0)), schemes, texts, keywords)


def _keyword_pattern(concept: str, patterns: list[str]) -> re.Pattern[str]:
    """One pattern for a concept's keywords in a language, matched against the lower-cased
    passage: three times faster than ``re.IGNORECASE`` over 37 concepts' alternations (0.7 s
    against 2.2 s for 4,400 passages), so the patterns must be lower case themselves."""
    for pattern in patterns:
        if pattern != pattern.lower():
            raise ValueError(
                f"{concept}: keyword {pattern!r} is matched against lower-cased text; write it"
                " in lower case (and [^\\w] for \\W)"
            )
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@cache
def default_rules() -> Rules:
    from importlib import resources

    text = resources.files("rcphub.themes").joinpath("data/rules.yaml").read_text("utf-8")
    return Rules.from_data(yaml.safe_load(text))


@dataclass(frozen=True)
class ConceptText:
    scheme: str
    code: str
    texts: tuple[str, ...]


def concept_texts(session: Session, rules: Rules | None = None) -> list[ConceptText]:
    """The concepts the tagger may suggest, with the texts that represent each."""
    rules = rules or default_rules()
    crosswalk_sdg = {m.code for m in load_crosswalk() if m.scheme == "sdg"}
    found = []
    for concept in session.scalars(
        select(Concept)
        .where(Concept.scheme_id.in_(list(rules.schemes)))
        .order_by(Concept.scheme_id, Concept.position)
    ):
        rule = rules.schemes[concept.scheme_id]
        if rule.candidates == "crosswalk" and concept.code not in crosswalk_sdg:
            continue
        texts = [*concept.labels.values(), *concept.short_labels.values()]
        texts += rules.texts.get(tag_id(concept.scheme_id, concept.code), [])
        found.append(ConceptText(concept.scheme_id, concept.code, tuple(dict.fromkeys(texts))))
    return found


def blank_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with the given character spans replaced by spaces (offsets stay valid)."""
    for start, end in spans:
        start, end = max(start, 0), min(end, len(text))
        if start < end:
            text = f"{text[:start]}{' ' * (end - start)}{text[end:]}"
    return text


def concepts_key(concepts: Sequence[ConceptText]) -> str:
    """A digest of the concepts and their texts, in order: what their vectors depend on
    besides the model."""
    digest = hashlib.sha256()
    for concept in concepts:
        line = json.dumps([concept.scheme, concept.code, *concept.texts], ensure_ascii=False)
        digest.update(f"{line}\n".encode())
    return digest.hexdigest()


def stored_vectors(
    session: Session, embedder: Embedder, concepts: Sequence[ConceptText]
) -> np.ndarray | None:
    """The concept vectors kept for ``embedder`` and exactly these concepts, if any."""
    row = session.get(ConceptVectors, embedder.name)
    if row is None or row.key != concepts_key(concepts):
        return None
    vectors = np.frombuffer(row.vectors, dtype=np.float32)
    if vectors.size != len(concepts) * embedder.dims:
        return None
    return vectors.reshape(len(concepts), embedder.dims)


def keep_vectors(session: Session, tagger: Tagger) -> None:
    """Keep ``tagger``'s concept vectors for every other process (replacing those of other
    concepts)."""
    key = concepts_key(tagger.concepts)
    data = np.ascontiguousarray(tagger.vectors, dtype=np.float32).tobytes()
    row = session.get(ConceptVectors, tagger.embedder.name)
    if row is None:
        session.add(ConceptVectors(embedder=tagger.embedder.name, key=key, vectors=data))
    elif row.key != key:
        row.key, row.vectors = key, data


_CONCEPT_VECTORS: dict[tuple[str, tuple[ConceptText, ...]], np.ndarray] = {}
"""Concept vectors by model and concept texts: every tagger of a process with the same
concepts shares them (embedding ~280 texts takes a second or two)."""


class Tagger:
    """Suggests concepts for passages; build once (it embeds every concept text), reuse."""

    def __init__(
        self,
        concepts: Sequence[ConceptText],
        embedder: Embedder,
        rules: Rules | None = None,
        *,
        vectors: np.ndarray | None = None,
        computed: Callable[[Tagger], None] | None = None,
    ) -> None:
        """``vectors``: the concept vectors, kept from an earlier computation
        (:func:`stored_vectors`); else they are computed on first use, and then given to
        ``computed`` (to keep them: :func:`keep_vectors`)."""
        self.rules = rules or default_rules()
        self.embedder = embedder
        self.concepts = list(concepts)
        self.tags = [tag_id(c.scheme, c.code) for c in self.concepts]
        self._vectors: np.ndarray | None = vectors
        self._computed = computed
        self._passage_embedder = None
        self._columns: list[tuple[str, SchemeRule, np.ndarray]] | None = None
        self._keyword_cache: dict[
            str, list[tuple[int, re.Pattern[str], frozenset[str] | None]]
        ] = {}

    @classmethod
    def from_session(
        cls,
        session: Session,
        embedder: Embedder | None = None,
        computed: Callable[[Tagger], None] | None = None,
    ) -> Tagger:
        """The tagger of the concepts in the database, with their vectors if they are kept
        there (see :meth:`__init__` for ``computed``)."""
        if embedder is None:
            from rcphub.search.embedding import UseEmbedder

            embedder = UseEmbedder()
        concepts = concept_texts(session)
        vectors = stored_vectors(session, embedder, concepts)
        return cls(concepts, embedder, vectors=vectors, computed=computed)

    @property
    def vectors(self) -> np.ndarray:
        """One unit vector per concept: the mean of its texts' embeddings."""
        if self._vectors is None:
            key = (self.embedder.name, tuple(self.concepts))
            cached = _CONCEPT_VECTORS.get(key)
            if cached is not None:
                self._vectors = cached
                return cached
            flat = [text for concept in self.concepts for text in concept.texts]
            embedded = self.embedder.embed(flat)
            rows, start = [], 0
            for concept in self.concepts:
                mean = embedded[start : start + len(concept.texts)].mean(axis=0)
                start += len(concept.texts)
                rows.append(mean / (np.linalg.norm(mean) or 1.0))
            self._vectors = np.asarray(rows, dtype=np.float32).reshape(
                len(self.concepts), self.embedder.dims
            )
            _CONCEPT_VECTORS[key] = self._vectors
            if self._computed is not None:
                self._computed(self)
        return self._vectors

    def warm_up(self) -> None:
        """Load the model and embed the concepts now (a progress report then times only the
        passages)."""
        _ = self.vectors

    @property
    def passage_embedder(self):  # type: ignore[no-untyped-def]
        """How passages are embedded, for the search index too (clause by clause): the
        vectors stored in ``passage_vectors`` are this one's (:mod:`rcphub.search.vectors`)."""
        if self._passage_embedder is None:
            from rcphub.search.embedding import CachedEmbedder

            self._passage_embedder = CachedEmbedder(self.embedder)
        return self._passage_embedder

    def scores(
        self, passages: Sequence[PassageInput], vectors: np.ndarray | None = None
    ) -> np.ndarray:
        """(passages × concepts) scores: similarity plus the keyword bonus. ``vectors``: the
        passages' shared embeddings (one row each, :mod:`rcphub.search.vectors`); without
        them they are computed now, the same way. Bounded work (:mod:`rcphub.limits`): the
        first ``WORK_PASSAGE_CHARS`` characters of each passage."""
        texts = [blank_spans(p.text[:WORK_PASSAGE_CHARS], p.spans).lower() for p in passages]
        if not texts:
            return np.zeros((0, len(self.concepts)), dtype=np.float32)
        if vectors is None:
            from rcphub.search.vectors import compute

            vectors = compute(
                self.passage_embedder,
                [(0, p.text[:WORK_PASSAGE_CHARS], p.spans) for p in passages],
            ).means
        similarity = np.asarray(vectors, dtype=np.float32) @ self.vectors.T
        bonus = self.rules.keyword_bonus
        for row, (passage, text) in enumerate(zip(passages, texts, strict=True)):
            contains = text.__contains__
            for column, pattern, literals in self._keyword_columns(passage.language):
                # no literal every match needs is in the text: the search cannot match
                if literals is not None and not any(map(contains, literals)):
                    continue
                if pattern.search(text):
                    similarity[row, column] += bonus
        return similarity

    def _keyword_columns(
        self, language: str
    ) -> list[tuple[int, re.Pattern[str], frozenset[str] | None]]:
        """The concepts (columns) with keywords in ``language``: their pattern and the
        literals one of which a text needs for it to match (:func:`required_literals`)."""
        columns = self._keyword_cache.get(language)
        if columns is None:
            columns = [
                (column, pattern, required_literals(pattern))
                for column, tag in enumerate(self.tags)
                if (pattern := self.rules.keywords.get(tag, {}).get(language)) is not None
            ]
            self._keyword_cache[language] = columns
        return columns

    def suggest(
        self, passages: Sequence[PassageInput], vectors: np.ndarray | None = None
    ) -> list[list[Suggestion]]:
        """The suggestions for each passage, by scheme then score (``vectors``: one row per
        passage, see :meth:`scores`); passages past :data:`~rcphub.limits.WORK_PASSAGES` of a
        document get none."""
        taggable = [i for i, p in enumerate(passages[:WORK_PASSAGES]) if self.taggable(p)]
        result: list[list[Suggestion]] = [[] for _ in passages]
        scores = self.scores(
            [passages[i] for i in taggable], None if vectors is None else vectors[taggable]
        )
        for row, index in enumerate(taggable):
            result[index] = self.pick(scores[row])
        return result

    def pick(self, row: np.ndarray) -> list[Suggestion]:
        """The suggestions of one row of :meth:`scores`: per scheme, the concepts at or
        above its threshold, best first (ties in column order), at most ``max_tags``."""
        chosen: list[Suggestion] = []
        for scheme, rule, columns in self._scheme_columns():
            above = columns[row[columns] >= rule.threshold].tolist()
            above.sort(key=lambda i: -row[i])
            chosen.extend(
                Suggestion(scheme, self.concepts[i].code, round(float(row[i]), 4))
                for i in above[: rule.max_tags]
            )
        return chosen

    def _scheme_columns(self) -> list[tuple[str, SchemeRule, np.ndarray]]:
        """Per scheme of the rules: its rule and its concepts' columns, in column order."""
        if self._columns is None:
            self._columns = [
                (
                    scheme,
                    rule,
                    np.asarray(
                        [i for i, c in enumerate(self.concepts) if c.scheme == scheme],
                        dtype=np.intp,
                    ),
                )
                for scheme, rule in self.rules.schemes.items()
            ]
        return self._columns

    @staticmethod
    def taggable(passage: PassageInput) -> bool:
        return passage.kind not in SKIPPED_KINDS and passage.language != "und"
