"""The document page lists each passage's themes compactly, measured in a real Chromium on the
bundled Lima Chair's summary: a line of chips per passage (the code, with the full title on
hover and for screen readers) that unfolds into the full list, so the page stays short.

Measured with the full list under every passage: 10,875 px tall at 1,280 px wide in English
(12,198 in Arabic), 23,821 px at 390 px (26,647 in Arabic); with the chips 7,679 and 8,465,
19,223 and 20,961."""

from __future__ import annotations

import pytest

from tests.browser_support import guarded_page, run_axe, running_server

pytestmark = pytest.mark.browser

MAX_HEIGHT = {1280: 9_000, 390: 22_000}


@pytest.fixture(scope="module")
def lima(database_factory):  # type: ignore[no-untyped-def]
    from rcphub.app import create_app
    from rcphub.bootstrap import ingest_bundled_documents
    from rcphub.documents import list_documents

    database = database_factory.new()
    ingest_bundled_documents(database)
    with database.session() as session:
        _, found = list_documents(session, link="meeting:grcp-2013")
    doc = next(d.id for d in found if d.filename.startswith("lima-2013-chairs"))
    with running_server(create_app(database.settings, database=database)) as url:
        yield url, doc


@pytest.mark.parametrize("width", sorted(MAX_HEIGHT))
@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_the_lima_page_stays_short(browser, lima, width, lang):
    url, doc = lima
    with guarded_page(browser, viewport={"width": width, "height": 900}) as page:
        page.goto(f"{url}/documents/{doc}?lang={lang}")
        themed = page.locator("details.tags")
        assert themed.count() >= 10  # the tagger's themes are there, folded
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < MAX_HEIGHT[width], height
        # folded, a passage's themes take one line (two on a phone)
        line = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight) || 24")
        tallest = page.evaluate(
            "Math.max(...[...document.querySelectorAll('details.tags')]"
            ".map(e => e.getBoundingClientRect().height))"
        )
        assert tallest <= line * (1.6 if width > 600 else 3.2), tallest


def test_each_theme_keeps_its_full_title_and_unfolds(browser, lima):
    url, doc = lima
    with guarded_page(browser, viewport={"width": 1280, "height": 900}) as page:
        page.goto(f"{url}/documents/{doc}?lang=fr")
        passage = page.locator("article.passage", has=page.locator("details.tags")).first
        chip = passage.locator(".tag-chip").first
        code = chip.locator("[dir=ltr]").inner_text()
        title = chip.get_attribute("title")
        assert title
        assert len(title) > len(code) + 12  # the full title and the state, in French
        assert "(suggéré" in title or "(confirmé" in title
        full = passage.locator(f'li.tag[data-tag="{code}"]')
        assert not full.is_visible()
        passage.locator("summary.tags__summary").click()
        assert full.is_visible()
        assert full.locator("a.tag__code").get_attribute("href").startswith("/taxonomies/")
        assert run_axe(page) == []
