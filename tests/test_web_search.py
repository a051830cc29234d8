"""The search page on both databases, over the real Lima Chair's summary (Russian): words in
any form, cross-lingual queries, highlights, citations that lead to the paragraph, facets that
narrow, pagination, the six interface languages, and hostile input that gets a 400 page with
the reason, never a 500."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rcphub.config import LANGUAGES
from tests.test_web_pages import html_lang

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient

HIT = re.compile(r'<li class="hit">.*?</li>', re.DOTALL)
CITE = re.compile(r'<p class="hit__cite"><a href="([^"]+)">([^<]*(?:<[^>]+>[^<]*)*?)</a>')


@pytest.fixture(scope="module")
def web(app, lima_id) -> Iterator[TestClient]:
    app.state.indexer.catch_up()  # what the background indexer of `rcphub serve` does
    with TestClient(app) as client:
        yield client


def get(web: TestClient, url: str):
    web.cookies.clear()
    return web.get(url)


def hits(html: str) -> list[str]:
    return HIT.findall(html)


def total(html: str) -> int:
    """The count the page states: "7 paragraphs" or "Paragraphs 1–10 of 23"."""
    match = re.search(r"of (\d+)</p>|(\d+) paragraphs?\s*</p>", html)
    assert match, "no count of paragraphs on the page"
    return int(match.group(1) or match.group(2))


def cited_hrefs(html: str) -> list[str]:
    return [m.group(1) for m in CITE.finditer(html)]


def test_empty_page_invites_a_query(web) -> None:
    response = get(web, "/search?lang=en")
    assert response.status_code == 200
    assert "Type words in any of the six languages" in response.text
    assert hits(response.text) == []
    assert 'aria-current="page">Search</a>' in response.text


def test_russian_words_in_another_form_find_the_paragraph(web, lima_id) -> None:
    # "трудовым ресурсам" is not in the text; "трудовых ресурсов" (paragraph 7) is
    response = get(web, "/search?lang=en&mode=keyword&q=" + quote("трудовым ресурсам"))
    assert response.status_code == 200
    found = hits(response.text)
    assert len(found) == 1
    assert f'href="/documents/{lima_id}#p-7"' in found[0]
    assert "<mark>трудовых</mark> <mark>ресурсов</mark>" in found[0]
    # the document's part isolated (<bdi>), so a title in another direction keeps its order
    assert "<bdi>Chair&#39;s summary, Global RCP meeting 2013</bdi>, paragraph 7" in found[0]
    assert 'class="hit__text" lang="ru"' in found[0]


def test_a_spanish_query_finds_the_russian_paragraph_on_labour_mobility(web, lima_id) -> None:
    response = get(web, "/search?lang=es&q=" + quote("movilidad laboral"))
    assert response.status_code == 200
    assert cited_hrefs(response.text)[0] == f"/documents/{lima_id}#p-7"
    assert "<bdi>Resumen de la Presidencia, Reunión Mundial de los PCR 2013</bdi>, párrafo 7" in (
        response.text
    )


def test_the_cited_address_opens_the_paragraph(web, lima_id) -> None:
    response = get(web, "/search?lang=en&mode=keyword&q=" + quote("Балийского процесса"))
    href = cited_hrefs(response.text)[0]
    path, _, anchor = href.partition("#")
    page = get(web, path + "?lang=en")
    assert page.status_code == 200
    assert f'id="{anchor}"' in page.text


def test_facets_count_and_narrow(web) -> None:
    query = "/search?lang=en&mode=keyword&q=" + quote("миграции")
    everything = get(web, query).text
    count = total(everything)
    facet = re.search(
        r'name="state" value="PER"> (?:<[^>]+>)*[^<]*(?:<[^>]+>)* <span class="facet__count">(\d+)',
        everything,
    )
    assert facet, "Peru is mentioned in the summary: its facet should be offered"
    peru = int(facet.group(1))
    assert 0 < peru < count
    narrowed = get(web, query + "&state=PER").text
    assert total(narrowed) == peru
    assert 'name="state" value="PER" checked' in narrowed
    assert len(hits(narrowed)) == min(peru, 10)
    # the language facet has its own parameter: ?lang= stays the interface language
    russian_only = get(web, query + "&language=ru").text
    assert html_lang(russian_only) == ("en", "ltr")
    assert total(russian_only) == count


def test_pagination(web) -> None:
    first = get(web, "/search?lang=en&q=" + quote("миграция")).text
    count = total(first)
    assert count > 10
    assert 'rel="next"' in first
    second = get(web, "/search?lang=en&page=2&q=" + quote("миграция")).text
    assert f"Paragraphs 11–{min(count, 20)} of {count}" in second
    assert set(cited_hrefs(first)).isdisjoint(cited_hrefs(second))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_in_every_language(web, lang) -> None:
    response = get(web, f"/search?lang={lang}&q=" + quote("мигрантов"))
    assert response.status_code == 200
    assert html_lang(response.text) == (lang, "rtl" if lang == "ar" else "ltr")
    assert hits(response.text)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("page=0&q=x", "page must be between 1 and 100"),
        ("page=abc&q=x", "page must be a whole number"),
        ("mode=fuzzy&q=x", "mode"),
        ("q=x&year=soon", "year"),
    ],
)
def test_bad_parameters_are_explained(web, query, reason) -> None:
    response = get(web, f"/search?lang=en&{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert reason in response.text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(alphabet=st.sampled_from(list("\"-():ORANDlangstaeyr2013 *мир移民\\'«»")), max_size=40)
)
def test_any_query_gets_results_or_a_clear_400(web, text) -> None:
    response = web.get("/search", params={"q": text, "mode": "keyword", "lang": "en"})
    assert response.status_code in (200, 400), (text, response.status_code)
    if response.status_code == 400:
        assert "This query cannot be run" in response.text
