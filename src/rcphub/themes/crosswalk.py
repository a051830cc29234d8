"""The crosswalk between GCM objectives, SDG targets and HLD 2013 round tables
(``refdata/data/crosswalk/gcm-sdg-hld2013.csv``, see SOURCES.md), read in both directions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rcphub.refdata.files import read_csv

CROSSWALK_FILE = "crosswalk/gcm-sdg-hld2013.csv"
RELATIONS = ("closeMatch", "relatedMatch")


@dataclass(frozen=True)
class Match:
    """``gcm`` objective ``gcm`` is related (``relation``) to ``scheme`` ``code``."""

    gcm: str
    relation: str
    scheme: str
    code: str
    basis: str


@cache
def load_crosswalk() -> tuple[Match, ...]:
    rows = tuple(
        Match(r["gcm"], r["relation"], r["scheme"], r["code"], r["basis"])
        for r in read_csv(CROSSWALK_FILE)
    )
    bad = [m for m in rows if m.relation not in RELATIONS]
    if bad:  # a packaging mistake, caught by the tests
        raise ValueError(f"unknown relation in {CROSSWALK_FILE}: {bad[0]}")
    return rows


@dataclass(frozen=True)
class ConceptMatch:
    """A concept of another scheme that the crosswalk relates to the one asked about."""

    relation: str
    scheme: str
    code: str
    basis: str


def matches_for(scheme: str, code: str) -> list[ConceptMatch]:
    """What the crosswalk relates to ``scheme``/``code``: for a GCM objective its SDG targets
    and round tables; for an SDG target or a round table, the GCM objectives."""
    found = []
    for m in load_crosswalk():
        if scheme == "gcm" and m.gcm == code:
            found.append(ConceptMatch(m.relation, m.scheme, m.code, m.basis))
        elif m.scheme == scheme and m.code == code:
            found.append(ConceptMatch(m.relation, "gcm", m.gcm, m.basis))
    return found
