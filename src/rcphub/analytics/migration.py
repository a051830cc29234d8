"""UN DESA migrant stock per process: how much of its members' migration a process covers."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rcphub.analytics.membership import (
    DATED,
    NO_LIST,
    UNDATED,
    check_year,
    founded_by,
    members_by_process,
    state_memberships,
)
from rcphub.analytics.schemas import (
    Corridor,
    CountryMigration,
    MigrationResult,
    MigrationYear,
    ProcessShare,
)
from rcphub.db.models import Body, MembershipList, MigrantStock, MigrantTotal, State
from rcphub.errors import InvalidInput, NotFound
from rcphub.ids import plausible_id
from rcphub.refdata.migration import SOURCE

YEARS = (1990, 1995, 2000, 2005, 2010, 2015, 2020)
CAVEATS = [
    "Migrants whose country of birth is unknown are not in the bilateral data (the source's "
    "'Other'), so totals by corridor fall short of the UN world totals by about 5%.",
    "A migrant is counted where they live in the year, by country of birth; people who moved "
    "and came back, or moved within a country, are not counted.",
]


def _check_data_year(year: int) -> None:
    if year not in YEARS:
        raise InvalidInput(
            f"year must be one of the years of the data: {', '.join(map(str, YEARS))}"
        )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _year_figures(session: Session, members: set[str], year: int) -> MigrationYear:
    intra = session.scalar(
        select(func.coalesce(func.sum(MigrantStock.stock), 0)).where(
            MigrantStock.year == year,
            MigrantStock.origin.in_(members),
            MigrantStock.destination.in_(members),
            MigrantStock.origin != MigrantStock.destination,
        )
    )
    emigrants, immigrants = session.execute(
        select(
            func.coalesce(func.sum(MigrantTotal.emigrants), 0),
            func.coalesce(func.sum(MigrantTotal.immigrants), 0),
        ).where(MigrantTotal.year == year, MigrantTotal.iso3.in_(members))
    ).one()
    return MigrationYear(
        year=year,
        members=len(members),
        intra_stock=int(intra),
        members_emigrants=int(emigrants),
        members_immigrants=int(immigrants),
        intra_share_of_emigrants=_share(int(intra), int(emigrants)),
        intra_share_of_immigrants=_share(int(intra), int(immigrants)),
    )


def process_migration(session: Session, process_id: str, year: int = 2020) -> MigrationResult:
    """For a process and a year: migrants born in one member and living in another, the
    members' emigrants and immigrants, the intra-process shares, top corridors, 1990-2020.

    A process whose member States the reference data does not list gets ``member_list`` false
    and no figures (None, not 0: nothing is known, which is not "no migrants")."""
    _check_data_year(year)
    body = session.get(Body, plausible_id("process", process_id))
    if body is None:
        raise NotFound("process", process_id)
    memberships = state_memberships(session, body_ids=[body.id])
    if not memberships:
        return _without_member_list(session, body, year)
    with_data = set(session.scalars(select(MigrantTotal.iso3).where(MigrantTotal.year == year)))
    trend = []
    dated = False
    for each_year in YEARS:
        members, used_dates = members_by_process(memberships, each_year)
        dated = dated or used_dates
        trend.append(_year_figures(session, members.get(body.id, set()), each_year))
    members = members_by_process(memberships, year)[0].get(body.id, set())
    figures = next(t for t in trend if t.year == year)
    corridors = session.execute(
        select(MigrantStock.origin, MigrantStock.destination, MigrantStock.stock)
        .where(
            MigrantStock.year == year,
            MigrantStock.origin.in_(members),
            MigrantStock.destination.in_(members),
            MigrantStock.origin != MigrantStock.destination,
        )
        .order_by(MigrantStock.stock.desc(), MigrantStock.origin, MigrantStock.destination)
        .limit(10)
    ).all()
    caveats = list(CAVEATS)
    if body.established and body.established > min(YEARS):
        caveats.append(
            f"The process was established in {body.established}; figures for earlier years "
            "show its members' migration before it existed."
        )
    return MigrationResult(
        process=body.id,
        names=body.names,
        year=year,
        members=sorted(members),
        members_without_data=sorted(members - with_data),
        intra_stock=figures.intra_stock,
        members_emigrants=figures.members_emigrants,
        members_immigrants=figures.members_immigrants,
        intra_share_of_emigrants=figures.intra_share_of_emigrants,
        intra_share_of_immigrants=figures.intra_share_of_immigrants,
        top_corridors=[Corridor(origin=o, destination=d, stock=s) for o, d, s in corridors],
        trend=trend,
        basis=DATED if dated else UNDATED,
        caveats=caveats,
        source=SOURCE,
    )


def _without_member_list(session: Session, body: Body, year: int) -> MigrationResult:
    description = session.scalar(
        select(MembershipList.description).where(
            MembershipList.body_id == body.id, MembershipList.key == "members"
        )
    )
    return MigrationResult(
        process=body.id,
        names=body.names,
        year=year,
        member_list=False,
        membership_description=description or None,
        members=[],
        members_without_data=[],
        intra_stock=None,
        members_emigrants=None,
        members_immigrants=None,
        intra_share_of_emigrants=None,
        intra_share_of_immigrants=None,
        top_corridors=[],
        trend=[],
        basis=NO_LIST,
        caveats=[],
        source=SOURCE,
    )


def country_migration(session: Session, iso3: str, year: int = 2020) -> CountryMigration:
    """A country's emigrants and immigrants, and how many of them the processes it belongs to
    cover: per process, stock to and from the other members (processes founded after ``year``
    left out)."""
    _check_data_year(year)
    check_year(year)
    state = session.get(State, plausible_id("state", iso3).strip().upper())
    if state is None:
        raise NotFound("state", iso3)
    memberships = state_memberships(session)
    members, dated = members_by_process(memberships, year)
    members = {pid: states for pid, states in members.items() if state.iso3 in states}
    members, not_yet_founded = founded_by(session, members, year)
    totals = session.execute(
        select(MigrantTotal.emigrants, MigrantTotal.immigrants).where(
            MigrantTotal.year == year, MigrantTotal.iso3 == state.iso3
        )
    ).first()
    out_stock: dict[str, int] = defaultdict(int)
    in_stock: dict[str, int] = defaultdict(int)
    for origin, destination, stock in session.execute(
        select(MigrantStock.origin, MigrantStock.destination, MigrantStock.stock).where(
            MigrantStock.year == year,
            (MigrantStock.origin == state.iso3) | (MigrantStock.destination == state.iso3),
        )
    ):
        if origin == state.iso3 and destination != state.iso3:
            out_stock[destination] += stock
        elif destination == state.iso3 and origin != state.iso3:
            in_stock[origin] += stock
    bodies = {
        b.id: b
        for b in session.scalars(
            select(Body).where(Body.id.in_([p for p, m in members.items() if state.iso3 in m]))
        )
    }
    shares = []
    for process_id, body in bodies.items():
        partners = members[process_id] - {state.iso3}
        shares.append(
            ProcessShare(
                process=process_id,
                names=body.names,
                partners=len(partners),
                emigrants_to_members=sum(out_stock[p] for p in partners),
                immigrants_from_members=sum(in_stock[p] for p in partners),
            )
        )
    shares.sort(key=lambda s: (-(s.emigrants_to_members + s.immigrants_from_members), s.process))

    def top(stock: dict[str, int], outward: bool) -> list[Corridor]:
        ranked = sorted(stock.items(), key=lambda item: (-item[1], item[0]))[:10]
        return [
            Corridor(
                origin=state.iso3 if outward else other,
                destination=other if outward else state.iso3,
                stock=value,
            )
            for other, value in ranked
        ]

    return CountryMigration(
        iso3=state.iso3,
        names=state.names,
        year=year,
        emigrants=totals[0] if totals else None,
        immigrants=totals[1] if totals else None,
        by_process=shares,
        top_destinations=top(out_stock, True),
        top_origins=top(in_stock, False),
        basis=DATED if dated else UNDATED,
        caveats=list(CAVEATS),
        source=SOURCE,
        not_yet_founded=not_yet_founded,
    )
