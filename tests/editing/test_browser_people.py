"""The people journey in a real Chromium against a real server, on both databases: a secretariat
of the Bali Process invites a contributor from the process's people page; the contributor opens
the link, chooses a username and password, and proposes a new observer from the members form;
the secretariat approves it on /proposals, and the observer shows on the process page with the
history naming both. Another process's secretariat and a visitor can do none of it. Every page
passes axe-core (serious and critical rules) and no request leaves 127.0.0.1."""

from __future__ import annotations

import re

import pytest

from tests.accounts_support import PASSWORD
from tests.browser_support import assert_axe_clean, guarded_page, open_page, running_server, sign_in
from tests.editing.support import make_hub

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hub(database_factory):  # type: ignore[no-untyped-def]
    hub = make_hub(database_factory)
    hub.client.__exit__(None, None, None)
    with running_server(hub.app) as url:
        hub.url = url  # type: ignore[attr-defined]
        yield hub


def test_an_invited_contributor_proposes_and_the_secretariat_approves(browser, hub):  # type: ignore[no-untyped-def]
    with guarded_page(browser) as sec:
        sign_in(sec, hub.url, "sec")
        open_page(sec, f"{hub.url}/processes/bali-process?lang=en")
        sec.get_by_role("link", name="People", exact=True).click()
        sec.wait_for_url(re.compile(r"/processes/bali-process/people"))
        assert_axe_clean(sec)
        assert sec.get_by_label("Role").first.locator("option[value=admin]").count() == 0
        sec.get_by_label("E-mail (optional)").fill("newcomer@example.org")
        with sec.expect_navigation():
            sec.get_by_role("button", name="Invite", exact=True).click()
        link = sec.get_by_label("Link").input_value()
        assert "/invitations/inv_" in link
        assert_axe_clean(sec)

        with guarded_page(browser) as contrib:
            open_page(contrib, link + "?lang=en")
            assert "Contributor" in contrib.locator("main").inner_text()
            assert_axe_clean(contrib)
            contrib.get_by_label("Username").fill("newcomer")
            contrib.get_by_label("Password", exact=True).fill(PASSWORD)
            contrib.get_by_label("Password, again").fill(PASSWORD)
            with contrib.expect_navigation():
                contrib.get_by_role("button", name="Open the account").click()
            assert contrib.url.endswith("/processes/bali-process")
            contrib.get_by_role("link", name="Members and observers").first.click()
            contrib.wait_for_url(re.compile(r"/members$"))
            assert_axe_clean(contrib)
            contrib.get_by_label("State or organisation").first.fill("state:MAR")
            contrib.get_by_label("Role", exact=True).first.select_option("observer")
            contrib.get_by_label("Source (address)").fill("https://www.baliprocess.net/membership/")
            contrib.get_by_label("Why (for the secretariat)").fill("Admitted at the last meeting")
            with contrib.expect_navigation():
                contrib.get_by_role("button", name="Propose", exact=True).click()
            assert "/proposals" in contrib.url
            assert "Waiting for a secretariat" in contrib.locator("main").inner_text()
            assert_axe_clean(contrib)
            # a contributor's link opens nothing for anyone else
            open_page(contrib, link, status=410)

        open_page(sec, f"{hub.url}/proposals?lang=en")
        row = sec.get_by_role("row").filter(has_text="Admitted at the last meeting")
        assert "state:MAR" in row.inner_text()
        assert_axe_clean(sec)
        with sec.expect_navigation():
            row.get_by_role("button", name="Approve").click()
        open_page(sec, f"{hub.url}/processes/bali-process?lang=en")
        observers = sec.get_by_role("row").filter(has_text="Morocco")
        assert "Observer" in observers.inner_text()
        sec.get_by_role("link", name="History of changes").first.click()
        sec.wait_for_url(re.compile(r"/history$"))
        history = sec.locator("main").inner_text()
        assert "state:MAR" in history
        assert "proposed by newcomer" in history
        assert_axe_clean(sec)


def test_another_secretariat_and_a_visitor_cannot(browser, hub):  # type: ignore[no-untyped-def]
    with guarded_page(browser) as page:
        # a visitor is sent to sign in
        for path in ("/processes/bali-process/people", "/proposals", "/admin/people"):
            open_page(page, f"{hub.url}{path}?lang=en")
            assert "/sign-in?next=" in page.url, path
            assert page.get_by_role("button", name="Invite", exact=True).count() == 0
        sign_in(page, hub.url, "other-sec")
        open_page(page, f"{hub.url}/processes/bali-process?lang=en")
        assert page.get_by_role("link", name="People", exact=True).count() == 0
        assert page.get_by_text("Propose a change:").count() == 0
        open_page(page, f"{hub.url}/processes/bali-process/people?lang=en", status=403)
        open_page(page, f"{hub.url}/processes/bali-process/edit?lang=en", status=403)
        open_page(page, f"{hub.url}/proposals?lang=en")
        assert page.get_by_role("button", name="Approve").count() == 0


def test_focal_points_and_a_password_reset_in_the_browser(browser, hub):  # type: ignore[no-untyped-def]
    with guarded_page(browser) as sec:
        sign_in(sec, hub.url, "sec")
        open_page(sec, f"{hub.url}/processes/bali-process?lang=en")
        sec.get_by_role("link", name="Focal points").click()
        sec.wait_for_url(re.compile(r"/focal-points$"))
        sec.get_by_label("Name").fill("Siti Rahma")
        sec.get_by_label("Function").fill("Programme manager")
        sec.get_by_label("E-mail").fill("siti.rahma@example.org")
        with sec.expect_navigation():
            sec.get_by_role("button", name="Add", exact=True).click()
        assert "siti.rahma@example.org" in sec.locator("main").inner_text()
        assert_axe_clean(sec)
    with guarded_page(browser) as visitor:
        open_page(visitor, f"{hub.url}/processes/bali-process/focal-points?lang=en")
        assert "siti.rahma@example.org" not in visitor.locator("main").inner_text()
        assert_axe_clean(visitor)
    with guarded_page(browser) as admin:
        sign_in(admin, hub.url, "admin")
        open_page(admin, f"{hub.url}/admin/people?lang=en")
        assert_axe_clean(admin)
        user = admin.get_by_role("rowheader", name="reader", exact=True)
        row = admin.get_by_role("row").filter(has=user)
        with admin.expect_navigation():
            row.get_by_role("button", name="Reset link").click()
        assert "Password reset link for reader." in admin.locator("main").inner_text()
        link = admin.get_by_label("Link").input_value()
        assert "/password-reset/rst_" in link
        with guarded_page(browser) as holder:
            open_page(holder, link + "?lang=en")
            assert_axe_clean(holder)
            holder.get_by_label("Password", exact=True).fill("a fresh long password")
            holder.get_by_label("Password, again").fill("a fresh long password")
            with holder.expect_navigation():
                holder.get_by_role("button", name="Save").click()
            assert "/sign-in" in holder.url
            open_page(holder, link, status=410)
