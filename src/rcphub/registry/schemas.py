"""What the registry services return: plain Pydantic models, the same JSON for the API and the
CLI's ``--json``. Multilingual names are ``{"en": ..., "fr": ...}`` objects with only the
languages the data has."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

Names = dict[str, str]


class RegionOut(BaseModel):
    code: str
    level: str
    parent: str | None = None
    names: Names


class PartyOut(BaseModel):
    """A state or organisation, as it appears in a membership."""

    ref: str  # state:AUS | org:iom | process:igc
    kind: str  # state | process kind
    names: Names
    acronym: str | None = None


class MembershipOut(BaseModel):
    id: int | None = None  # to change or end it (PATCH /api/v1/processes/{id}/memberships/{id})
    party: str
    list_key: str  # the published list it comes from: members | observers | secretariat | chair
    party_detail: PartyOut
    role: str
    subgroup: str = ""
    since: str | None = None
    until: str | None = None
    note: str | None = None
    as_of: str | None = None
    as_of_year: int | None = None
    complete: bool | None = None
    sources: list[str]
    edited: bool = False  # a person added or changed it (see its process's history)


class MembershipListOut(BaseModel):
    key: str
    as_of: str | None = None
    as_of_year: int | None = None
    complete: bool | None = None
    stated_count: int | None = None  # what the source says the list counts (states, for members)
    named_count: int  # parties the source names in this list, states and organisations
    named_states: int  # states among them, to compare with stated_count
    note: str | None = None
    description: str | None = None


class ProcessSummary(BaseModel):
    id: str
    ref: str
    kind: str
    acronym: str | None = None
    names: Names
    established: int | None = None
    region_codes: list[str]
    themes: list[str]  # free tags, as the sources word them (English)
    theme_codes: list[str] = []  # the controlled themes they fall under (process-themes.yaml)
    member_count: int
    members_complete: bool | None = None
    listed_only: bool = False


class MeetingOut(BaseModel):
    id: str
    series: str
    body: str | None = None
    number: int | None = None
    year: int
    start_date: date | None = None
    end_date: date | None = None
    dates_text: str | None = None
    city: str | None = None
    country: str | None = None
    country_names: Names = {}
    names: Names = {}
    theme: str | None = None
    organisers: str | None = None
    chair: str | None = None
    notes: str | None = None
    details: dict[str, Any] = {}
    sources: list[str] = []
    languages: list[str] = []
    visibility: str = "public"  # public | restricted (to the members of its body)


class ProcessDetail(ProcessSummary):
    scope: str | None = None
    secretariat: str | None = None
    chair_rotation: str | None = None
    website: str | None = None
    sources: list[str]
    confidence: str | None = None
    # where a name in a language comes from when the registry itself had none:
    # {lang: {"source": URL or citation, "quality": official | un-usage | press}}
    name_sources: dict[str, dict[str, str]] = {}
    membership_lists: list[MembershipListOut]
    memberships: list[MembershipOut]
    member_of: list[StateMembershipOut] = []  # for organisations that sit in processes
    meetings: list[MeetingOut]


class StateSummary(BaseModel):
    iso3: str
    iso2: str | None = None
    m49: str | None = None
    names: Names
    region: str | None = None
    subregion: str | None = None
    un_status: str | None = None
    process_count: int


class StateMembershipOut(BaseModel):
    process: str  # process:sacm-csm | org:icmpd
    process_id: str
    kind: str
    acronym: str | None = None
    names: Names
    role: str
    subgroup: str = ""
    since: str | None = None
    until: str | None = None
    as_of: str | None = None
    complete: bool | None = None
    sources: list[str]


class StateDetail(BaseModel):
    iso3: str
    iso2: str | None = None
    m49: str | None = None
    names: Names
    formal_names: Names
    aliases: dict[str, list[str]]
    name_sources: dict[str, str]
    region: RegionOut | None = None
    subregion: RegionOut | None = None
    intermediate_region: RegionOut | None = None
    un_status: str | None = None
    ldc: bool = False
    lldc: bool = False
    sids: bool = False
    memberships: list[StateMembershipOut]
    meetings_hosted: list[MeetingOut]


class ConceptOut(BaseModel):
    scheme: str
    code: str
    parent: str | None = None
    labels: Names
    short_labels: Names = {}
    notes: Names = {}


class SchemeOut(BaseModel):
    id: str
    names: Names
    source: str | None = None
    licence: str | None = None
    concept_count: int


class SchemeDetail(SchemeOut):
    concepts: list[ConceptOut]


class HubCounts(BaseModel):
    processes: int
    processes_by_kind: dict[str, int]
    organisations: int
    states: int
    memberships: int
    meetings: int
    concepts: int


ProcessDetail.model_rebuild()


# -- the envelopes of lists: GET /api/v1/<list> and `rcphub <group> list --json` ---------------


class ProcessList(BaseModel):
    """``GET /api/v1/processes``, ``rcphub processes list --json``."""

    total: int
    processes: list[ProcessSummary]


class StateList(BaseModel):
    """``GET /api/v1/states``, ``rcphub countries list --json``."""

    total: int
    states: list[StateSummary]


class MeetingList(BaseModel):
    """``GET /api/v1/meetings``, ``GET /api/v1/upcoming``, ``rcphub meetings list --json``."""

    total: int
    meetings: list[MeetingOut]


class SchemeList(BaseModel):
    """``GET /api/v1/taxonomies``, ``rcphub taxonomies list --json``."""

    total: int
    taxonomies: list[SchemeOut]


class RegionList(BaseModel):
    """``GET /api/v1/regions``."""

    regions: list[RegionOut]
