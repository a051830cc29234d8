"""The bundled reference data, loaded into both databases: counts and facts checked against
the source files, and the loader's idempotence."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources

import yaml
from sqlalchemy import select

from rcphub.db.models import Body, Concept, Meeting, Membership, State
from rcphub.refdata import load_reference_data

DATA = resources.files("rcphub.refdata").joinpath("data")


def _reference() -> dict:
    return yaml.safe_load(DATA.joinpath("iscm-reference.yaml").read_text(encoding="utf-8"))


def _memberships(session, body_id: str, role: str = "member") -> set[str]:
    return set(
        session.scalars(
            select(Membership.party).where(Membership.body_id == body_id, Membership.role == role)
        )
    )


def test_every_reference_entry_is_a_body(session):
    ids = {entry["id"] for entry in _reference()["processes"]}
    loaded = set(session.scalars(select(Body.id).where(Body.listed_only.is_(False))))
    assert loaded == ids
    assert len(ids) == 42


def test_plain_member_lists_match_the_source(session):
    """Every `members.iso3` list of the source is loaded as members, except where curation.yaml
    says a listed state holds another role."""
    checked = 0
    for entry in _reference()["processes"]:
        members = entry.get("members")
        if not isinstance(members, dict) or "iso3" not in members:
            continue
        expected = {f"state:{iso3}" for iso3 in members["iso3"]}
        loaded = {p for p in _memberships(session, entry["id"]) if p.startswith("state:")}
        assert loaded == expected, entry["id"]
        checked += 1
    assert checked >= 25


def test_bali_process_members_and_completeness(session):
    members = _memberships(session, "bali-process")
    assert {"state:AUS", "state:IDN", "state:NZL", "org:iom", "org:unhcr", "org:unodc"} <= members
    assert len([m for m in members if m.startswith("state:")]) == 44
    body = session.get(Body, "bali-process")
    (members_list,) = [lst for lst in body.membership_lists if lst.key == "members"]
    assert members_list.complete is False
    assert members_list.stated_count == 45
    assert _memberships(session, "bali-process", "chair") == {"state:AUS", "state:IDN"}


def test_origin_and_destination_roles_of_the_abu_dhabi_dialogue(session):
    rows = session.execute(
        select(Membership.state_iso3, Membership.subgroup).where(
            Membership.body_id == "abu-dhabi-dialogue", Membership.role == "member"
        )
    )
    by_state = dict(rows.all())
    assert by_state["IND"] == "origin"
    assert by_state["SAU"] == "destination"
    assert _memberships(session, "abu-dhabi-dialogue", "observer") >= {
        "state:JPN",
        "state:SGP",
        "state:KOR",
        "org:iom",
        "org:ilo",
        "org:european-union",
    }


def test_rabat_process_observers_are_not_members(session):
    assert "state:DZA" not in _memberships(session, "rabat-process")
    assert "state:DZA" in _memberships(session, "rabat-process", "observer")
    assert "state:SEN" in _memberships(session, "rabat-process")


def test_join_and_withdrawal_dates(session):
    ecowas_bfa = session.scalars(
        select(Membership).where(Membership.body_id == "ecowas", Membership.state_iso3 == "BFA")
    ).one()
    assert ecowas_bfa.until == "2025-01-29"
    icmpd_irl = session.scalars(
        select(Membership).where(Membership.body_id == "icmpd", Membership.state_iso3 == "IRL")
    ).one()
    assert icmpd_irl.since == "2024"


def test_states_names_in_six_languages(session):
    source = {
        row["ISO3166-1-Alpha-3"]: row
        for row in csv.DictReader(
            DATA.joinpath("m49/country-codes.csv").read_text(encoding="utf-8").splitlines()
        )
    }
    states = session.scalars(select(State)).all()
    assert len(states) == len(source) + 1  # plus Kosovo (XKX), named by the reference file
    un_members = [s for s in states if s.un_status == "member"]
    assert len(un_members) == 193
    assert {s.iso3 for s in states if s.un_status == "observer"} == {"PSE", "VAT"}
    for state in un_members:
        assert set(state.names) == {"en", "fr", "es", "ru", "ar", "zh"}, state.iso3
    peru = session.get(State, "PER")
    assert peru.names["ru"] == "Перу"
    assert peru.names["zh"] == "秘鲁"
    assert peru.region_code == "019"
    assert session.get(State, "XKX").names["en"] == "Kosovo"


def test_meetings_from_the_reference_file(session):
    reference = _reference()
    expected = (
        len(reference["global_meetings"])
        + len(reference["global_dialogues"]["gfmd_summits"])
        + len(reference["global_dialogues"]["un_high_level_dialogues"])
        + len(reference["global_dialogues"]["imrf"])
    )
    assert len(session.scalars(select(Meeting)).all()) == expected
    lima = session.get(Meeting, "grcp-2013")
    assert (lima.city, lima.country_iso3, lima.number) == ("Lima", "PER", 4)
    assert lima.start_date == date(2013, 5, 22)
    assert lima.end_date == date(2013, 5, 23)
    hld = session.get(Meeting, "hld-2013")
    assert len(hld.details["round_tables"]) == 4


def test_taxonomies(session):
    def count(scheme: str, *, parent: bool | None = None) -> int:
        query = select(Concept).where(Concept.scheme_id == scheme)
        if parent is not None:
            column = Concept.parent_code
            query = query.where(column.is_not(None) if parent else column.is_(None))
        return len(session.scalars(query).all())

    assert count("hld2013") == 4
    assert count("gcm") == 23
    assert count("gcm-principles") == 10
    assert count("sdg", parent=False) == 17
    assert count("sdg", parent=True) == 169
    target = session.get(Concept, ("sdg", "10.7"))
    assert target.parent_code == "10"
    assert set(target.labels) == {"en", "fr", "es", "ru", "ar", "zh"}
    assert "migration" in target.labels["en"]


def test_load_is_idempotent_and_repairs_changes(fresh_database):
    with fresh_database.session() as session:
        first = load_reference_data(session)
    assert first.tables["memberships"].inserted > 800
    with fresh_database.session() as session:
        second = load_reference_data(session)
    assert not second.changed

    with fresh_database.session() as session:
        session.get(Body, "bali-process").established = 1900
        session.delete(
            session.scalars(
                select(Membership).where(
                    Membership.body_id == "midsa", Membership.state_iso3 == "ZAF"
                )
            ).one()
        )
        session.get(State, "PER").names = {"en": "Peru (edited)"}
    with fresh_database.session() as session:
        third = load_reference_data(session)
    assert third.tables["bodies"].updated == 1
    assert third.tables["states"].updated == 1
    assert third.tables["memberships"].inserted == 1
    with fresh_database.session() as session:
        assert session.get(Body, "bali-process").established == 2002
        assert session.get(State, "PER").names["en"] == "Peru"
        assert "state:ZAF" in _memberships(session, "midsa")


def test_names_are_keyed_by_un_languages_only(session):
    """A flow-style YAML mapping with an unquoted comma once split a name into junk keys."""
    for body in session.scalars(select(Body)):
        assert set(body.names) <= {"en", "fr", "es", "ru", "ar", "zh"}, body.id
        assert all(isinstance(name, str) and name for name in body.names.values()), body.id
    marri = session.get(Body, "marri")
    assert marri.names["en"] == "Migration, Asylum, Refugees Regional Initiative"
