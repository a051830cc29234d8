"""Browser journeys through the registry, in a real Chromium against a real server, on both
databases: no request leaves the machine and axe-core finds no serious or critical problem."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import assert_axe_clean, guarded_page, running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def server_url(app):
    with running_server(app) as url:
        yield url


@pytest.fixture
def page(browser):
    with guarded_page(browser, timeout_ms=15_000) as page:
        yield page


def test_registry_journey_to_right_to_left(page, server_url):
    page.goto(server_url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_axe_clean(page)

    page.get_by_role("navigation").get_by_role("link", name="Processes").first.click()
    page.wait_for_url("**/processes*")
    assert page.locator("svg").count() >= 1  # the world map of processes per country
    assert_axe_clean(page)

    page.get_by_role("link", name="Bali Process", exact=False).first.click()
    page.wait_for_url("**/processes/bali-process*")
    assert "Bali Process" in page.locator("h1").inner_text()
    members_table = page.locator("table", has_text="Indonesia").first
    assert members_table.is_visible()
    assert_axe_clean(page)

    page.locator("main").get_by_role("link", name="Australia", exact=True).first.click()
    page.wait_for_url("**/countries/AUS*")
    assert "Australia" in page.locator("h1").inner_text()
    assert page.get_by_text("Bali Process", exact=False).first.is_visible()
    assert_axe_clean(page)

    page.get_by_role("link", name="العربية").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "ar")  # no eval under the CSP
    html = page.locator("html")
    assert html.get_attribute("dir") == "rtl"
    assert "أستراليا" in page.locator("h1").inner_text()
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == "rtl"
    assert_axe_clean(page)

    # the choice sticks: the next page is Arabic too, without ?lang=
    page.goto(server_url + "/meetings")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert_axe_clean(page)


@pytest.mark.parametrize(
    "path",
    ["/countries", "/meetings/hld-2013", "/taxonomies", "/taxonomies/sdg", "/processes/iom"],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_other_pages_are_accessible_and_local(page, server_url, path, lang):
    response = page.goto(f"{server_url}{path}?lang={lang}")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert_axe_clean(page)
