"""The query syntax of the search box, parsed into clauses and filters.

::

    labour mobility              both words (any form: labour, labours; any of the six languages)
    "labour mobility"            the phrase
    mobility -student            without passages that have the word "student"
    remittances OR transfers     either word; OR binds tighter than the spaces around it
    process:bali-process         passages of documents linked to the process, or mentioning it
    state:PER  org:iom           passages mentioning Peru / IOM
    lang:ru  type:chair-summary  passage language, document type
    year:2013  year:2010..2015   document year, or a range (``2010..`` and ``..2015`` too)
    -lang:en                     a filter negated

Filters of the same field are alternatives (``lang:ru lang:es``), filters of different fields
must all hold. A word before a colon that is not one of the fields above is an ordinary word
(``10:30``, ``http://...``). An unclosed quotation mark runs to the end of the query.
Parentheses are read as spaces.

:func:`parse_query` never raises anything but :class:`~rcphub.errors.InvalidInput`, with a
message a person can act on: a filter value that cannot be right (``lang:xx``, ``year:abc``),
``OR`` between filters, or a query too long to be a query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rcphub.config import LANGUAGES
from rcphub.errors import InvalidInput
from rcphub.search.analysis import Analyzer, QueryTerm

MAX_QUERY_CHARS = 2000
MAX_CLAUSES = 256
FACET_FIELDS = ("process", "state", "org", "theme")
"""Multi-valued fields: stored as index terms and counted as facets."""
FILTER_FIELDS = (*FACET_FIELDS, "lang", "type", "year")
LANG_VALUES = (*LANGUAGES, "und")
YEAR_MIN, YEAR_MAX = 1000, 2999

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._:\-]{0,89}$")
_YEAR = re.compile(r"^(\d{4})?(?:(\.\.)(\d{4})?)?$")
_LEXEME = re.compile(r'"[^"]*(?:"|$)|[^\s"]+')
_FIELD = re.compile(r"^(-?)([A-Za-z]+):(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Clause:
    """A word (one term, perhaps with variants) or a phrase (terms in a row)."""

    terms: tuple[QueryTerm, ...]
    phrase: bool = False

    @property
    def text(self) -> str:
        joined = " ".join(t.surface for t in self.terms)
        return f'"{joined}"' if self.phrase else joined


@dataclass
class ParsedQuery:
    """A query as the index evaluates it.

    ``items`` must all match (each item is clauses joined by OR); ``excluded`` clauses must
    not; ``filters`` hold per field the accepted values (any of them) and ``excluded_filters``
    the refused ones. ``text`` is the free text, for the embedding model.
    """

    items: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    excluded_filters: dict[str, list[str]] = field(default_factory=dict)
    text: str = ""
    hidden_documents: frozenset[int] = frozenset()
    """Document keys (:func:`~rcphub.search.segment.document_key`) the asker may not read:
    their rows are out of the match set, so out of the hits, the total and every facet."""

    @property
    def has_terms(self) -> bool:
        return bool(self.items)

    def positive_terms(self) -> set[str]:
        """Every index term a hit may be highlighted for."""
        return {v for item in self.items for c in item for t in c.terms for v in t.variants}

    def add_filter(self, name: str, value: str, *, negated: bool = False) -> None:
        target = self.excluded_filters if negated else self.filters
        values = target.setdefault(name, [])
        normal = normalise_filter(name, value)
        if normal not in values:
            values.append(normal)


def normalise_filter(name: str, value: str) -> str:
    """The canonical form of a filter value, or :class:`InvalidInput` saying what is wrong."""
    value = value.strip()
    if name not in FILTER_FIELDS:
        raise InvalidInput(f"unknown filter {name!r}; use one of {', '.join(FILTER_FIELDS)}")
    if not value:
        raise InvalidInput(f"{name}: needs a value, e.g. {_EXAMPLES[name]}")
    if name == "lang":
        code = value.lower()
        if code not in LANG_VALUES:
            raise InvalidInput(
                f"lang:{value[:20]} is not a language of the hub; use one of "
                f"{' '.join(LANG_VALUES)}"
            )
        return code
    if name == "state":
        code = value.upper()
        if not (len(code) == 3 and code.isascii() and code.isalpha()):
            raise InvalidInput(
                f"state:{value[:20]} is not an ISO 3166-1 alpha-3 code such as PER or MEX"
            )
        return code
    if name == "year":
        match = _YEAR.match(value)
        if (
            not match
            or not (match.group(1) or match.group(3))
            or (match.group(3) and not match.group(2))
        ):
            raise InvalidInput(
                f"year:{value[:20]} is not a year or a range; write year:2013, "
                "year:2010..2015, year:2010.. or year:..2015"
            )
        low, high = match.group(1), match.group(3)
        if not match.group(2):
            high = low
        for year in (low, high):
            if year and not YEAR_MIN <= int(year) <= YEAR_MAX:
                raise InvalidInput(f"year:{value[:20]} is out of range")
        if low and high and int(low) > int(high):
            raise InvalidInput(f"year:{value[:20]} ends before it starts")
        return f"{low or ''}..{high or ''}" if match.group(2) else low or ""
    code = value.lower()
    if not _SLUG.match(code):
        raise InvalidInput(
            f"{name}:{value[:40]} is not an identifier; IDs are lower-case letters, digits and "
            f"hyphens, e.g. {_EXAMPLES[name]}"
        )
    return code


_EXAMPLES = {
    "process": "process:bali-process",
    "state": "state:PER",
    "org": "org:iom",
    "theme": "theme:gcm-5",
    "lang": "lang:ru",
    "type": "type:chair-summary",
    "year": "year:2013",
}


def year_bounds(value: str) -> tuple[int, int]:
    """``2013`` → (2013, 2013); ``2010..`` → (2010, YEAR_MAX); ``..2015`` → (YEAR_MIN, 2015)."""
    if ".." not in value:
        return int(value), int(value)
    low, high = value.split("..", 1)
    return int(low) if low else YEAR_MIN, int(high) if high else YEAR_MAX


@dataclass
class _Atom:
    kind: str  # word | phrase | filter | or
    value: str
    negated: bool = False
    name: str = ""


def _lex(query: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for match in _LEXEME.finditer(query):
        lexeme = match.group()
        if lexeme == "OR":
            atoms.append(_Atom("or", lexeme))
            continue
        negated = False
        if lexeme.startswith("-") and len(lexeme) > 1:
            negated, lexeme = True, lexeme[1:]
        if lexeme.startswith('"'):
            body = lexeme[1:-1] if len(lexeme) > 1 and lexeme.endswith('"') else lexeme[1:]
            atoms.append(_Atom("phrase", body, negated))
            continue
        field_match = _FIELD.match(lexeme)
        if field_match and field_match.group(2).lower() in FILTER_FIELDS:
            name, value = field_match.group(2).lower(), field_match.group(3)
            if value.startswith('"'):  # field:"value with spaces" was cut by the lexer
                value = value.strip('"')
            atoms.append(_Atom("filter", value, negated or bool(field_match.group(1)), name))
            continue
        atoms.append(_Atom("word", lexeme, negated))
    return atoms


def _rejoin_quoted_filters(query: str) -> str:
    """``field:"a b"`` → one lexeme, by turning it into ``field:a\\x00b`` before lexing."""
    return re.sub(
        r'(\b[A-Za-z]+):"([^"]*)"',
        lambda m: (
            f"{m.group(1)}:{m.group(2).strip().replace(' ', chr(0))}"
            if m.group(1).lower() in FILTER_FIELDS
            else m.group()
        ),
        query,
    )


def parse_query(query: str, analyzer: Analyzer) -> ParsedQuery:
    """Parse the search box's text; see the module docstring for the syntax."""
    if not isinstance(query, str):
        raise InvalidInput("the query must be text")
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(
            f"the query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}"
        )
    if "\x00" in query:
        raise InvalidInput("the query contains a NUL character")
    cleaned = query.replace("(", " ").replace(")", " ")
    cleaned = _rejoin_quoted_filters(cleaned)
    parsed = ParsedQuery()
    groups: list[list[_Atom]] = []
    pending_or = False
    for atom in _lex(cleaned):
        if atom.kind == "filter":
            atom.value = atom.value.replace("\x00", " ")
        if atom.kind == "or":
            pending_or = bool(groups)
            continue
        if pending_or and groups:
            groups[-1].append(atom)
        else:
            groups.append([atom])
        pending_or = False
    text_parts: list[str] = []
    for group in groups:
        if len(group) > 1 and any(a.kind == "filter" for a in group):
            raise InvalidInput(
                "OR joins words and phrases, not filters; repeat a filter instead "
                "(lang:ru lang:es means either language)"
            )
        if len(group) > 1 and any(a.negated for a in group):
            raise InvalidInput(
                "a word excluded with - cannot be one side of OR; write the exclusion apart"
            )
        atom = group[0]
        if atom.kind == "filter":
            parsed.add_filter(atom.name, atom.value, negated=atom.negated)
            continue
        if atom.negated:
            terms = analyzer.query_terms(atom.value)
            if terms:
                parsed.excluded.append(Clause(tuple(terms), phrase=len(terms) > 1))
            continue
        if len(group) == 1:
            terms = analyzer.query_terms(atom.value)
            if not terms:
                continue
            text_parts.append(atom.value)
            if atom.kind == "phrase" and len(terms) > 1:
                parsed.items.append([Clause(tuple(terms), phrase=True)])
            else:
                parsed.items.extend([Clause((term,))] for term in terms)
            continue
        alternatives = []
        for alternative in group:
            terms = analyzer.query_terms(alternative.value)
            if terms:
                alternatives.append(Clause(tuple(terms), phrase=len(terms) > 1))
                text_parts.append(alternative.value)
        if alternatives:
            parsed.items.append(alternatives)
    clause_count = sum(len(item) for item in parsed.items) + len(parsed.excluded)
    if clause_count > MAX_CLAUSES:
        raise InvalidInput(
            f"the query has {clause_count} words and phrases; the limit is {MAX_CLAUSES}"
        )
    parsed.text = " ".join(text_parts)
    return parsed
