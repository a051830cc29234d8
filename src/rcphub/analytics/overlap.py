"""Which processes overlap, and through which states."""

from __future__ import annotations

from itertools import combinations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub.analytics.membership import (
    basis,
    check_year,
    founded_by,
    members_by_process,
    roles_for,
    state_memberships,
)
from rcphub.analytics.schemas import Bridge, OverlapPair, OverlapProcess, OverlapResult
from rcphub.db.models import Body, State
from rcphub.refdata import party_ref


def membership_overlap(
    session: Session, *, include_observers: bool = False, year: int | None = None
) -> OverlapResult:
    """The process × process matrix of shared states (and Jaccard index), the pairs that
    overlap most and the states that bridge most processes; as of ``year``, without the
    processes founded after it."""
    check_year(year)
    roles = roles_for(include_observers)
    members, dated = members_by_process(state_memberships(session, roles), year)
    members, not_yet_founded = founded_by(session, members, year)
    bodies = {b.id: b for b in session.scalars(select(Body).where(Body.id.in_(list(members))))}
    order = sorted(members, key=lambda pid: (-len(members[pid]), pid))
    processes = [
        OverlapProcess(
            id=pid,
            ref=party_ref(bodies[pid].kind, pid),
            kind=bodies[pid].kind,
            acronym=bodies[pid].acronym,
            names=bodies[pid].names,
            established=bodies[pid].established,
            state_count=len(members[pid]),
        )
        for pid in order
    ]
    size = len(order)
    shared = [[0] * size for _ in range(size)]
    jaccard = [[0.0] * size for _ in range(size)]
    pairs = []
    for i, a in enumerate(order):
        shared[i][i] = len(members[a])
        jaccard[i][i] = 1.0
    for (i, a), (j, b) in combinations(enumerate(order), 2):
        common = members[a] & members[b]
        union = members[a] | members[b]
        shared[i][j] = shared[j][i] = len(common)
        jaccard[i][j] = jaccard[j][i] = round(len(common) / len(union), 4) if union else 0.0
        if common:
            pairs.append(
                OverlapPair(
                    a=a, b=b, shared=len(common), jaccard=jaccard[i][j], states=sorted(common)
                )
            )
    pairs.sort(key=lambda p: (-p.shared, -p.jaccard, p.a, p.b))
    in_processes: dict[str, list[str]] = {}
    for pid in order:
        for iso3 in members[pid]:
            in_processes.setdefault(iso3, []).append(pid)
    names = dict(session.execute(select(State.iso3, State.names)).all())
    bridges = sorted(
        (
            Bridge(iso3=iso3, names=names.get(iso3, {}), process_count=len(p), processes=sorted(p))
            for iso3, p in in_processes.items()
        ),
        key=lambda b: (-b.process_count, b.iso3),
    )
    return OverlapResult(
        roles=list(roles),
        year=year,
        basis=basis(year, dated),
        processes=processes,
        shared=shared,
        jaccard=jaccard,
        pairs=pairs,
        bridges=bridges,
        not_yet_founded=not_yet_founded,
    )
