"""JSON routes of the analytics under /api/v1/analytics: thin, over :mod:`rcphub.analytics`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from rcphub import analytics
from rcphub.dependencies import get_session

router = APIRouter(prefix="/analytics", tags=["analytics"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
DataYear = Annotated[int, Query(ge=1990, le=2020, description="1990, 1995, ... 2020")]


@router.get("/overlap", summary="Shared members between processes")
def overlap(
    session: SessionDep,
    observers: Annotated[bool, Query(description="Count observers as well as members")] = False,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> dict[str, Any]:
    return analytics.membership_overlap(session, include_observers=observers, year=year).model_dump(
        mode="json"
    )


@router.get("/timeline", summary="Processes by founding year; meetings")
def timeline(session: SessionDep) -> dict[str, Any]:
    return analytics.system_timeline(session).model_dump(mode="json")


@router.get("/migration/process/{process_id}", summary="UN DESA migrant stock of a process")
def process_migration(
    process_id: str, session: SessionDep, year: DataYear = 2020
) -> dict[str, Any]:
    return analytics.process_migration(session, process_id, year).model_dump(mode="json")


@router.get("/migration/state/{iso3}", summary="A country's migrant stock by process")
def state_migration(iso3: str, session: SessionDep, year: DataYear = 2020) -> dict[str, Any]:
    return analytics.country_migration(session, iso3, year).model_dump(mode="json")
