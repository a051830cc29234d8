"""Routes of the JSON API. Each parses its parameters, calls one service, and returns the same
JSON that the CLI prints with ``--json``; errors come out as ``{"error": {"code", "message"}}``
through the handlers in :mod:`rcphub.app`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import TypeAdapter
from sqlalchemy.orm import Session

from rcphub import registry
from rcphub.csvfile import MEDIA_TYPE
from rcphub.dependencies import get_session
from rcphub.errors import NotFound
from rcphub.localize import add_display_names, check_language
from rcphub.registry import export as registry_export
from rcphub.registry.schemas import (
    MeetingList,
    ProcessList,
    RegionList,
    SchemeList,
    StateList,
)
from rcphub.security import CurrentPrincipal

router = APIRouter(tags=["registry"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
LangQuery = Annotated[
    str | None,
    Query(description="Add `name` in this language (en fr es ru ar zh), with a fallback."),
]


def _out(payload: Any, lang: str | None) -> Any:
    check_language(lang)
    return add_display_names(payload, lang) if lang else payload


_ENVELOPE = TypeAdapter(dict[str, Any])


def _listed(payload: dict[str, Any], lang: str | None) -> Response:
    """A list's envelope as JSON (its route's ``response_model`` documents it); ``lang`` adds
    ``name`` and ``name_language`` beside each ``names``, which the model does not list."""
    return Response(_ENVELOPE.dump_json(_out(payload, lang)), media_type="application/json")


def processes_payload(session: Session, **filters: Any) -> dict[str, Any]:
    found = registry.list_processes(session, **filters)
    return ProcessList(total=len(found), processes=found).model_dump(mode="json")


def states_payload(session: Session, **filters: Any) -> dict[str, Any]:
    found = registry.list_states(session, **filters)
    return StateList(total=len(found), states=found).model_dump(mode="json")


def meetings_payload(session: Session, **filters: Any) -> dict[str, Any]:
    found = registry.list_meetings(session, **filters)
    return MeetingList(total=len(found), meetings=found).model_dump(mode="json")


def taxonomies_payload(session: Session) -> dict[str, Any]:
    found = registry.list_schemes(session)
    return SchemeList(total=len(found), taxonomies=found).model_dump(mode="json")


@router.get("", summary="What the hub holds")
def index(session: SessionDep) -> dict[str, Any]:
    return {
        "counts": registry.hub_counts(session).model_dump(),
        "links": {
            name: f"/api/v1/{name}"
            for name in ("processes", "states", "meetings", "taxonomies", "regions", "registry")
        },
    }


@router.get("/registry", summary="The whole registry as data: its tables and their downloads")
def registry_tables() -> dict[str, Any]:
    """The tables (processes, memberships, meetings, states), their columns and where to
    download each as CSV or JSON."""
    return {
        "tables": [
            {
                "name": name,
                "description": description,
                "columns": list(columns),
                "downloads": {
                    fmt: f"/api/v1/registry/{name}.{fmt}" for fmt in registry_export.FORMATS
                },
            }
            for name, (columns, description, _build) in registry_export.TABLES.items()
        ]
    }


@router.get(
    "/registry/{filename}",
    summary="One table of the registry as CSV or JSON (processes.csv, memberships.json, ...)",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPE.partition(";")[0]: {}, "application/json": {}}}},
)
def registry_download(
    filename: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    process: Annotated[
        str | None,
        Query(
            description="only what concerns this process: its row, memberships, meetings, "
            "and the states holding a role in it",
            max_length=100,
        ),
    ] = None,
) -> Response:
    """CSV: UTF-8 with a byte-order mark, a header row, lists joined with "; ". JSON:
    ``{"table", "description", "columns", "total", "rows"}`` with typed values. Members-only
    meetings are in the meetings table for the members of their process only."""
    name, _, fmt = filename.rpartition(".")
    if fmt not in registry_export.FORMATS or name not in registry_export.TABLES:
        choices = [f"{t}.{f}" for t in registry_export.TABLES for f in registry_export.FORMATS]
        raise NotFound("registry table", filename, [c for c in choices if c[:3] == filename[:3]])
    table = registry_export.registry_table(session, name, process=process, viewer=principal)
    suffix = f"-{registry.process_id(session, process)}" if process else ""
    headers = {"Content-Disposition": f'attachment; filename="rcphub-{name}{suffix}.{fmt}"'}
    if fmt == "csv":
        return Response(registry_export.table_csv(table), media_type=MEDIA_TYPE, headers=headers)
    return Response(
        registry_export.table_json(table), media_type="application/json", headers=headers
    )


@router.get("/processes", summary="Processes and organisations", response_model=ProcessList)
def processes(
    session: SessionDep,
    kind: Annotated[
        str | None, Query(description="rcp, irf, global, regional-body, intl-org")
    ] = None,
    region: Annotated[str | None, Query(description="M49 code of a UN region, e.g. 142")] = None,
    theme: Annotated[
        str | None,
        Query(
            description="a theme of the hub's list (`labour-migration`, `trafficking-smuggling`, "
            "... see refdata/data/process-themes.yaml), or a word of the process's source tags"
        ),
    ] = None,
    lang: LangQuery = None,
) -> Response:
    return _listed(processes_payload(session, kind=kind, region=region, theme=theme), lang)


@router.get("/processes/{process_id}", summary="One process or organisation")
def process(
    process_id: str, session: SessionDep, principal: CurrentPrincipal, lang: LangQuery = None
) -> dict[str, Any]:
    """Members-only meetings are listed to the process's members and secretariat."""
    found = registry.get_process(session, process_id, viewer=principal)
    return _out(found.model_dump(mode="json"), lang)


@router.get("/states", summary="States and territories", response_model=StateList)
def states(
    session: SessionDep,
    region: Annotated[str | None, Query(description="M49 region or sub-region code")] = None,
    lang: LangQuery = None,
) -> Response:
    return _listed(states_payload(session, region=region), lang)


@router.get("/states/{iso3}", summary="One state with its memberships")
def state(iso3: str, session: SessionDep, lang: LangQuery = None) -> dict[str, Any]:
    return _out(registry.get_state(session, iso3).model_dump(mode="json"), lang)


@router.get("/regions", summary="UN M49 regions", response_model=RegionList)
def regions(
    session: SessionDep,
    level: Annotated[str, Query(pattern="^(region|sub-region|intermediate)$")] = "region",
    lang: LangQuery = None,
) -> Response:
    found = registry.list_regions(session, level)
    return _listed(RegionList(regions=found).model_dump(mode="json"), lang)


@router.get(
    "/meetings",
    summary="Meetings: global meetings of RCPs, GFMD, HLD, IMRF; processes'",
    response_model=MeetingList,
)
def meetings(
    session: SessionDep,
    principal: CurrentPrincipal,
    series: Annotated[
        str | None, Query(description="grcp, gfmd, hld, imrf or process", max_length=20)
    ] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    process: Annotated[
        str | None, Query(description="meetings of this process", max_length=100)
    ] = None,
    lang: LangQuery = None,
) -> Response:
    payload = meetings_payload(session, series=series, year=year, process=process, viewer=principal)
    return _listed(payload, lang)


@router.get("/meetings/{meeting_id}", summary="One meeting")
def meeting(
    meeting_id: str, session: SessionDep, principal: CurrentPrincipal, lang: LangQuery = None
) -> dict[str, Any]:
    found = registry.get_meeting(session, meeting_id, viewer=principal)
    return _out(found.model_dump(mode="json"), lang)


@router.get("/taxonomies", summary="Thematic schemes: HLD 2013, GCM, SDG")
def taxonomies(session: SessionDep) -> SchemeList:
    found = registry.list_schemes(session)
    return SchemeList(total=len(found), taxonomies=found)


@router.get("/taxonomies/{scheme_id}", summary="One scheme with its concepts")
def taxonomy(scheme_id: str, session: SessionDep) -> dict[str, Any]:
    return registry.get_scheme(session, scheme_id).model_dump(mode="json")
