"""The whole registry as data: processes, memberships, meetings and states as tables, each as
CSV and JSON (``GET /api/v1/registry/{table}.{csv|json}``, the download links of the registry
pages).

A table is a list of flat rows with fixed columns, built from the same schemas the API returns
(:mod:`rcphub.registry.schemas`), so a download and the API agree: a membership row is the
``MembershipOut`` of ``GET /api/v1/processes/{id}`` (party, role, subgroup, since/until, as-of,
sources), a meeting row the ``MeetingOut`` of ``GET /api/v1/meetings``. Names in the six
languages are columns ``name_en`` … ``name_zh``, empty where the data has none (no fallback:
a researcher sees what is known). In JSON, list cells are lists and missing values ``null``;
in CSV (:mod:`rcphub.csvfile`) list cells are joined with ``"; "`` and missing values empty.

Meetings follow the visibility rule of :func:`rcphub.registry.list_meetings`; everything else
in the registry is public. The tables are small (hundreds to a few thousand rows) and each is
read in a handful of queries.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub.accounts.policy import ANONYMOUS, Principal
from rcphub.config import LANGUAGES
from rcphub.csvfile import csv_text
from rcphub.db.models import Body, Membership, MembershipList, State
from rcphub.errors import NotFound
from rcphub.refdata.bodies import KINDS
from rcphub.registry import service
from rcphub.registry.schemas import PartyOut

__all__ = ["FORMATS", "TABLES", "RegistryTable", "registry_table", "table_csv", "table_json"]

FORMATS = ("csv", "json")
LIST_SEPARATOR = "; "
NAME_COLUMNS = tuple(f"name_{lang}" for lang in LANGUAGES)

PROCESS_COLUMNS = (
    "id",
    "ref",
    "kind",
    "acronym",
    *NAME_COLUMNS,
    "established",
    "region_codes",
    "themes",
    "theme_codes",
    "member_count",
    "members_complete",
    "listed_only",
    "scope",
    "secretariat",
    "chair_rotation",
    "website",
    "sources",
)
MEMBERSHIP_COLUMNS = (
    "id",
    "process",
    "process_kind",
    "list",
    "party",
    "party_kind",
    "party_name_en",
    "role",
    "subgroup",
    "since",
    "until",
    "as_of",
    "as_of_year",
    "complete",
    "note",
    "sources",
    "edited",
)
MEETING_COLUMNS = (
    "id",
    "series",
    "body",
    "number",
    "year",
    "start_date",
    "end_date",
    "dates_text",
    "city",
    "country",
    *NAME_COLUMNS,
    "theme",
    "organisers",
    "chair",
    "notes",
    "languages",
    "sources",
    "visibility",
)
STATE_COLUMNS = (
    "iso3",
    "iso2",
    "m49",
    *NAME_COLUMNS,
    "region",
    "subregion",
    "intermediate_region",
    "un_status",
    "ldc",
    "lldc",
    "sids",
    "process_count",
)


@dataclass(frozen=True)
class RegistryTable:
    name: str
    description: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]


def _names(names: dict[str, str] | None) -> dict[str, str | None]:
    names = names or {}
    return {f"name_{lang}": names.get(lang) or None for lang in LANGUAGES}


def _processes(session: Session, process: str | None, viewer: Principal) -> list[dict[str, Any]]:
    summaries = service.list_processes(session, include_listed_only=True)
    bodies = {b.id: b for b in session.scalars(select(Body))}
    wanted = service.process_id(session, process) if process else None
    rows = []
    for s in summaries:
        if wanted is not None and s.id != wanted:
            continue
        body = bodies[s.id]
        rows.append(
            {
                "id": s.id,
                "ref": s.ref,
                "kind": s.kind,
                "acronym": s.acronym,
                **_names(s.names),
                "established": s.established,
                "region_codes": list(s.region_codes),
                "themes": list(s.themes),
                "theme_codes": list(s.theme_codes),
                "member_count": s.member_count,
                "members_complete": s.members_complete,
                "listed_only": s.listed_only,
                "scope": body.scope,
                "secretariat": body.secretariat,
                "chair_rotation": body.chair_rotation,
                "website": body.website,
                "sources": list(body.sources or []),
            }
        )
    return rows


def _memberships(session: Session, process: str | None, viewer: Principal) -> list[dict[str, Any]]:
    from rcphub.db.editing_models import EditRecord

    query = select(Membership)
    if process:
        query = query.where(Membership.body_id == service.process_id(session, process))
    memberships = list(session.scalars(query))
    bodies = {b.id: b for b in session.scalars(select(Body))}
    lists = {lst.id: lst for lst in session.scalars(select(MembershipList))}
    states = {s.iso3: s for s in session.scalars(select(State))}
    edited = set(
        session.scalars(select(EditRecord.entity_id).where(EditRecord.entity == "membership"))
    )
    parties: dict[str, PartyOut] = {}
    for m in memberships:
        if m.party not in parties:
            kind, _, ident = m.party.partition(":")
            if kind == "state":
                state = states.get(ident)
                parties[m.party] = PartyOut(
                    ref=m.party, kind="state", names=state.names if state else {}
                )
            else:
                org = bodies.get(ident)
                parties[m.party] = PartyOut(
                    ref=m.party,
                    kind=org.kind if org else kind,
                    names=org.names if org else {},
                    acronym=org.acronym if org else None,
                )
    kind_rank = {k: i for i, k in enumerate(KINDS)}
    rows = []
    for m in memberships:
        body = bodies[m.body_id]
        out = service._membership_out(m, lists[m.list_id], body, parties[m.party], edited)
        rows.append(
            {
                "id": out.id,
                "process": body.id,
                "process_kind": body.kind,
                "list": out.list_key,
                "party": out.party,
                "party_kind": out.party_detail.kind,
                "party_name_en": out.party_detail.names.get("en"),
                "role": out.role,
                "subgroup": out.subgroup or None,
                "since": out.since,
                "until": out.until,
                "as_of": out.as_of,
                "as_of_year": out.as_of_year,
                "complete": out.complete,
                "note": out.note,
                "sources": list(out.sources),
                "edited": out.edited,
            }
        )
    rows.sort(
        key=lambda r: (
            kind_rank.get(r["process_kind"], 9),
            r["process"],
            service.ROLE_ORDER.get(r["role"], 99),
            r["subgroup"] or "",
            r["party"],
        )
    )
    return rows


def _meetings(session: Session, process: str | None, viewer: Principal) -> list[dict[str, Any]]:
    rows = []
    for m in service.list_meetings(session, process=process, viewer=viewer):
        rows.append(
            {
                "id": m.id,
                "series": m.series,
                "body": m.body,
                "number": m.number,
                "year": m.year,
                "start_date": m.start_date.isoformat() if m.start_date else None,
                "end_date": m.end_date.isoformat() if m.end_date else None,
                "dates_text": m.dates_text,
                "city": m.city,
                "country": m.country,
                **_names(m.names),
                "theme": m.theme,
                "organisers": m.organisers,
                "chair": m.chair,
                "notes": m.notes,
                "languages": list(m.languages),
                "sources": list(m.sources),
                "visibility": m.visibility,
            }
        )
    return rows


def _states(session: Session, process: str | None, viewer: Principal) -> list[dict[str, Any]]:
    counts = service.process_counts_by_state(session)
    wanted: set[str] | None = None
    if process:
        body_id = service.process_id(session, process)
        wanted = set(
            session.scalars(
                select(Membership.state_iso3).where(
                    Membership.body_id == body_id, Membership.state_iso3.is_not(None)
                )
            )
        )
    rows = []
    for s in session.scalars(select(State).order_by(State.iso3)):
        if wanted is not None and s.iso3 not in wanted:
            continue
        rows.append(
            {
                "iso3": s.iso3,
                "iso2": s.iso2,
                "m49": s.m49,
                **_names(s.names),
                "region": s.region_code,
                "subregion": s.subregion_code,
                "intermediate_region": s.intermediate_region_code,
                "un_status": s.un_status,
                "ldc": bool(s.ldc),
                "lldc": bool(s.lldc),
                "sids": bool(s.sids),
                "process_count": counts.get(s.iso3, 0),
            }
        )
    return rows


_Builder = Callable[[Session, str | None, Principal], list[dict[str, Any]]]
TABLES: dict[str, tuple[tuple[str, ...], str, _Builder]] = {
    "processes": (
        PROCESS_COLUMNS,
        "Processes (RCPs, IRFs, global processes) and organisations, one row each.",
        _processes,
    ),
    "memberships": (
        MEMBERSHIP_COLUMNS,
        "Who holds which role in which process: party, role, subgroup, since/until, as-of "
        "and source of each membership.",
        _memberships,
    ),
    "meetings": (
        MEETING_COLUMNS,
        "Meetings: global meetings of RCPs, GFMD, HLD, IMRF, and the processes' own.",
        _meetings,
    ),
    "states": (
        STATE_COLUMNS,
        "States and territories with their UN M49 codes and regions, and the number of "
        "processes each is a member of.",
        _states,
    ),
}


def registry_table(
    session: Session,
    name: str,
    *,
    process: str | None = None,
    viewer: Principal = ANONYMOUS,
) -> RegistryTable:
    """One table of the registry, optionally only what concerns one process (its row, its
    memberships, its meetings, the states that hold a role in it)."""
    if name not in TABLES:
        raise NotFound("registry table", name, [t for t in TABLES if t[:3] == name[:3]])
    columns, description, build = TABLES[name]
    return RegistryTable(name, description, columns, build(session, process, viewer))


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def table_csv(table: RegistryTable) -> str:
    return csv_text(table.columns, ([_cell(row[c]) for c in table.columns] for row in table.rows))


def table_json(table: RegistryTable) -> str:
    return json.dumps(
        {
            "table": table.name,
            "description": table.description,
            "columns": list(table.columns),
            "total": len(table.rows),
            "rows": table.rows,
        },
        ensure_ascii=False,
        indent=1,
    )
