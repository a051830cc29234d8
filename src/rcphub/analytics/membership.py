"""Who belonged to which process when: the membership facts the analytics rest on.

Most lists carry only the date they were seen, so the membership of today is applied to every
year; where the source gives join years or withdrawal dates (ICMPD, ECOWAS), the membership of
each year follows them. Every result says which of the two it used. A process founded after
the year asked for had no members in it, whatever its list of today says: it is left out
(:func:`founded_by`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub.db.models import Body, Membership
from rcphub.errors import InvalidInput
from rcphub.refdata import PROCESS_KINDS

MEMBER_ROLES = ("member",)
WITH_OBSERVERS = ("member", "associate-member", "observer")
DATED = "membership as of each year where the source dates joining or leaving"
UNDATED = "today's membership applied to every year (the source gives no dates)"
CURRENT = "membership as last seen in the sources"
NO_LIST = "no list of member States in the reference data: nothing can be computed"


def basis(year: int | None, dated: bool) -> str:
    if year is None:
        return CURRENT
    return DATED if dated else UNDATED


@dataclass(frozen=True)
class StateMembership:
    body_id: str
    iso3: str
    since: int | None
    until: int | None

    def holds_in(self, year: int | None) -> bool:
        if year is None:
            return self.until is None
        return (self.since is None or self.since <= year) and (
            self.until is None or year < self.until
        )


def _year(value: str | None) -> int | None:
    return int(value[:4]) if value and value[:4].isdigit() else None


def roles_for(include_observers: bool) -> tuple[str, ...]:
    return WITH_OBSERVERS if include_observers else MEMBER_ROLES


def check_year(year: int | None, low: int = 1900, high: int = 2100) -> None:
    if year is not None and not low <= year <= high:
        raise InvalidInput(f"year must be between {low} and {high} (got {year})")


def state_memberships(
    session: Session, roles: tuple[str, ...] = MEMBER_ROLES, body_ids: list[str] | None = None
) -> list[StateMembership]:
    """State memberships in the given roles: of the named bodies (any kind), or else of every
    process (rcp, irf, global)."""
    query = (
        select(Membership.body_id, Membership.state_iso3, Membership.since, Membership.until)
        .join(Body, Body.id == Membership.body_id)
        .where(Membership.state_iso3.is_not(None), Membership.role.in_(roles))
    )
    if body_ids is None:
        query = query.where(Body.kind.in_(PROCESS_KINDS))
    else:
        query = query.where(Membership.body_id.in_(body_ids))
    return [
        StateMembership(body_id, iso3, _year(since), _year(until))
        for body_id, iso3, since, until in session.execute(query)
    ]


def founded_by(
    session: Session, members: dict[str, set[str]], year: int | None
) -> tuple[dict[str, set[str]], list[str]]:
    """``members`` without the processes founded after ``year``, and the ids of those left out.

    A process without a founding year in the data is kept (nothing says it did not exist)."""
    if year is None or not members:
        return members, []
    later = set(
        session.scalars(select(Body.id).where(Body.id.in_(list(members)), Body.established > year))
    )
    kept = {pid: states for pid, states in members.items() if pid not in later}
    return kept, sorted(later)


def members_by_process(
    memberships: list[StateMembership], year: int | None
) -> tuple[dict[str, set[str]], bool]:
    """Process → member ISO3 in ``year`` (None: today); and whether any date was used."""
    members: dict[str, set[str]] = {}
    dated = False
    for m in memberships:
        if m.since is not None or m.until is not None:
            dated = True
        if m.holds_in(year):
            members.setdefault(m.body_id, set()).add(m.iso3)
    return members, dated
