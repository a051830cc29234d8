"""Pages in Arabic, Russian and Chinese show no silent English: the process, country, taxonomy,
meeting and report pages, in a real Chromium against a real server, on both databases.

English is allowed where the data has nothing in the page language, but then it is marked: the
text sits in an element with ``lang="en"`` inside a ``.fallback`` whose visible note names the
language. The check walks every text node of ``<main>`` and fails on
- text whose language (its nearest ``lang``) is English without a visible mark, and
- Latin-script words in the page language's context (an English name or title shown as if it
  were Russian, Arabic or Chinese).
"""

from __future__ import annotations

import pytest

from tests.browser_support import guarded_page, running_server

pytestmark = pytest.mark.browser

PAGES = (
    "/processes",
    "/countries",
    "/meetings",
    "/processes/bali-process",
    "/processes/rcm-puebla-process",
    "/processes/unhcr",
    "/processes/african-union",
    "/countries/PER",
    "/countries/CIV",
    "/taxonomies/hld2013",
    "/taxonomies/gcm",
    "/taxonomies/gcm-principles",
    "/meetings/gfmd-2010",
    "/reports/synthesis?framework=hld2013",
)

# Runs in the page (through the DevTools protocol, so the CSP does not apply). Returns the
# offending texts with the reason.
FIND_UNMARKED = r"""
(pageLang) => {
  const out = [];
  const skip = "script, style, code, kbd, .filename, ol.sources, .ext, svg, [translate=no], "
    + "input, textarea, select, blockquote, .quote__note, .acronym, .visually-hidden, "
    + ".names-list";
  const words = /[A-Za-z][a-z]{2,}(?:[\s,;:'’-]+[A-Za-z][a-z]{2,})+/;
  const main = document.querySelector("main") || document.body;
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(skip)) continue;
    if (!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)) continue;
    const holder = el.closest("[lang]");
    const lang = holder ? holder.getAttribute("lang") : "";
    if (lang.startsWith("en")) {
      const mark = holder.closest(".fallback");
      const note = mark && mark.querySelector(".fallback__note");
      if (!note || !note.textContent.trim() || !note.offsetWidth) {
        out.push("unmarked English: " + text.slice(0, 80));
      }
    } else if (lang === pageLang && words.test(text)) {
      out.push("English in " + pageLang + " context: " + text.slice(0, 80));
    }
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def server_url(app):
    with running_server(app) as url:
        yield url


@pytest.mark.parametrize("lang", ["ar", "ru", "zh"])
def test_no_unmarked_english_on_the_pages(browser, server_url, lang):
    problems = {}
    with guarded_page(browser, timeout_ms=30_000) as page:
        for path in PAGES:
            joiner = "&" if "?" in path else "?"
            response = page.goto(f"{server_url}{path}{joiner}lang={lang}")
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == lang
            found = page.evaluate(FIND_UNMARKED, lang)
            if found:
                problems[path] = found
    assert problems == {}


def test_names_the_data_has_are_shown_in_the_page_language(browser, server_url):
    with guarded_page(browser, timeout_ms=30_000) as page:
        page.goto(f"{server_url}/processes/bali-process?lang=zh")
        assert page.locator("h1").inner_text().strip() == "巴厘进程"
        page.goto(f"{server_url}/taxonomies/hld2013?lang=ru")
        assert page.get_by_text("Региональная и глобальная мобильность трудовых ресурсов").count()
        page.goto(f"{server_url}/processes/ilo?lang=ar")
        assert page.locator("h1").inner_text().strip() == "منظمة العمل الدولية"
        # a body no source names in Chinese: English, marked as such
        page.goto(f"{server_url}/processes/pidc?lang=zh")
        heading = page.locator("h1 .fallback")
        assert heading.locator('[lang="en"]').inner_text().startswith("Pacific")
        assert heading.locator(".fallback__note").inner_text() == "(英语)"
