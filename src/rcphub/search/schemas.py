"""What goes into and comes out of a search: plain Pydantic data, the same for the pages, the
JSON API (``GET /api/v1/search``) and the CLI (``rcphub search --json``)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class SearchMode(StrEnum):
    KEYWORD = "keyword"
    SEMANTIC = "semantic"
    HYBRID = "hybrid"


DEFAULT_MODE = SearchMode.HYBRID
MAX_LIMIT = 100
MAX_WINDOW = 1000
"""How deep a user may page (offset + limit)."""


class SearchQuery(BaseModel):
    """A search: the box's text plus filters given as parameters (each list means "any of";
    they combine with the filters written in ``q``)."""

    q: str = ""
    mode: SearchMode = DEFAULT_MODE
    lang: list[str] = Field(default_factory=list)
    process: list[str] = Field(default_factory=list)
    state: list[str] = Field(default_factory=list)
    org: list[str] = Field(default_factory=list)
    theme: list[str] = Field(default_factory=list)
    type: list[str] = Field(default_factory=list)
    year: list[str] = Field(default_factory=list)
    limit: int = 20
    offset: int = 0
    facet_limit: int = 50

    @classmethod
    def from_params(cls, **params: object) -> SearchQuery:
        """A query from loosely typed input (a page's form): bad values raise
        :class:`~rcphub.errors.InvalidInput` with the field and the reason, not a
        validation error."""
        from pydantic import ValidationError

        from rcphub.errors import InvalidInput

        try:
            return cls.model_validate(params)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"
                for error in exc.errors()
            )
            raise InvalidInput(f"invalid search parameters: {problems}") from None

    def parameter_filters(self) -> dict[str, list[str]]:
        return {
            name: values
            for name in ("lang", "process", "state", "org", "theme", "type", "year")
            if (values := getattr(self, name))
        }


class Citation(BaseModel):
    title: str | None
    symbol: str | None
    ref: str
    url: str


class SearchHit(BaseModel):
    document: str
    ref: str
    language: str
    text: str
    text_truncated: bool = Field(
        default=False,
        description="The passage is longer than the hit shows (its first 20,000 characters); "
        "the document has it whole.",
    )
    score: float
    highlight: str = Field(description="The text, HTML-escaped, matched words in <mark>.")
    passage_id: int
    citation: Citation
    matched: list[str] = Field(
        default_factory=list,
        description='Why it is here: "words" (every word of the query is in it), "meaning" '
        '(close enough in meaning to match), both, or "related" (close in meaning, below '
        "the match floor: only in ``related``).",
    )


class FacetCount(BaseModel):
    value: str
    count: int


class SearchResult(BaseModel):
    query: str
    mode: SearchMode
    total: int
    offset: int
    limit: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]]
    related: list[SearchHit] = Field(
        default_factory=list,
        description="When few or no passages match (fewer than 3): passages close in meaning "
        "to the query but below the match floor, best first; not counted in ``total`` and "
        "never in feeds.",
    )
    pending_documents: int = Field(
        default=0,
        description="Documents changed in the database that the index of the node answering "
        "has not taken in yet (0: up to date); they are indexed in the background.",
    )


def search_payload(result: SearchResult) -> dict:
    """The JSON of a search, for the CLI and the API alike."""
    return result.model_dump(mode="json")
