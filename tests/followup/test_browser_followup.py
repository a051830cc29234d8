"""The follow-up journey in a real browser: open the Lima summary as a visitor (no write forms,
a link to sign in), sign in as an admin (the summary is filed under the 2013 global meeting,
which belongs to no process: admins only), find its recommendations, confirm one, report an
update, and see the traffic light on the process's follow-up page."""

from __future__ import annotations

import pytest

from rcphub.bootstrap import ingest_bundled_documents
from tests.accounts_support import make_user
from tests.browser_support import guarded_page, run_axe, running_server, sign_in_here


@pytest.fixture(scope="module")
def server_url(database_factory):  # type: ignore[no-untyped-def]
    from rcphub.app import create_app

    database = database_factory.new()
    ingest_bundled_documents(database)
    make_user(database, "hub-admin", "admin")
    with running_server(create_app(database.settings, database=database)) as url:
        yield url


@pytest.fixture
def page(browser, server_url):  # type: ignore[no-untyped-def]
    with guarded_page(browser) as page:
        yield page


def test_confirm_a_lima_conclusion_update_it_and_see_the_light(page, server_url):
    page.goto(f"{server_url}/documents")
    page.get_by_role(
        "link", name="Письмо Постоянного представителя Перу", exact=False
    ).first.click()
    assert page.get_by_role("button", name="Find recommendations").count() == 0
    assert page.locator(".tag__form").count() == 0
    page.get_by_role("link", name="Sign in to propose or confirm recommendations").click()
    sign_in_here(page, "hub-admin")
    page.get_by_role("button", name="Find recommendations").click()
    page.get_by_role("status").filter(has_text="6 passages proposed").wait_for()

    passage = page.locator('[id="p-10.c"]')
    mark = passage.locator(".tracked")
    assert "Proposed" in mark.inner_text()
    mark.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**#p-10.c")
    mark = page.locator('[id="p-10.c"] .tracked')
    assert "Confirmed" in mark.inner_text()
    # nothing reported since the meeting in 2013: red
    assert mark.locator(".light--red").count() == 1

    mark.get_by_role("link", name="Conclusion · Confirmed").click()
    form = page.get_by_role("region", name="Add an update")
    form.get_by_label("Status").select_option("in_progress")
    form.get_by_label("Progress (%)").fill("40")
    form.get_by_label("What happened").fill("Regional perspectives presented to the GFMD.")
    form.get_by_label("Evidence").fill("https://www.gfmd.org/")
    form.get_by_role("button", name="Add the update").click()
    page.wait_for_url("**#timeline")
    timeline = page.locator(".timeline")
    assert "Regional perspectives presented to the GFMD." in timeline.inner_text()
    assert page.locator(".record-header .light--green").count() == 1

    # the conclusion names the GFMD: it is on the GFMD's follow-up page, green
    page.goto(f"{server_url}/processes/gfmd")
    page.get_by_role("link", name="Follow-up of recommendations").click()
    row = page.locator(".followup-row")
    assert row.count() == 1
    assert "paragraph 10(c)" in row.inner_text()
    assert row.locator(".light--green").count() == 1
    assert "within the last 12 months" in page.locator(".light-rule").inner_text()
    violations = run_axe(page)
    assert violations == [], violations
