"""The editing pages on both databases, signed in through the real form with CSRF tokens: a
secretariat adds a meeting, a member and edits a document's details, profile and versions;
another process's secretariat gets 403, a reader 403, a visitor is sent to sign in; history
pages show each change and revert it; the upcoming page lists meetings across processes."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.accounts_support import csrf_from, signed_in_client
from tests.editing.support import Hub, make_hub

NEXT_YEAR = date.today().year + 1


@pytest.fixture(scope="module")
def hub(database_factory):  # type: ignore[no-untyped-def]
    hub = make_hub(database_factory)
    hub.pages = {
        user: signed_in_client(hub.app, user)
        for user in ("sec", "other-sec", "reader", "member", "admin")
    }  # type: ignore[attr-defined]
    yield hub
    for client in [hub.client, *hub.pages.values()]:  # type: ignore[attr-defined]
        client.__exit__(None, None, None)


def post(client: TestClient, path: str, data: dict, form_path: str | None = None):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(form_path).text) if form_path else client.csrf  # type: ignore[attr-defined]
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def test_the_process_page_offers_the_forms_to_its_secretariat_only(hub: Hub):
    mine = hub.pages["sec"].get("/processes/bali-process?lang=en").text  # type: ignore[attr-defined]
    for href in (
        "/processes/bali-process/meetings/new",
        "/processes/bali-process/members",
        "/processes/bali-process/edit",
    ):
        assert href in mine
    assert "/processes/bali-process/history" in mine
    for client in (hub.pages["other-sec"], hub.pages["reader"], hub.client):  # type: ignore[attr-defined]
        page = client.get("/processes/bali-process?lang=en").text
        assert "/processes/bali-process/meetings/new" not in page
        assert "/processes/bali-process/history" in page


def test_a_secretariat_adds_a_meeting_through_the_form(hub: Hub):
    sec = hub.pages["sec"]  # type: ignore[attr-defined]
    response = post(
        sec,
        "/processes/bali-process/meetings",
        {
            "title_en": "Bali Process Ministerial Conference",
            "title_fr": "Conférence ministérielle du Processus de Bali",
            "start": f"{NEXT_YEAR}-02-10",
            "end": f"{NEXT_YEAR}-02-11",
            "state": "AUS",
            "city": "Adelaide",
            "lang_en": "1",
            "visibility": "public",
        },
        "/processes/bali-process/meetings/new",
    )
    assert response.status_code == 303, response.text
    ident = f"bali-process-{NEXT_YEAR}0210"
    assert response.headers["location"] == f"/meetings/{ident}"
    page = hub.client.get(f"/meetings/{ident}?lang=en").text
    assert "Bali Process Ministerial Conference" in page
    assert "Adelaide" in page
    assert ident in hub.client.get("/processes/bali-process?lang=en").text
    assert ident in hub.client.get("/upcoming?lang=en").text
    assert ident in hub.client.get("/meetings?series=process&lang=en").text
    upload = sec.get("/documents/upload?lang=en").text
    assert f'value="{ident}"' in upload
    assert "Bali Process Ministerial Conference" in upload
    # the edit form, then history with a revert button for the secretariat only
    edited = post(
        sec,
        f"/meetings/{ident}/edit",
        {
            "title_en": "Bali Process Ministerial Conference",
            "start": f"{NEXT_YEAR}-02-10",
            "city": "Perth",
            "visibility": "public",
        },
        f"/meetings/{ident}/edit",
    )
    assert edited.status_code == 303
    history = sec.get(f"/meetings/{ident}/history?lang=en").text
    assert "Adelaide" in history
    assert "Perth" in history
    assert "/revert" in history
    assert "/revert" not in hub.client.get(f"/meetings/{ident}/history?lang=en").text


def test_the_process_page_has_a_short_meeting_form(hub: Hub):
    sec = hub.pages["sec"]  # type: ignore[attr-defined]
    page = sec.get("/processes/bali-process?lang=fr").text
    assert 'name="title_fr"' in page
    response = post(
        sec,
        "/processes/bali-process/meetings",
        {"title_fr": "Atelier régional", "start": f"{NEXT_YEAR}-11-03", "visibility": "public"},
        "/processes/bali-process?lang=fr",
    )
    assert response.status_code == 303, response.text
    meeting = hub.call(
        "GET", response.headers["location"].replace("/meetings/", "/api/v1/meetings/")
    )
    assert meeting.json()["names"] == {"fr": "Atelier régional"}


def test_a_bad_meeting_form_is_shown_again_with_the_problem(hub: Hub):
    before = hub.counts()
    response = post(
        hub.pages["sec"],  # type: ignore[attr-defined]
        "/processes/bali-process/meetings",
        {"title_en": "A meeting", "start": f"{NEXT_YEAR}-02-10", "end": f"{NEXT_YEAR}-01-10"},
        "/processes/bali-process/meetings/new",
    )
    assert response.status_code == 422
    assert "ends before it starts" in response.text
    assert 'value="A meeting"' in response.text
    assert hub.counts() == before


@pytest.mark.parametrize("user", ["other-sec", "reader"])
def test_others_get_403_from_every_form(hub: Hub, user):
    client = hub.pages[user]  # type: ignore[attr-defined]
    before = hub.counts()
    doc = hub.docs["en"]
    for path in (
        "/processes/bali-process/meetings/new",
        "/processes/bali-process/members",
        "/processes/bali-process/edit",
        f"/documents/{doc}/edit",
    ):
        assert client.get(path).status_code == 403, path
    for path, data in (
        ("/processes/bali-process/meetings", {"title_en": "x", "start": f"{NEXT_YEAR}-01-01"}),
        ("/processes/bali-process/members", {"party": "state:MAR", "role": "member"}),
        ("/processes/bali-process/edit", {"name_en": "x"}),
        (f"/documents/{doc}/edit", {"title": "x", "type": "other"}),
        (f"/documents/{doc}/versions/unlink", {}),
    ):
        assert post(client, path, data).status_code == 403, path
    assert hub.counts() == before


def test_a_visitor_is_sent_to_sign_in(hub: Hub):
    response = hub.client.get("/processes/bali-process/meetings/new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in")


def test_a_secretariat_adds_and_ends_a_member(hub: Hub):
    sec = hub.pages["sec"]  # type: ignore[attr-defined]
    added = post(
        sec,
        "/processes/bali-process/members",
        {
            "party": "state:MAR",
            "role": "observer",
            "source": "https://example.org/list",
            "as_of": "2026-11",
        },
        "/processes/bali-process/members",
    )
    assert added.status_code == 303, added.text
    process = hub.call("GET", "/api/v1/processes/bali-process").json()
    row = next(m for m in process["memberships"] if m["party"] == "state:MAR")
    assert row["role"] == "observer"
    assert "Morocco" in hub.client.get("/processes/bali-process?lang=en").text
    members_page = sec.get("/processes/bali-process/members?lang=en").text
    assert f'id="role-{row["id"]}"' in members_page
    changed = post(sec, f"/processes/bali-process/members/{row['id']}", {"role": "member"})
    assert changed.status_code == 303
    process = hub.call("GET", "/api/v1/processes/bali-process").json()
    assert next(m for m in process["memberships"] if m["id"] == row["id"])["role"] == "member"
    ended = post(sec, f"/processes/bali-process/members/{row['id']}", {"until": "2026"})
    assert ended.status_code == 303
    history = hub.client.get("/processes/bali-process/history?lang=en").text
    assert "state:MAR" in history
    assert "https://example.org/list" in history
    bad = post(sec, "/processes/bali-process/members", {"party": "state:QQQ", "role": "member"})
    assert bad.status_code == 422
    assert "no state" in bad.text


def test_a_secretariat_edits_a_documents_title_and_reverts_it(hub: Hub):
    sec = hub.pages["sec"]  # type: ignore[attr-defined]
    doc = hub.docs["es"]
    assert f"/documents/{doc}/edit" in sec.get(f"/documents/{doc}?lang=en").text
    assert f"/documents/{doc}/edit" not in hub.client.get(f"/documents/{doc}?lang=en").text
    form = sec.get(f"/documents/{doc}/edit?lang=en")
    assert form.status_code == 200
    original = hub.call("GET", f"/api/v1/documents/{doc}").json()["title"]
    response = post(
        sec,
        f"/documents/{doc}/edit",
        {
            "title": "Resumen revisado",
            "type": "chair-summary",
            "date": "2026-03-01",
            "symbol": "",
            "processes": "bali-process",
        },
    )
    assert response.status_code == 303, response.text
    assert "Resumen revisado" in hub.client.get(f"/documents/{doc}?lang=en").text
    history = sec.get(f"/documents/{doc}/history?lang=en").text
    assert "Resumen revisado" in history
    change = hub.call("GET", f"/api/v1/documents/{doc}/history").json()["changes"]
    title_change = next(c for c in change if c["field"] == "title")
    reverted = post(sec, f"/history/{title_change['id']}/revert", {})
    assert reverted.status_code == 303
    assert hub.call("GET", f"/api/v1/documents/{doc}").json()["title"] == original
    assert (
        post(hub.pages["other-sec"], f"/history/{title_change['id']}/revert", {}).status_code == 403
    )  # type: ignore[attr-defined]


def test_linking_a_language_version_from_the_page(hub: Hub):
    sec = hub.pages["sec"]  # type: ignore[attr-defined]
    en, es = hub.docs["en"], hub.docs["es"]
    linked = post(sec, f"/documents/{en}/versions/link", {"other": es})
    assert linked.status_code == 303
    assert f"/documents/{es}" in sec.get(f"/documents/{en}/edit").text
    unlinked = post(sec, f"/documents/{en}/versions/unlink", {})
    assert unlinked.status_code == 303
    assert hub.call("GET", f"/api/v1/documents/{en}").json()["versions"] == []


def test_every_editing_page_in_arabic_and_chinese(hub: Hub):
    sec = hub.pages["sec"]  # type: ignore[attr-defined]
    for lang in ("ar", "zh"):
        for path in (
            "/processes/bali-process/meetings/new",
            "/processes/bali-process/members",
            "/processes/bali-process/edit",
            f"/documents/{hub.docs['en']}/edit",
            "/processes/bali-process/history",
            "/upcoming",
        ):
            page = sec.get(f"{path}?lang={lang}")
            assert page.status_code == 200, (path, lang)
            assert "History of changes" not in page.text
            assert "Add a member or observer" not in page.text


def test_history_shows_who_changed_what_to_the_process_members_and_admins_only(hub: Hub):
    doc = hub.docs["es"]
    edits = {
        "document": (f"/documents/{doc}", {"symbol": "BP/2026/7"}),
        "process": ("/processes/bali-process", {"website": "https://www.baliprocess.net/x"}),
    }
    for path, body in edits.values():
        assert hub.call("PATCH", f"/api/v1{path}", "sec", json=body).status_code == 200
    # members of the Bali Process (any role) and admins see who; everyone else the change only
    for user, shown in (
        ("sec", True),
        ("member", True),
        ("admin", True),
        ("other-sec", False),
        ("reader", False),
        (None, False),
    ):
        client = hub.pages[user] if user else hub.client  # type: ignore[attr-defined]
        for path, body in edits.values():
            [(field, value)] = body.items()
            page = client.get(f"{path}/history?lang=en").text
            assert value in page, (user, path)
            assert ("sec (token" in page) is shown, (user, path)
            assert ('scope="col">Who<' in page) is shown, (user, path)
            answer = hub.call("GET", f"/api/v1{path}/history", user).json()
            change = next(c for c in answer["changes"] if c["field"] == field)
            assert change["after"] == value
            assert change["at"]
            assert answer["who_shown"] is shown, (user, path)
            if shown:
                assert change["who"].startswith("sec (token"), (user, path)
            else:
                assert change["who"] is None, (user, path)


def test_editing_and_people_forms_refuse_oversized_input_and_write_nothing(hub: Hub):
    sec = hub.pages["sec"]  # type: ignore[attr-defined]
    before = hub.counts()
    for path, fields in (
        ("/processes/bali-process/focal-points", {"name": "x" * 2001}),
        ("/processes/bali-process/people/invite", {"role": "reader", "email": "x" * 2001}),
        ("/processes/bali-process/members", {"party": "state:TUN", "source": "x" * 2001}),
        ("/processes/bali-process/edit", {f"f{n}": "1" for n in range(61)}),
    ):
        response = post(sec, path, fields)
        assert response.status_code == 422, (path, response.status_code)
        assert "a field of the form is too long" in response.text, path
    assert hub.counts() == before
