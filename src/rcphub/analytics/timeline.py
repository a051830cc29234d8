"""How the system grew: processes by founding year and kind, and the meetings on one axis."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub.analytics.schemas import GrowthYear, TimelineEvent, TimelineResult
from rcphub.db.models import Body, Meeting
from rcphub.refdata import PROCESS_KINDS


def system_timeline(session: Session, *, until: int = 2026) -> TimelineResult:
    bodies = session.scalars(
        select(Body).where(Body.kind.in_(PROCESS_KINDS), Body.listed_only.is_(False))
    ).all()
    dated = [b for b in bodies if b.established]
    growth = []
    if dated:
        for year in range(min(b.established for b in dated), until + 1):
            growth.append(
                GrowthYear(
                    year=year,
                    by_kind={
                        kind: sum(1 for b in dated if b.kind == kind and b.established <= year)
                        for kind in PROCESS_KINDS
                    },
                    founded=sorted(b.id for b in dated if b.established == year),
                )
            )
    events = [
        TimelineEvent(
            id=m.id,
            series=m.series,
            year=m.year,
            start_date=m.start_date.isoformat() if m.start_date else None,
            city=m.city,
            country=m.country_iso3,
        )
        for m in session.scalars(select(Meeting).order_by(Meeting.year, Meeting.series))
    ]
    return TimelineResult(
        kinds=list(PROCESS_KINDS),
        growth=growth,
        events=events,
        undated=sorted(b.id for b in bodies if not b.established),
    )
