"""The query syntax: what each construct means, clear errors, and a fuzzer showing that any
string parses or raises InvalidInput (never anything else), quickly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rcphub.errors import InvalidInput
from rcphub.search.analysis import Analyzer
from rcphub.search.query import MAX_QUERY_CHARS, ParsedQuery, parse_query

ANALYZER = Analyzer()


def parse(text: str) -> ParsedQuery:
    return parse_query(text, ANALYZER)


def test_words_are_all_required() -> None:
    parsed = parse("labour mobility")
    assert len(parsed.items) == 2
    assert all(len(item) == 1 and not item[0].phrase for item in parsed.items)
    assert parsed.text == "labour mobility"


def test_phrase_or_and_exclusion() -> None:
    parsed = parse('"regional consultative processes" remittances OR transfers -student')
    phrase, either = parsed.items
    assert phrase[0].phrase
    assert len(phrase[0].terms) == 3
    assert len(either) == 2
    assert [c.text for c in parsed.excluded] == ["student"]
    assert "student" not in parsed.text


def test_unclosed_quote_runs_to_the_end() -> None:
    parsed = parse('"labour mobility')
    assert parsed.items[0][0].phrase


def test_filters() -> None:
    parsed = parse(
        "migration process:Bali-Process lang:RU state:per type:chair-summary year:2013 "
        'year:2010..2015 org:iom -lang:en process:"abu-dhabi-dialogue"'
    )
    assert parsed.filters == {
        "process": ["bali-process", "abu-dhabi-dialogue"],
        "lang": ["ru"],
        "state": ["PER"],
        "type": ["chair-summary"],
        "year": ["2013", "2010..2015"],
        "org": ["iom"],
    }
    assert parsed.excluded_filters == {"lang": ["en"]}
    assert parsed.text == "migration"


def test_unknown_fields_are_words() -> None:
    parsed = parse("10:30 http://example.org")
    assert parsed.filters == {}
    assert parsed.has_terms


def test_open_year_ranges() -> None:
    assert parse("year:2010..").filters["year"] == ["2010.."]
    assert parse("year:..2015").filters["year"] == ["..2015"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("lang:xx", "not a language"),
        ("state:Peru", "alpha-3"),
        ("year:abc", "not a year"),
        ("year:2015..2010", "ends before it starts"),
        ("year:0999", "out of range"),
        ("lang:", "needs a value"),
        ("lang:ru OR lang:es", "OR joins words"),
        ("migration OR -asylum", "cannot be one side of OR"),
        ("process:<script>", "not an identifier"),
        ("x" * (MAX_QUERY_CHARS + 1), "characters long"),
        ("a\x00b", "NUL"),
        (" ".join(["migration"] * 300), "the limit is"),
    ],
)
def test_clear_errors(query: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse(query)


def test_only_filters_or_exclusions_have_no_terms() -> None:
    assert not parse("lang:ru").has_terms
    assert not parse("-migration").has_terms
    assert not parse("").has_terms
    assert not parse("OR OR").has_terms


SYNTAX = st.lists(
    st.one_of(
        st.sampled_from(
            ['"', "-", "OR", ":", "..", "(", ")", " ", "lang:", "year:", "state:", "process:",
             "type:", "org:", "theme:", "lang:ru", "year:2010..2015", "-lang:", '"a b', "\\",
             "migración", "миграция", "移民", "الهجرة", "\u200d", "\u0301", "ß", "İ", "\ufeff"]
        ),
        st.text(max_size=12),
    ),
    max_size=30,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(query=st.one_of(SYNTAX, st.text(max_size=200)))
def test_any_string_parses_or_is_refused_clearly(query: str) -> None:
    try:
        parsed = parse(query)
    except InvalidInput as exc:
        assert exc.message  # noqa: PT017
        assert len(exc.message) < 400  # noqa: PT017
    else:
        assert isinstance(parsed, ParsedQuery)


def test_search_parameters_from_a_form_are_checked() -> None:
    from rcphub.search import SearchQuery

    assert SearchQuery.from_params(q="x", mode="keyword", lang=["ru"]).mode == "keyword"
    with pytest.raises(InvalidInput, match="mode"):
        SearchQuery.from_params(q="x", mode="fuzzy")
    with pytest.raises(InvalidInput, match="limit"):
        SearchQuery.from_params(limit="many")
