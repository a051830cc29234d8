"""What the analytics services return: plain Pydantic models, the same JSON for the API and the
CLI's ``--json``; every figure comes with what it is based on."""

from __future__ import annotations

from pydantic import BaseModel

Names = dict[str, str]


class OverlapProcess(BaseModel):
    id: str
    ref: str
    kind: str
    acronym: str | None = None
    names: Names
    established: int | None = None
    state_count: int


class OverlapPair(BaseModel):
    a: str
    b: str
    shared: int
    jaccard: float
    states: list[str]


class Bridge(BaseModel):
    iso3: str
    names: Names
    process_count: int
    processes: list[str]


class OverlapResult(BaseModel):
    roles: list[str]
    year: int | None = None
    basis: str  # how membership over time was treated
    processes: list[OverlapProcess]
    shared: list[list[int]]  # shared[i][j]: states in both processes i and j (diagonal: size)
    jaccard: list[list[float]]
    pairs: list[OverlapPair]  # every pair sharing at least one state, most shared first
    bridges: list[Bridge]  # states by number of processes, most first
    not_yet_founded: list[str] = []  # processes with a list, left out: founded after ``year``


class Corridor(BaseModel):
    origin: str
    destination: str
    stock: int


class MigrationYear(BaseModel):
    year: int
    members: int
    intra_stock: int
    members_emigrants: int
    members_immigrants: int
    intra_share_of_emigrants: float | None
    intra_share_of_immigrants: float | None


class MigrationResult(BaseModel):
    process: str
    names: Names
    year: int
    # False: the reference data does not list the member States, so the figures are None (not
    # known), never 0; ``membership_description`` then gives the source's words, if any
    member_list: bool = True
    membership_description: str | None = None
    members: list[str]
    members_without_data: list[str]
    intra_stock: int | None
    members_emigrants: int | None
    members_immigrants: int | None
    intra_share_of_emigrants: float | None
    intra_share_of_immigrants: float | None
    top_corridors: list[Corridor]
    trend: list[MigrationYear]
    basis: str
    caveats: list[str]
    source: str


class ProcessShare(BaseModel):
    process: str
    names: Names
    partners: int  # other members of the process
    emigrants_to_members: int  # born in the country, living in another member
    immigrants_from_members: int  # living in the country, born in another member


class CountryMigration(BaseModel):
    iso3: str
    names: Names
    year: int
    emigrants: int | None
    immigrants: int | None
    by_process: list[ProcessShare]
    top_destinations: list[Corridor]
    top_origins: list[Corridor]
    basis: str
    not_yet_founded: list[str] = []  # processes of the country left out: founded after ``year``
    caveats: list[str]
    source: str


class GrowthYear(BaseModel):
    year: int
    by_kind: dict[str, int]  # cumulative number of processes founded by that year
    founded: list[str]  # processes founded that year


class TimelineEvent(BaseModel):
    id: str
    series: str
    year: int
    start_date: str | None = None
    city: str | None = None
    country: str | None = None


class TimelineResult(BaseModel):
    kinds: list[str]
    growth: list[GrowthYear]
    events: list[TimelineEvent]
    undated: list[str]  # processes without a founding year
