"""People through the JSON API on both databases: a contributor proposes changes to its
process's record that a secretariat approves (the history names both) or rejects with a
reason; the focal-point directory, members-only by default; invitations with expiry, grants by
a secretariat for its own process only, and one-time password reset links. Another process's
secretariat, a reader and a visitor are refused (403/404; 401 without a token), and a refusal
writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from rcphub.accounts.sessions import sign_in
from rcphub.db import AuditEntry, Invitation, Proposal
from rcphub.errors import Unauthenticated
from tests.accounts_support import PASSWORD
from tests.editing.support import Hub, make_hub

NEXT_YEAR = date.today().year + 1


@pytest.fixture(scope="module")
def hub(database_factory):  # type: ignore[no-untyped-def]
    hub = make_hub(database_factory)
    yield hub
    hub.client.__exit__(None, None, None)


def propose(hub: Hub, user: str | None, kind: str, target: str, changes: dict, **extra):  # type: ignore[no-untyped-def]
    return hub.call(
        "POST",
        "/api/v1/proposals",
        user,
        json={"kind": kind, "target": target, "changes": changes, **extra},
    )


def pending_count(hub: Hub) -> int:
    with hub.database.session() as session:
        return len(session.scalars(select(Proposal.id).where(Proposal.status == "pending")).all())


# ---------------------------------------------------------------------------- proposals


def test_a_contributor_proposes_a_member_and_the_secretariat_approves(hub: Hub):
    before = hub.counts()
    response = propose(
        hub,
        "contrib",
        "membership.add",
        "process:bali-process",
        {
            "party": "state:MAR",
            "role": "observer",
            "source": "https://www.baliprocess.net/membership/",
            "as_of": "2026-12",
        },
        comment="Morocco joined as an observer at the last conference",
    )
    assert response.status_code == 201, response.text
    proposal = response.json()
    assert proposal["status"] == "pending"
    assert proposal["kind"] == "membership.add"
    assert proposal["target"] == "process:bali-process"
    assert proposal["proposed_by"] == "contrib"
    # nothing is in the record yet, and the trial run left no history
    record = hub.call("GET", "/api/v1/processes/bali-process").json()
    assert not [m for m in record["memberships"] if m["party"] == "state:MAR"]
    assert hub.counts()[0] == before[0]

    # the secretariat sees it; another process's secretariat, a reader and a member do not
    listed = hub.call("GET", "/api/v1/proposals", "sec").json()
    assert proposal["id"] in [p["id"] for p in listed["proposals"]]
    for user in ("other-sec", "reader", "member"):
        others = hub.call("GET", "/api/v1/proposals", user).json()
        assert proposal["id"] not in [p["id"] for p in others["proposals"]], user
        got = hub.call("GET", f"/api/v1/proposals/{proposal['id']}", user)
        assert got.status_code == 404, user
        refused = hub.call("POST", f"/api/v1/proposals/{proposal['id']}/approve", user)
        assert refused.status_code == 404, user
    assert hub.call("GET", "/api/v1/proposals").status_code == 401
    assert hub.call("POST", f"/api/v1/proposals/{proposal['id']}/approve").status_code == 401
    # its proposer sees it but may not approve it
    assert hub.call("GET", f"/api/v1/proposals/{proposal['id']}", "contrib").status_code == 200
    mine = hub.call("POST", f"/api/v1/proposals/{proposal['id']}/approve", "contrib")
    assert mine.status_code == 403

    approved = hub.call("POST", f"/api/v1/proposals/{proposal['id']}/approve", "sec")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == "sec"
    record = hub.call("GET", "/api/v1/processes/bali-process").json()
    added = [m for m in record["memberships"] if m["party"] == "state:MAR"]
    assert [m["role"] for m in added] == ["observer"]
    history = hub.call("GET", "/api/v1/processes/bali-process/history", "member").json()
    change = history["changes"][0]
    assert change["entity"] == "membership"
    assert change["who"] == "sec (token 2)"
    assert change["proposed_by"] == "contrib"
    assert change["source"] == "https://www.baliprocess.net/membership/"
    with hub.database.session() as session:
        actions = set(
            session.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.object_type == "proposal",
                    AuditEntry.object_id == str(proposal["id"]),
                )
            )
        )
    assert actions == {"proposal.create", "proposal.approve"}
    again = hub.call("POST", f"/api/v1/proposals/{proposal['id']}/approve", "sec")
    assert again.status_code == 422


def test_a_profile_proposal_is_rejected_with_a_reason(hub: Hub):
    response = propose(
        hub,
        "contrib",
        "process.edit",
        "bali-process",
        {"website": "https://www.baliprocess.net/new/"},
    )
    assert response.status_code == 201, response.text
    pid = response.json()["id"]
    no_reason = hub.call("POST", f"/api/v1/proposals/{pid}/reject", "sec", json={"reason": " "})
    assert no_reason.status_code == 422
    other = hub.call("POST", f"/api/v1/proposals/{pid}/reject", "other-sec", json={"reason": "x"})
    assert other.status_code == 404
    rejected = hub.call(
        "POST", f"/api/v1/proposals/{pid}/reject", "sec", json={"reason": "Not the official site"}
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["note"] == "Not the official site"
    record = hub.call("GET", "/api/v1/processes/bali-process").json()
    assert record["website"] != "https://www.baliprocess.net/new/"
    mine = hub.call("GET", "/api/v1/proposals?status=rejected", "contrib").json()
    assert pid in [p["id"] for p in mine["proposals"]]


def test_meeting_and_document_proposals_apply_through_the_editing_services(hub: Hub):
    meeting = propose(
        hub,
        "contrib",
        "meeting.create",
        "process:bali-process",
        {"title": {"en": "Bali Process workshop on trafficking"}, "start": f"{NEXT_YEAR}-05-02"},
    )
    assert meeting.status_code == 201, meeting.text
    ok = hub.call("POST", f"/api/v1/proposals/{meeting.json()['id']}/approve", "sec")
    assert ok.status_code == 200, ok.text
    listed = hub.call("GET", "/api/v1/meetings?process=bali-process").json()
    assert f"bali-process-{NEXT_YEAR}0502" in [m["id"] for m in listed["meetings"]]

    doc = hub.docs["en"]
    title = "Chair's summary of the Bali Process workshop (corrected)"
    proposed = propose(hub, "contrib", "document.edit", f"document:{doc}", {"title": title})
    assert proposed.status_code == 201, proposed.text
    ok = hub.call("POST", f"/api/v1/proposals/{proposed.json()['id']}/approve", "admin")
    assert ok.status_code == 200, ok.text
    assert hub.call("GET", f"/api/v1/documents/{doc}").json()["title"] == title
    history = hub.call("GET", f"/api/v1/documents/{doc}/history", "contrib").json()
    assert history["changes"][0]["proposed_by"] == "contrib"
    assert history["changes"][0]["who"].startswith("admin")


@pytest.mark.parametrize(
    ("user", "kind", "target", "changes", "status"),
    [
        # another process's secretariat and a reader may not propose for the Bali Process
        ("other-sec", "process.edit", "bali-process", {"acronym": "BP"}, 403),
        ("reader", "process.edit", "bali-process", {"acronym": "BP"}, 403),
        ("member", "membership.add", "bali-process", {"party": "state:TUN"}, 403),
        (None, "process.edit", "bali-process", {"acronym": "BP"}, 401),
        # a contributor of the Bali Process may not move a document into MIDSA's hands
        ("contrib", "document.edit", "DOC", {"processes": ["bali-process", "midsa"]}, 403),
        # what could never apply is refused at once
        ("contrib", "membership.add", "bali-process", {"party": "state:XXX"}, 422),
        ("contrib", "meeting.create", "bali-process", {"title": {"en": "x"}}, 422),
        ("contrib", "process.edit", "bali-process", {"colour": "red"}, 422),
        ("contrib", "process.edit", "meeting:grcp-2013", {"acronym": "x"}, 422),
        ("contrib", "unknown.kind", "bali-process", {"acronym": "x"}, 422),
        ("contrib", "process.edit", "no-such-process", {"acronym": "x"}, 404),
        ("contrib", "membership.end", "membership:999999", {"until": "2026"}, 404),
    ],
)
def test_proposals_refused(hub: Hub, user, kind, target, changes, status):  # type: ignore[no-untyped-def]
    target = target.replace("DOC", f"document:{hub.docs['en']}")
    before, pending = hub.counts(), pending_count(hub)
    response = propose(hub, user, kind, target, changes)
    assert response.status_code == status, response.text
    assert hub.counts() == before
    assert pending_count(hub) == pending


# ---------------------------------------------------------------------------- focal points


def test_focal_points_are_members_only_unless_public(hub: Hub):
    entry = {
        "name": "Ana Pereira",
        "function": "Programme officer",
        "organisation": "Regional Support Office",
        "email": "ana.pereira@example.org",
        "phone": "+66 2 123 4567",
    }
    added = hub.call("POST", "/api/v1/processes/bali-process/focal-points", "sec", json=entry)
    assert added.status_code == 201, added.text
    assert added.json()["public"] is False
    public = hub.call(
        "POST",
        "/api/v1/processes/bali-process/focal-points",
        "sec",
        json={"name": "Bali Process Secretariat", "email": "info@example.org", "public": True},
    )
    assert public.status_code == 201
    path = "/api/v1/processes/bali-process/focal-points"
    for user in ("sec", "member", "contrib", "admin"):
        seen = hub.call("GET", path, user).json()
        assert seen["members_only_shown"] is True
        assert {f["name"] for f in seen["focal_points"]} >= {"Ana Pereira", entry["name"]}, user
    for user in (None, "reader", "other-sec"):
        seen = hub.call("GET", path, user).json()
        assert seen["members_only_shown"] is False
        assert [f["name"] for f in seen["focal_points"]] == ["Bali Process Secretariat"], user
        history = hub.call("GET", f"{path}/history", user)
        assert history.status_code == 404, user

    fid = added.json()["id"]
    for user, status in (("other-sec", 403), ("contrib", 403), ("reader", 403), (None, 401)):
        before = hub.counts()
        refused = hub.call("PATCH", f"{path}/{fid}", user, json={"public": True})
        assert refused.status_code == status, user
        refused = hub.call("POST", path, user, json={"name": "X", "email": "x@example.org"})
        assert refused.status_code == status, user
        assert hub.counts() == before
    changed = hub.call("PATCH", f"{path}/{fid}", "sec", json={"function": "Head of office"})
    assert changed.status_code == 200
    history = hub.call("GET", f"{path}/history", "member").json()
    assert history["changes"][0]["field"] == "function"
    assert history["changes"][0]["before"] == "Programme officer"
    assert history["changes"][0]["after"] == "Head of office"
    reverted = hub.call("POST", f"/api/v1/history/{history['changes'][0]['id']}/revert", "sec")
    assert reverted.status_code == 201, reverted.text
    seen = hub.call("GET", path, "sec").json()
    assert [f["function"] for f in seen["focal_points"] if f["id"] == fid] == ["Programme officer"]
    for bad in ({"email": "not an address"}, {"phone": "call me"}, {"name": ""}, {"x": 1}):
        assert hub.call("PATCH", f"{path}/{fid}", "sec", json=bad).status_code == 422, bad
    # a process page's visitors do not get the members-only addresses on the page either
    page = hub.client.get("/processes/bali-process/focal-points?lang=en")
    assert page.status_code == 200
    assert "ana.pereira@example.org" not in page.text
    assert "info@example.org" in page.text
    removed = hub.call("DELETE", f"{path}/{fid}", "sec")
    assert removed.status_code == 200
    assert fid not in [f["id"] for f in hub.call("GET", path, "sec").json()["focal_points"]]


# ---------------------------------------------------------------------------- people


def test_a_secretariat_invites_and_grants_for_its_own_process_only(hub: Hub):
    made = hub.call(
        "POST",
        "/api/v1/invitations",
        "sec",
        json={"role": "contributor", "process": "bali-process", "email": "new@example.org"},
    )
    assert made.status_code == 201, made.text
    link = made.json()
    assert link["path"].startswith("/invitations/inv_")
    assert link["url"].endswith(link["path"])
    assert link["mailed"] is False  # no SMTP server is set
    for body in (
        {"role": "admin"},
        {"role": "reader"},
        {"role": "contributor", "process": "midsa"},
        {"role": "secretariat", "process": "midsa"},
    ):
        refused = hub.call("POST", "/api/v1/invitations", "sec", json=body)
        assert refused.status_code == 403, body
    assert hub.call("POST", "/api/v1/invitations", json={"role": "reader"}).status_code == 401
    for user in ("contrib", "reader", "member"):
        refused = hub.call(
            "POST", "/api/v1/invitations", user, json={"role": "reader", "process": "bali-process"}
        )
        assert refused.status_code == 403, user

    granted = hub.call(
        "POST",
        "/api/v1/users/reader/roles",
        "sec",
        json={"role": "contributor", "process": "bali-process"},
    )
    assert granted.status_code == 201, granted.text
    assert {"role": "contributor", "process": "bali-process"} in granted.json()["grants"]
    for body in ({"role": "admin"}, {"role": "contributor", "process": "midsa"}):
        refused = hub.call("POST", "/api/v1/users/reader/roles", "sec", json=body)
        assert refused.status_code == 403, body
        refused = hub.call("POST", "/api/v1/users/reader/roles/revoke", "sec", json=body)
        assert refused.status_code == 403, body
    other = hub.call(
        "POST",
        "/api/v1/users/reader/roles/revoke",
        "other-sec",
        json={"role": "contributor", "process": "bali-process"},
    )
    assert other.status_code == 403
    people = hub.call("GET", "/api/v1/people?process=bali-process", "sec").json()
    assert "reader" in [u["username"] for u in people["users"]]
    assert hub.call("GET", "/api/v1/people", "sec").status_code == 403
    assert hub.call("GET", "/api/v1/people?process=bali-process", "other-sec").status_code == 403
    revoked = hub.call(
        "POST",
        "/api/v1/users/reader/roles/revoke",
        "sec",
        json={"role": "contributor", "process": "bali-process"},
    )
    assert revoked.status_code == 200
    assert {"role": "contributor", "process": "bali-process"} not in revoked.json()["grants"]


def test_an_invitation_opens_one_account_until_it_expires(hub: Hub):
    from rcphub.accounts import invitations

    link = hub.call(
        "POST",
        "/api/v1/invitations",
        "sec",
        json={"role": "contributor", "process": "bali-process"},
    ).json()
    token = link["token"]
    with hub.database.session() as session:
        offered = invitations.invitation_for(session, token)
        assert (offered.role, offered.process) == ("contributor", "bali-process")
    with hub.database.session() as session:
        user = invitations.accept_invitation(session, token, "newcomer", PASSWORD)
    assert [(g.role, g.process) for g in user.grants] == [("contributor", "bali-process")]
    with pytest.raises(invitations.Gone), hub.database.session() as session:
        invitations.accept_invitation(session, token, "second", PASSWORD)
    # expired: refused, and no account is made
    late = hub.call(
        "POST", "/api/v1/invitations", "admin", json={"role": "reader", "days": 1}
    ).json()
    with hub.database.session() as session:
        session.execute(
            update(Invitation)
            .where(Invitation.id == late["id"])
            .values(expires_at="2020-01-01T00:00:00+00:00")
        )
    with pytest.raises(invitations.Gone, match="expired"), hub.database.session() as session:
        invitations.accept_invitation(session, late["token"], "toolate", PASSWORD)
    page = hub.client.get(f"/invitations/{late['token']}?lang=en")
    assert page.status_code == 410
    unknown = hub.client.get("/invitations/inv_nothing-like-a-real-token?lang=en")
    assert unknown.status_code == 404
    listed = hub.call("GET", "/api/v1/invitations?process=bali-process", "sec").json()
    statuses = {i["id"]: i["status"] for i in listed["invitations"]}
    assert statuses[link["id"]] == "used"
    assert late["id"] not in statuses  # a hub-wide invitation is not the secretariat's


def test_a_password_reset_link_works_once(hub: Hub):
    assert hub.call("POST", "/api/v1/users/member/password-reset", "sec").status_code == 403
    made = hub.call("POST", "/api/v1/users/member/password-reset", "admin")
    assert made.status_code == 201, made.text
    token = made.json()["token"]
    from rcphub.accounts import invitations

    new_password = "another long password"
    with hub.database.session() as session:
        assert invitations.reset_password(session, token, new_password) == "member"
    with pytest.raises(invitations.Gone), hub.database.session() as session:
        invitations.reset_password(session, token, "a third long password")
    assert sign_in(hub.database, "member", new_password, address="127.0.0.1").cookie
    with pytest.raises(Unauthenticated):
        sign_in(hub.database, "member", PASSWORD, address="127.0.0.1")
    page = hub.client.get(f"/password-reset/{token}?lang=en")
    assert page.status_code == 410


def test_an_invitation_is_withdrawn_by_whoever_may_make_it(hub: Hub):
    link = hub.call(
        "POST", "/api/v1/invitations", "sec", json={"role": "reader", "process": "bali-process"}
    ).json()
    other = hub.call("POST", f"/api/v1/invitations/{link['id']}/revoke", "other-sec")
    assert other.status_code == 404
    assert hub.call("POST", f"/api/v1/invitations/{link['id']}/revoke").status_code == 401
    withdrawn = hub.call("POST", f"/api/v1/invitations/{link['id']}/revoke", "sec")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "revoked"
    assert hub.client.get(f"/invitations/{link['token']}").status_code == 410
