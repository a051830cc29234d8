"""The people pages on both databases, signed in through the real form with CSRF tokens: a
contributor's edit forms send proposals (only the fields it changed) that the secretariat
approves or rejects with a reason on /proposals; the focal-point page shows members-only
entries to members only; a secretariat invites from its process's people page, the invitation
opens an account once and signs the newcomer in; an admin makes a password reset link that
works once. Another process's secretariat and a visitor get 403/404 or the sign-in page."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rcphub.db import Proposal
from tests.accounts_support import PASSWORD, csrf_from, signed_in_client
from tests.editing.support import Hub, make_hub

LINK = re.compile(r'value="(http://testserver/(?:invitations|password-reset)/[^"]+)"')


@pytest.fixture(scope="module")
def hub(database_factory):  # type: ignore[no-untyped-def]
    hub = make_hub(database_factory)
    users = ("sec", "other-sec", "reader", "contrib", "admin", "member")
    hub.pages = {user: signed_in_client(hub.app, user) for user in users}  # type: ignore[attr-defined]
    yield hub
    for client in [hub.client, *hub.pages.values()]:  # type: ignore[attr-defined]
        client.__exit__(None, None, None)


def post(client: TestClient, path: str, data: dict, form_path: str | None = None):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(form_path).text) if form_path else client.csrf  # type: ignore[attr-defined]
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def latest_proposal(hub: Hub) -> Proposal:
    with hub.database.session() as session:
        found = session.scalars(select(Proposal).order_by(Proposal.id.desc())).first()
        session.expunge(found)
    return found


def test_a_contributor_proposes_a_profile_change_from_the_form(hub: Hub):
    contrib, sec = hub.pages["contrib"], hub.pages["sec"]  # type: ignore[attr-defined]
    page = contrib.get("/processes/bali-process?lang=en").text
    assert "Propose a change:" in page
    form = contrib.get("/processes/bali-process/edit?lang=en")
    assert form.status_code == 200
    assert "Send the proposal" in form.text
    found = re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form.text)
    values = {name: html.unescape(value) for name, value in found}  # as a browser sends them
    values.pop("csrf_token", None)
    values["acronym"] = "BPRC"
    values["comment"] = "The acronym the Co-Chairs use"
    response = post(contrib, "/processes/bali-process/edit", values)
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/proposals#proposal-")
    proposal = latest_proposal(hub)
    assert proposal.kind == "process.edit"
    assert proposal.changes == {"acronym": "BPRC"}  # only what changed
    assert proposal.comment == "The acronym the Co-Chairs use"
    assert hub.call("GET", "/api/v1/processes/bali-process").json()["acronym"] != "BPRC"

    listing = sec.get("/proposals?lang=en").text
    assert f'id="proposal-{proposal.id}"' in listing
    assert "BPRC" in listing
    assert f'id="proposal-{proposal.id}"' not in hub.pages["other-sec"].get("/proposals").text  # type: ignore[attr-defined]
    refused = post(hub.pages["other-sec"], f"/proposals/{proposal.id}/approve", {})  # type: ignore[attr-defined]
    assert refused.status_code == 404
    approved = post(sec, f"/proposals/{proposal.id}/approve", {})
    assert approved.status_code == 303, approved.text
    assert hub.call("GET", "/api/v1/processes/bali-process").json()["acronym"] == "BPRC"
    history = sec.get("/processes/bali-process/history?lang=en").text
    assert "proposed by contrib" in history


def test_a_contributor_proposes_a_member_and_the_secretariat_rejects_it(hub: Hub):
    contrib, sec = hub.pages["contrib"], hub.pages["sec"]  # type: ignore[attr-defined]
    assert contrib.get("/processes/bali-process/members?lang=en").status_code == 200
    response = post(
        contrib,
        "/processes/bali-process/members",
        {"party": "state:TUN", "role": "observer", "comment": "see the 2026 list"},
    )
    assert response.status_code == 303, response.text
    proposal = latest_proposal(hub)
    assert proposal.kind == "membership.add"
    bad = post(contrib, "/processes/bali-process/members", {"party": "state:XXX"})
    assert bad.status_code == 422
    no_reason = post(sec, f"/proposals/{proposal.id}/reject", {"note": ""})
    assert no_reason.status_code == 422
    rejected = post(sec, f"/proposals/{proposal.id}/reject", {"note": "Tunisia is not listed"})
    assert rejected.status_code == 303
    mine = contrib.get("/proposals?lang=en").text
    assert "Tunisia is not listed" in mine


def test_readers_and_other_secretariats_get_no_forms(hub: Hub):
    for user in ("reader", "other-sec", "member"):
        client = hub.pages[user]  # type: ignore[attr-defined]
        assert client.get("/processes/bali-process/edit").status_code == 403, user
        assert client.get("/processes/bali-process/people").status_code == 403, user
        refused = post(client, "/processes/bali-process/members", {"party": "state:TUN"})
        assert refused.status_code == 403, user
    visitor = hub.client.get("/processes/bali-process/edit", follow_redirects=False)
    assert visitor.status_code in (303, 401)


def test_focal_points_page(hub: Hub):
    sec = hub.pages["sec"]  # type: ignore[attr-defined]
    added = post(
        sec,
        "/processes/bali-process/focal-points",
        {"name": "Li Wei", "email": "li.wei@example.org", "function": "Focal point"},
    )
    assert added.status_code == 303, added.text
    public = post(
        sec,
        "/processes/bali-process/focal-points",
        {"name": "Regional Support Office", "email": "rso@example.org", "public": "1"},
    )
    assert public.status_code == 303
    bad = post(sec, "/processes/bali-process/focal-points", {"name": "X", "email": "nope"})
    assert bad.status_code == 422
    for user in ("sec", "member", "contrib", "admin"):
        page = hub.pages[user].get("/processes/bali-process/focal-points?lang=en").text  # type: ignore[attr-defined]
        assert "li.wei@example.org" in page, user
    for client in (hub.pages["other-sec"], hub.pages["reader"], hub.client):  # type: ignore[attr-defined]
        page = client.get("/processes/bali-process/focal-points?lang=en").text
        assert "li.wei@example.org" not in page
        assert "rso@example.org" in page
        assert client.get("/processes/bali-process/focal-points/history").status_code == 404
    refused = post(
        hub.pages["other-sec"],  # type: ignore[attr-defined]
        "/processes/bali-process/focal-points",
        {"name": "Y", "email": "y@example.org"},
    )
    assert refused.status_code == 403
    history = sec.get("/processes/bali-process/focal-points/history?lang=en").text
    assert "li.wei@example.org" in history


def test_a_secretariat_invites_and_the_newcomer_signs_up_once(hub: Hub):
    sec = hub.pages["sec"]  # type: ignore[attr-defined]
    page = sec.get("/processes/bali-process/people?lang=en")
    assert page.status_code == 200
    assert 'value="admin"' not in page.text  # a secretariat cannot invite an admin
    made = post(sec, "/processes/bali-process/people/invite", {"role": "contributor"})
    assert made.status_code == 201, made.text
    url = LINK.search(made.text).group(1)
    path = url.removeprefix("http://testserver")
    # admin is no role of a process (422); the admin page, where any process is named, 403
    assert post(sec, "/processes/bali-process/people/invite", {"role": "admin"}).status_code == 422
    for role, process in (("contributor", "midsa"), ("admin", "")):
        refused = post(sec, "/admin/people/invite", {"role": role, "process": process})
        assert refused.status_code == 403, role
    other = post(
        hub.pages["other-sec"], "/processes/bali-process/people/invite", {"role": "reader"}
    )  # type: ignore[attr-defined]
    assert other.status_code == 403

    newcomer = TestClient(hub.app)
    with newcomer:
        form = newcomer.get(path + "?lang=en")
        assert form.status_code == 200
        assert "Contributor" in form.text
        token = csrf_from(form.text)
        differ = newcomer.post(
            path,
            data={
                "csrf_token": token,
                "username": "ines",
                "password": PASSWORD,
                "password_again": PASSWORD + "x",
            },
            follow_redirects=False,
        )
        assert differ.status_code == 422
        done = newcomer.post(
            path,
            data={
                "csrf_token": token,
                "username": "ines",
                "password": PASSWORD,
                "password_again": PASSWORD,
            },
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        assert done.headers["location"] == "/processes/bali-process"
        account = newcomer.get("/account?lang=en")
        assert account.status_code == 200
        assert "ines" in account.text
    again = TestClient(hub.app)
    with again:
        assert again.get(path).status_code == 410
    people = sec.get("/processes/bali-process/people?lang=en").text
    assert "ines" in people


def test_an_admin_resets_a_password_with_a_one_time_link(hub: Hub):
    admin = hub.pages["admin"]  # type: ignore[attr-defined]
    assert hub.pages["sec"].get("/admin/people").status_code == 403  # type: ignore[attr-defined]
    assert admin.get("/admin/people?lang=en").status_code == 200
    made = post(admin, "/admin/people/reader/reset", {})
    assert made.status_code == 201, made.text
    path = LINK.search(made.text).group(1).removeprefix("http://testserver")
    visitor = TestClient(hub.app)
    with visitor:
        form = visitor.get(path + "?lang=en")
        assert form.status_code == 200
        new = "a brand new password"
        done = visitor.post(
            path,
            data={"csrf_token": csrf_from(form.text), "password": new, "password_again": new},
            follow_redirects=False,
        )
        assert done.status_code == 303
        assert visitor.get(path).status_code == 410
    signed_in_client(hub.app, "reader", new).__exit__(None, None, None)


def test_document_meeting_and_membership_forms_send_proposals(hub: Hub):
    contrib, sec = hub.pages["contrib"], hub.pages["sec"]  # type: ignore[attr-defined]
    doc = hub.docs["es"]
    form = contrib.get(f"/documents/{doc}/edit?lang=en")
    assert form.status_code == 200
    assert "ID of another language version" not in form.text  # versions are not proposed
    found = re.findall(r'name="(title|type|date|symbol|processes)"[^>]*value="([^"]*)"', form.text)
    values = {name: html.unescape(value) for name, value in found}
    values["type"] = "report"
    values["title"] = "Informe del taller del Proceso de Bali"
    sent = post(contrib, f"/documents/{doc}/edit", values)
    assert sent.status_code == 303, sent.text
    proposal = latest_proposal(hub)
    assert proposal.kind == "document.edit"
    assert proposal.changes == {"type": "report", "title": "Informe del taller del Proceso de Bali"}

    meeting = post(
        contrib,
        "/processes/bali-process/meetings",
        {"title_en": "Bali Process technical workshop", "start": "2031-06-01", "city": "Bangkok"},
    )
    assert meeting.status_code == 303, meeting.text
    proposal = latest_proposal(hub)
    assert proposal.kind == "meeting.create"
    assert proposal.changes["city"] == "Bangkok"
    approved = post(sec, f"/proposals/{proposal.id}/approve", {})
    assert approved.status_code == 303
    assert hub.client.get("/meetings/bali-process-20310601?lang=en").status_code == 200

    record = hub.call("GET", "/api/v1/processes/bali-process").json()
    member = next(m for m in record["memberships"] if m.get("id"))
    ended = post(contrib, f"/processes/bali-process/members/{member['id']}", {"until": "2030"})
    assert ended.status_code == 303, ended.text
    proposal = latest_proposal(hub)
    assert (proposal.kind, proposal.target) == ("membership.end", f"membership:{member['id']}")
    assert proposal.changes == {"until": "2030"}
    form = contrib.get("/processes/bali-process/edit?lang=en").text
    found = re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form)
    same = {name: html.unescape(value) for name, value in found if name != "csrf_token"}
    unchanged = post(contrib, "/processes/bali-process/edit", same)
    assert unchanged.status_code == 422
    assert "nothing is changed" in unchanged.text


def _row(page: str, start: str) -> str:
    """The table row that begins with ``start``, its text unescaped."""
    at = page.index(start)
    return html.unescape(page[at : page.index("</tr>", at)])


def test_people_pages_name_processes_in_the_page_language(hub: Hub):
    admin = hub.pages["admin"]  # type: ignore[attr-defined]
    made = post(admin, "/admin/people/invite", {"role": "reader", "process": "midsa"})
    assert made.status_code == 201, made.text
    french = "Dialogue sur la migration pour l'Afrique australe (MIDSA)"
    page = admin.get("/admin/people?lang=fr").text
    grants = _row(page, '<th scope="row" dir="ltr">other-sec<')
    assert french in grants
    assert "· midsa" not in grants
    invitations = html.unescape(page[page.index('id="invitations"') :])
    assert french in invitations
    assert "· midsa" not in invitations
    # no Arabic name: the English one, marked as English
    arabic = _row(admin.get("/admin/people?lang=ar").text, '<th scope="row" dir="ltr">other-sec<')
    assert 'lang="en"' in arabic
    assert "Migration Dialogue for Southern Africa" in arabic
    # a process's own page names it too
    bali = _row(
        hub.pages["sec"].get("/processes/bali-process/people?lang=es").text,  # type: ignore[attr-defined]
        '<th scope="row" dir="ltr">member<',
    )
    assert "Proceso de Bali sobre el Tráfico Ilícito de Migrantes" in bali


def test_the_document_page_offers_its_edit_form_to_those_who_may_use_it(hub: Hub):
    doc = hub.docs["en"]
    edit = f'href="/documents/{doc}/edit"'
    contrib = hub.pages["contrib"].get(f"/documents/{doc}?lang=fr").text  # type: ignore[attr-defined]
    tools = html.unescape(contrib[contrib.index('class="record-tools"') :].split("</p>")[0])
    assert "Proposer une modification :" in tools
    assert edit in tools
    sec = hub.pages["sec"].get(f"/documents/{doc}?lang=fr").text  # type: ignore[attr-defined]
    assert edit in sec
    assert "Proposer une modification" not in sec
    for user in ("reader", "member", "other-sec"):
        page = hub.pages[user].get(f"/documents/{doc}?lang=fr").text  # type: ignore[attr-defined]
        assert edit not in page, user
        assert "Proposer une modification" not in page, user
    visitor = hub.client.get(f"/documents/{doc}?lang=fr").text
    assert edit not in visitor
