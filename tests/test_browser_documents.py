# ruff: noqa: E501  (the chair's summary reads better one paragraph per line)
"""The document journey in a real Chromium against a real server, on both databases: upload a
chair's summary through the form, read its passages, copy a citation, follow a mention to the
country page. No request leaves 127.0.0.1, and axe-core finds no serious or critical problem
on the upload and document pages, left to right and right to left."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts_support import make_user
from tests.browser_support import (
    assert_axe_clean,
    guarded_page,
    running_server,
    sign_in_for,
    sign_in_here,
)

pytestmark = pytest.mark.browser

SUMMARY = """# Sixth Global Meeting of Chairs and Secretariats of Regional Consultative Processes on Migration

## Chair's summary

1. The Sixth Global Meeting of Chairs and Secretariats of Regional Consultative Processes on Migration took place in Geneva on 10 and 11 October 2024, with the support of IOM.

2. Representatives of Peru and Mexico described how regional cooperation had shaped their national policies:

(a) Peru presented its experience with the South American Conference on Migration;

(b) Mexico presented the work of the Puebla Process on labour mobility.

3. Participants agreed to exchange information more regularly and thanked IOM for its support to the secretariats.
"""


@pytest.fixture(scope="module")
def server_url(database_factory):
    """A server over a database of this module's own: the journey uploads a document."""
    from rcphub.app import create_app

    database = database_factory.new()
    make_user(database, "sacm-secretariat", "secretariat@sacm-csm")
    make_user(database, "outsider", "reader")
    with running_server(create_app(database.settings, database=database)) as url:
        yield url


@pytest.fixture
def page(browser, server_url):
    with guarded_page(browser, permissions=["clipboard-read", "clipboard-write"]) as page:
        yield page
        assert any(url.startswith(server_url) for url in page.guard.seen)


def _passage(page, ref: str):
    return page.locator(f'[id="p-{ref}"]')


def test_upload_read_cite_and_follow_a_mention(page, server_url, tmp_path):
    summary = tmp_path / "sixth-global-meeting-chairs-summary.md"
    summary.write_text(SUMMARY, encoding="utf-8")

    sign_in_for(page, f"{server_url}/documents/upload?lang=en", "sacm-secretariat")
    assert page.locator("h1").inner_text() == "Upload documents"
    assert "sacm-secretariat" in page.locator(".account-nav").inner_text()
    assert_axe_clean(page)

    page.set_input_files("#u-files", str(summary))
    page.select_option("#u-process", "sacm-csm")
    with page.expect_navigation(timeout=90_000):  # the first ingest builds the linker
        page.get_by_role("button", name="Upload and read").click()
    assert page.locator("h1").inner_text() == "Upload result"
    row = page.locator("tr", has_text=summary.name)
    assert "New document" in row.inner_text()
    read = row.locator("details.upload-row__read")  # what the hub read from the text, open
    assert read.is_visible()
    assert "Chair's summary" in read.inner_text()
    assert "October 11, 2024" in read.inner_text()
    assert_axe_clean(page)

    row.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]{16}$"))
    document_url = page.url
    assert "Sixth Global Meeting" in page.locator("h1").inner_text()
    assert _passage(page, "2").is_visible()
    assert "Representatives of Peru and Mexico" in _passage(page, "2").inner_text()
    assert _passage(page, "2.b").is_visible()  # the lettered sub-paragraph, with its own anchor
    assert "2(b)" in _passage(page, "2.b").locator(".passage__ref").inner_text()
    assert_axe_clean(page)

    # the copy button (shown by the script) puts the citation with its permalink on the clipboard
    button = _passage(page, "2.b").get_by_role("button", name="Copy citation")
    assert button.is_visible()
    button.click()
    # expect(), not wait_for_function: a string predicate is eval'd, which the CSP refuses
    expect(page.locator("#cite-status")).to_have_text("Citation copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "paragraph 2(b)" in copied
    assert copied.endswith(f"{document_url}#p-2.b")

    _passage(page, "2").locator('a.mention[href="/countries/PER"]').first.click()
    page.wait_for_url("**/countries/PER")
    assert page.locator("h1").inner_text() == "Peru"
    documents = page.locator("section.record-documents")
    assert "Sixth Global Meeting" in documents.inner_text()
    assert documents.get_by_role("link", name="paragraph 2(a)").count() == 1

    # the same document, right to left
    page.goto(f"{document_url}?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # the English text keeps its own direction inside the Arabic page
    text = _passage(page, "1").locator(".passage__text")
    assert text.get_attribute("lang") == "en"
    assert text.evaluate("node => getComputedStyle(node).direction") == "ltr"
    assert_axe_clean(page)

    page.goto(f"{server_url}/documents/upload")  # the language choice sticks (cookie)
    assert page.locator("html").get_attribute("lang") == "ar"
    assert_axe_clean(page)

    # signing out ends the session: the upload form asks to sign in again
    page.goto(f"{server_url}/documents?lang=en")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    page.goto(f"{server_url}/documents/upload?lang=en")
    assert "/sign-in?next=" in page.url
    assert_axe_clean(page)


def test_an_outsider_is_refused(page, server_url):
    sign_in_for(page, f"{server_url}/documents/upload?lang=en", "outsider")
    assert page.locator("h1").inner_text() == "Not allowed"
    # and a wrong password is a message on the form, not a session
    page.context.clear_cookies()
    page.goto(f"{server_url}/sign-in?lang=en")
    sign_in_here(page, "sacm-secretariat", "not the password")
    assert "Wrong username or password." in page.locator("[role=alert]").inner_text()
    assert_axe_clean(page)


def test_a_refused_file_is_explained_accessibly(page, server_url, tmp_path):
    broken = tmp_path / "report.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not really a PDF")
    sign_in_for(page, f"{server_url}/documents/upload?lang=en", "sacm-secretariat")
    page.goto(f"{server_url}/documents/upload?lang=fr")
    page.set_input_files("#u-files", str(broken))
    with page.expect_navigation(timeout=90_000):
        page.get_by_role("button", name="Téléverser et lire").click()
    row = page.locator("tr", has_text="report.pdf")
    assert "Le fichier PDF est endommagé et ne peut pas être lu." in row.inner_text()
    assert_axe_clean(page)


@pytest.mark.parametrize("path", ["/documents", "/"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_document_list_and_home_are_accessible(page, server_url, path, lang):
    response = page.goto(f"{server_url}{path}?lang={lang}")
    assert response.status == 200
    assert_axe_clean(page)
