"""Editing through the JSON API on both databases: a process's meetings and memberships, a
document's details and versions, history and revert, and who may do it (a secretariat of the
process and an admin; another process's secretariat gets 403, a reader 403, a visitor 401, and
a members-only meeting is a 404 to outsiders). Every write leaves history and an audit entry;
every refusal leaves nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from rcphub.db import AuditEntry, SearchQueueEntry
from tests.editing.support import Hub, make_hub

NEXT_YEAR = date.today().year + 1
START = f"{NEXT_YEAR}-03-10"


@pytest.fixture(scope="module")
def hub(database_factory):  # type: ignore[no-untyped-def]
    hub = make_hub(database_factory)
    yield hub
    hub.client.__exit__(None, None, None)


def meeting_body(**extra):  # type: ignore[no-untyped-def]
    return {
        "title": {"en": "Bali Process Ad Hoc Group Senior Officials' Meeting", "fr": "Réunion"},
        "start": START,
        "end": f"{NEXT_YEAR}-03-11",
        "state": "IDN",
        "city": "Bali",
        "languages": ["en", "fr"],
        **extra,
    }


def a_bali_meeting(hub: Hub) -> str:
    """A Bali Process meeting's ID: one the module's earlier tests added, or a new one (a test
    may run alone, or on another test process than those)."""
    listed = hub.call("GET", "/api/v1/meetings?process=bali-process").json()["meetings"]
    if listed:
        return listed[0]["id"]
    made = hub.call("POST", "/api/v1/processes/bali-process/meetings", "sec", json=meeting_body())
    assert made.status_code == 201, made.text
    return made.json()["id"]


# ---------------------------------------------------------------------------- meetings


def test_a_secretariat_adds_a_meeting_that_lists_calendars_and_history_show(hub: Hub):
    response = hub.call(
        "POST", "/api/v1/processes/bali-process/meetings", "sec", json=meeting_body()
    )
    assert response.status_code == 201, response.text
    meeting = response.json()
    assert meeting["id"] == f"bali-process-{NEXT_YEAR}0310"
    assert meeting["body"] == "bali-process"
    assert meeting["series"] == "process"
    assert meeting["country"] == "IDN"
    assert meeting["city"] == "Bali"
    assert meeting["start_date"] == START
    assert meeting["languages"] == ["en", "fr"]

    listed = hub.call("GET", "/api/v1/meetings?process=bali-process").json()
    assert meeting["id"] in [m["id"] for m in listed["meetings"]]
    assert all(m["body"] == "bali-process" for m in listed["meetings"])
    other = hub.call("GET", "/api/v1/meetings?process=midsa").json()
    assert meeting["id"] not in [m["id"] for m in other["meetings"]]

    calendar = hub.client.get("/calendar/process/bali-process.ics")
    assert calendar.status_code == 200
    assert f"UID:meeting-{meeting['id']}@" in calendar.text
    assert f"DTSTART;VALUE=DATE:{NEXT_YEAR}0310" in calendar.text

    upcoming = hub.call("GET", "/api/v1/upcoming").json()
    assert meeting["id"] in [m["id"] for m in upcoming["meetings"]]
    assert all(m["start_date"] >= date.today().isoformat() for m in upcoming["meetings"])

    history = hub.call("GET", f"/api/v1/meetings/{meeting['id']}/history").json()
    assert history["total"] == 1
    change = history["changes"][0]
    assert change["who"] == "sec (token 2)"
    assert change["field"] == "*"
    assert change["after"]["city"] == "Bali"
    with hub.database.session() as session:
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.object_id == meeting["id"])
        ).all()
    assert [a.action for a in audit] == ["meeting.create"]
    assert audit[0].details["history"] == [change["id"]]


def test_a_meeting_edit_and_its_revert_are_both_in_history(hub: Hub):
    created = hub.call(
        "POST",
        "/api/v1/processes/bali-process/meetings",
        "sec",
        json=meeting_body(start=f"{NEXT_YEAR}-05-01", end=None),
    ).json()
    edited = hub.call("PATCH", f"/api/v1/meetings/{created['id']}", "sec", json={"city": "Jakarta"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["city"] == "Jakarta"
    changes = hub.call("GET", f"/api/v1/meetings/{created['id']}/history").json()["changes"]
    assert (changes[0]["field"], changes[0]["before"], changes[0]["after"]) == (
        "city",
        "Bali",
        "Jakarta",
    )
    reverted = hub.call("POST", f"/api/v1/history/{changes[0]['id']}/revert", "sec")
    assert reverted.status_code == 201, reverted.text
    assert reverted.json()["reverts"] == changes[0]["id"]
    assert reverted.json()["after"] == "Bali"
    assert hub.call("GET", f"/api/v1/meetings/{created['id']}").json()["city"] == "Bali"
    assert hub.call("GET", f"/api/v1/meetings/{created['id']}/history").json()["total"] == 3
    # reverting the same change again changes nothing: refused, nothing written
    before = hub.counts()
    again = hub.call("POST", f"/api/v1/history/{changes[0]['id']}/revert", "sec")
    assert again.status_code == 422
    assert hub.counts() == before


@pytest.mark.parametrize(
    ("user", "status"), [("other-sec", 403), ("reader", 403), ("member", 403), (None, 401)]
)
def test_others_may_not_add_or_edit_a_processs_meetings(hub: Hub, user, status):
    existing = a_bali_meeting(hub)
    before = hub.counts()
    response = hub.call(
        "POST", "/api/v1/processes/bali-process/meetings", user, json=meeting_body()
    )
    assert response.status_code == status, response.text
    response = hub.call("PATCH", f"/api/v1/meetings/{existing}", user, json={"city": "X"})
    assert response.status_code == status
    assert hub.counts() == before


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"title": {}}, "title"),
        ({"start": "2027-13-01"}, "start"),
        ({"end": f"{NEXT_YEAR}-03-01"}, "ends before it starts"),
        ({"state": "XXX"}, "ISO 3166"),
        ({"languages": ["en", "de"]}, "unknown language"),
        ({"visibility": "secret"}, "visibility"),
        ({"title": {"de": "Sitzung"}}, "unknown language"),
        ({"colour": "red"}, ""),
    ],
)
def test_a_bad_meeting_is_a_422_and_writes_nothing(hub: Hub, body, words):
    before = hub.counts()
    response = hub.call(
        "POST", "/api/v1/processes/bali-process/meetings", "sec", json=meeting_body(**body)
    )
    assert response.status_code == 422, response.text
    assert words in response.text
    assert hub.counts() == before


def test_a_members_only_meeting_is_seen_by_members_only(hub: Hub):
    created = hub.call(
        "POST",
        "/api/v1/processes/bali-process/meetings",
        "sec",
        json=meeting_body(start=f"{NEXT_YEAR}-06-01", end=None, visibility="restricted"),
    )
    assert created.status_code == 201, created.text
    ident = created.json()["id"]
    for user in ("sec", "member", "admin"):
        assert hub.call("GET", f"/api/v1/meetings/{ident}", user).status_code == 200
        listed = hub.call("GET", "/api/v1/meetings?process=bali-process", user).json()
        assert ident in [m["id"] for m in listed["meetings"]]
    for user in ("other-sec", "reader", None):
        assert hub.call("GET", f"/api/v1/meetings/{ident}", user).status_code == 404
        assert hub.call("GET", f"/api/v1/meetings/{ident}/history", user).status_code == 404
        listed = hub.call("GET", "/api/v1/meetings?process=bali-process", user).json()
        assert ident not in [m["id"] for m in listed["meetings"]]
        process = hub.call("GET", "/api/v1/processes/bali-process", user).json()
        assert ident not in [m["id"] for m in process["meetings"]]
    assert (
        hub.call("PATCH", f"/api/v1/meetings/{ident}", "other-sec", json={"city": "X"}).status_code
        == 404
    )
    assert ident not in hub.client.get("/calendar/process/bali-process.ics").text
    assert ident not in hub.client.get("/calendar/meetings.ics").text


# ---------------------------------------------------------------------------- memberships


def member(hub: Hub, party: str, user: str | None = None):  # type: ignore[no-untyped-def]
    process = hub.call("GET", "/api/v1/processes/bali-process", user).json()
    return next((m for m in process["memberships"] if m["party"] == party), None)


def test_a_secretariat_adds_a_member_with_its_source_and_as_of_date(hub: Hub):
    assert member(hub, "state:MAR") is None
    response = hub.call(
        "POST",
        "/api/v1/processes/bali-process/memberships",
        "sec",
        json={
            "party": "state:MAR",
            "role": "observer",
            "source": "https://www.baliprocess.net/membership/",
            "as_of": "2026-11",
        },
    )
    assert response.status_code == 201, response.text
    shown = member(hub, "state:MAR")
    assert shown is not None
    assert shown["role"] == "observer"
    assert shown["list_key"] == "observers"
    assert shown["sources"] == ["https://www.baliprocess.net/membership/"]
    assert shown["as_of"] == "2026-11"
    assert shown["edited"] is True
    history = hub.call("GET", "/api/v1/processes/bali-process/history").json()
    added = next(c for c in history["changes"] if c["entity"] == "membership" and c["field"] == "*")
    assert added["after"]["party"] == "state:MAR"
    assert added["source"] == "https://www.baliprocess.net/membership/"
    assert added["as_of"] == "2026-11"
    # the same party in the same role again: refused
    before = hub.counts()
    again = hub.call(
        "POST",
        "/api/v1/processes/bali-process/memberships",
        "sec",
        json={"party": "state:MAR", "role": "observer"},
    )
    assert again.status_code == 422
    assert "already" in again.text
    assert hub.counts() == before


def test_ending_and_changing_a_membership_and_reverting_the_end(hub: Hub):
    added = hub.call(
        "POST",
        "/api/v1/processes/bali-process/memberships",
        "sec",
        json={"party": "state:TUN", "role": "observer", "since": "2020"},
    ).json()
    path = f"/api/v1/processes/bali-process/memberships/{added['id']}"
    changed = hub.call("PATCH", path, "sec", json={"role": "member", "as_of": "2026-12-01"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["role"] == "member"
    assert changed.json()["list_key"] == "members"
    ended = hub.call("POST", path + "/end", "sec", json={"until": "2026"})
    assert ended.status_code == 200
    assert member(hub, "state:TUN")["until"] == "2026"
    changes = hub.call("GET", "/api/v1/processes/bali-process/history").json()["changes"]
    end = next(c for c in changes if c["field"] == "until" and c["entity_id"] == str(added["id"]))
    assert (end["before"], end["after"]) == (None, "2026")
    role = next(c for c in changes if c["field"] == "role" and c["entity_id"] == str(added["id"]))
    assert (role["before"], role["after"], role["as_of"]) == ("observer", "member", "2026-12-01")
    assert hub.call("POST", f"/api/v1/history/{end['id']}/revert", "other-sec").status_code == 403
    assert hub.call("POST", f"/api/v1/history/{end['id']}/revert", "sec").status_code == 201
    assert member(hub, "state:TUN")["until"] is None
    bad = hub.call("POST", path + "/end", "sec", json={"until": "2010"})
    assert bad.status_code == 422
    assert "ends before" in bad.text


@pytest.mark.parametrize(("user", "status"), [("other-sec", 403), ("reader", 403), (None, 401)])
def test_others_may_not_add_or_change_members(hub: Hub, user, status):
    before = hub.counts()
    response = hub.call(
        "POST",
        "/api/v1/processes/bali-process/memberships",
        user,
        json={"party": "state:DZA", "role": "member"},
    )
    assert response.status_code == status
    some = member(hub, "state:AUS")
    response = hub.call(
        "POST",
        f"/api/v1/processes/bali-process/memberships/{some['id']}/end",
        user,
        json={"until": "2025"},
    )
    assert response.status_code == status
    assert hub.counts() == before
    # a membership of another process through this one's address is not found
    response = hub.call(
        "POST",
        f"/api/v1/processes/midsa/memberships/{some['id']}/end",
        "other-sec",
        json={"until": "2025"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"party": "state:XYZ", "role": "member"}, "no state"),
        ({"party": "PER", "role": "member"}, "state:<ISO3>"),
        ({"party": "state:PER", "role": "king"}, "role must be"),
        ({"party": "state:PER", "role": "member", "source": "javascript:alert(1)"}, "http"),
        ({"party": "state:PER", "role": "member", "since": "last year"}, "YYYY"),
        ({"party": "org:bali-process", "role": "member"}, "own member"),
    ],
)
def test_a_bad_membership_is_a_422_and_writes_nothing(hub: Hub, body, words):
    before = hub.counts()
    response = hub.call("POST", "/api/v1/processes/bali-process/memberships", "sec", json=body)
    assert response.status_code == 422, response.text
    assert words in response.text
    assert hub.counts() == before


# ---------------------------------------------------------------------------- documents


def test_a_secretariat_edits_a_documents_details_with_history_and_revert(hub: Hub):
    doc = hub.docs["en"]
    before = hub.call("GET", f"/api/v1/documents/{doc}").json()
    with hub.database.session() as session:
        queued = len(session.scalars(select(SearchQueueEntry.id)).all())
    response = hub.call(
        "PATCH",
        f"/api/v1/documents/{doc}",
        "sec",
        json={"title": "Co-Chairs' statement", "type": "declaration", "date": "2026-02-11"},
    )
    assert response.status_code == 200, response.text
    after = response.json()
    assert (after["title"], after["type"], after["date"]) == (
        "Co-Chairs' statement",
        "declaration",
        "2026-02-11",
    )
    with hub.database.session() as session:
        assert len(session.scalars(select(SearchQueueEntry.id)).all()) == queued + 1
    history = hub.call("GET", f"/api/v1/documents/{doc}/history").json()
    by_field = {c["field"]: c for c in history["changes"]}
    assert by_field["title"]["before"] == before["title"]
    assert by_field["title"]["after"] == "Co-Chairs' statement"
    assert by_field["type"]["before"] == before["type"]
    reverted = hub.call("POST", f"/api/v1/history/{by_field['title']['id']}/revert", "sec")
    assert reverted.status_code == 201
    assert hub.call("GET", f"/api/v1/documents/{doc}").json()["title"] == before["title"]


def test_filing_a_document_under_meetings_and_processes(hub: Hub):
    doc = hub.docs["en"]
    meeting = a_bali_meeting(hub)
    response = hub.call(
        "PATCH", f"/api/v1/documents/{doc}", "sec", json={"meetings": [meeting, "grcp-2013"]}
    )
    assert response.status_code == 200, response.text
    assert set(response.json()["links"]) == {
        "process:bali-process",
        f"meeting:{meeting}",
        "meeting:grcp-2013",
    }
    # moving it into another process's hands is not for this secretariat
    before = hub.counts()
    moved = hub.call("PATCH", f"/api/v1/documents/{doc}", "sec", json={"processes": ["midsa"]})
    assert moved.status_code == 403
    unknown = hub.call("PATCH", f"/api/v1/documents/{doc}", "sec", json={"meetings": ["nope-1"]})
    assert unknown.status_code == 404
    assert hub.counts() == before
    cleared = hub.call("PATCH", f"/api/v1/documents/{doc}", "sec", json={"meetings": []})
    assert cleared.json()["links"] == ["process:bali-process"]


@pytest.mark.parametrize(
    ("user", "status"), [("other-sec", 403), ("reader", 403), ("member", 403), (None, 401)]
)
def test_others_may_not_edit_a_document(hub: Hub, user, status):
    before = hub.counts()
    response = hub.call("PATCH", f"/api/v1/documents/{hub.docs['en']}", user, json={"title": "x"})
    assert response.status_code == status
    response = hub.call("DELETE", f"/api/v1/documents/{hub.docs['en']}/versions", user)
    assert response.status_code in (status, 422)
    assert hub.counts() == before


@pytest.mark.parametrize("body", [{"type": "poem"}, {"date": "11/02/2026"}, {"colour": "red"}, {}])
def test_a_bad_document_change_is_a_422(hub: Hub, body):
    before = hub.counts()
    response = hub.call("PATCH", f"/api/v1/documents/{hub.docs['en']}", "sec", json=body)
    assert response.status_code == 422, response.text
    assert hub.counts() == before


def test_linking_and_unlinking_language_versions_is_in_history(hub: Hub):
    en, es = hub.docs["en"], hub.docs["es"]
    linked = hub.call("POST", f"/api/v1/documents/{en}/versions", "sec", data={"other": es})
    assert linked.status_code == 200, linked.text
    assert [v["id"] for v in linked.json()["versions"]] == [es]
    unlinked = hub.call("DELETE", f"/api/v1/documents/{es}/versions", "sec")
    assert unlinked.status_code == 200
    assert unlinked.json()["versions"] == []
    assert hub.call("GET", f"/api/v1/documents/{en}").json()["versions"] == []
    changes = hub.call("GET", f"/api/v1/documents/{es}/history").json()["changes"]
    assert (changes[0]["field"], changes[0]["before"], changes[0]["after"]) == (
        "versions",
        [en],
        [],
    )
    again = hub.call("POST", f"/api/v1/history/{changes[0]['id']}/revert", "sec")
    assert again.status_code == 201
    assert again.json()["reverts"] == changes[0]["id"]
    assert again.json()["after"] == [en]
    assert [v["id"] for v in hub.call("GET", f"/api/v1/documents/{es}").json()["versions"]] == [en]


# ---------------------------------------------------------------------------- profile


def test_a_secretariat_edits_its_process_profile(hub: Hub):
    before = hub.call("GET", "/api/v1/processes/bali-process").json()
    names = {**before["names"], "es": "Proceso de Bali"}
    response = hub.call(
        "PATCH",
        "/api/v1/processes/bali-process",
        "sec",
        json={
            "names": names,
            "website": "https://www.baliprocess.net/",
            "source": "https://www.baliprocess.net/",
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["names"]["es"] == "Proceso de Bali"
    assert (
        hub.call(
            "PATCH", "/api/v1/processes/bali-process", "other-sec", json={"acronym": "X"}
        ).status_code
        == 403
    )
    assert (
        hub.call(
            "PATCH", "/api/v1/processes/bali-process", "sec", json={"website": "ftp://x"}
        ).status_code
        == 422
    )
    changes = hub.call("GET", "/api/v1/processes/bali-process/history").json()["changes"]
    website = next(c for c in changes if c["field"] == "website")
    assert website["before"] == before["website"]
    assert website["source"] == "https://www.baliprocess.net/"
