"""Mixed directions keep their word order: an Arabic document title with a Latin acronym and
numbers, listed on left-to-right pages (search results, the document list, a process's
documents), sits in an isolating element (``<bdi>``), and in a real browser reads right to
left inside a left-to-right line. (The PNG source lines: tests/test_charts.py.)"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator

import pytest

from rcphub.documents import IngestOptions, Ingestor
from tests.browser_support import guarded_page, running_server

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient

TITLE = "جدول أعمال اجتماع فريق الخبراء RCP رقم 7 لعام 2019"
TEXT = (
    f"{TITLE}\n\n"
    "1. ناقش المشاركون التعاون الإقليمي في مجال الهجرة ومكافحة الاتجار بالبشر في منطقة آسيا "
    "والمحيط الهادئ.\n\n"
    "2. اتفق المشاركون على تبادل المعلومات بانتظام.\n"
)
QUERY = "/search?q=%D8%A7%D9%84%D8%AA%D8%B9%D8%A7%D9%88%D9%86&lang=en"  # التعاون


@pytest.fixture(scope="module")
def hub(database_factory):  # type: ignore[no-untyped-def]
    from rcphub.app import create_app

    database = database_factory.new()
    outcome = Ingestor(database).ingest_bytes(
        TEXT.encode(), "agenda.ar.txt", IngestOptions(processes=["bali-process"])
    )
    assert outcome.error is None, outcome.error
    app = create_app(database.settings, database=database)
    app.state.indexer.catch_up()
    return app, outcome.document_id


@pytest.fixture(scope="module")
def web(hub) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(hub[0]) as client:
        yield client


def test_the_title_is_isolated_in_search_results_and_lists(web, hub):
    _app, doc = hub
    results = web.get(QUERY).text
    cite = re.search(r'<p class="hit__cite"><a href="([^"]+)">(.*?)</a>', results, re.DOTALL)
    assert cite is not None, "no hit"
    assert cite.group(1).startswith(f"/documents/{doc}#")
    assert cite.group(2).startswith(f"<bdi>{TITLE}</bdi>, paragraph ")
    for path in ("/documents?lang=en", "/processes/bali-process?lang=en"):
        page = web.get(path).text
        assert f'<bdi lang="ar" dir="rtl">{TITLE}</bdi>' in page, path
    # on an Arabic page the title needs no direction of its own, but is still isolated
    assert f"<bdi>{TITLE}</bdi>" in web.get("/documents?lang=ar").text


def test_a_tracked_items_source_is_isolated(web, hub):
    from rcphub.accounts import cli_operator
    from rcphub.followup import create_item, review_item

    app, doc = hub
    with app.state.database.session() as session:
        item = create_item(session, doc, "2", kind="decision", actor=cli_operator("bidi"))
        review_item(session, item.id, "confirm", actor=cli_operator("bidi"))
    page = web.get(f"/followup/items/{item.id}?lang=en").text
    assert f'of <bdi lang="ar" dir="rtl">{TITLE}</bdi></a>' in page


# Runs in the page: where each of the words is drawn, left to right, in pixels.
POSITIONS = r"""
([selector, words]) => {
  const holder = document.querySelector(selector);
  const out = {unicodeBidi: getComputedStyle(holder).unicodeBidi, words: {}};
  const walker = document.createTreeWalker(holder, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const word of words) {
      const at = node.textContent.indexOf(word);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      out.words[word] = range.getBoundingClientRect().left;
    }
  }
  return out;
}
"""


@pytest.mark.browser
def test_the_title_reads_right_to_left_in_a_left_to_right_line(browser, hub):
    app, _doc = hub
    words = ["جدول", "RCP", "2019", "paragraph"]
    with running_server(app) as url, guarded_page(browser) as page:
        page.goto(url + QUERY)
        found = page.evaluate(POSITIONS, [".hit__cite a", words])
        assert set(found["words"]) == set(words)
        x = found["words"]
        # right to left inside the title: its first word rightmost, the year leftmost ...
        assert x["2019"] < x["RCP"] < x["جدول"]
        # ... and the page's own words after it, to its right
        assert x["paragraph"] > x["جدول"]
        bdi = page.evaluate(POSITIONS, [".hit__cite bdi", []])
        assert bdi["unicodeBidi"] == "isolate"
