"""JSON routes of accounts under /api/v1: who the token belongs to, and the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse, Response
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts.policy import Action, authorize
from rcphub.csvfile import MEDIA_TYPE
from rcphub.dependencies import get_session
from rcphub.errors import Unauthenticated
from rcphub.security import CurrentPrincipal

router = APIRouter(tags=["accounts"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


@router.get("/me", summary="The user and roles of the bearer token")
def me(principal: CurrentPrincipal) -> dict[str, Any]:
    if not principal.authenticated:
        raise Unauthenticated("send Authorization: Bearer <API token>")
    return {
        "username": principal.username,
        "token": principal.token_id,
        "scope": principal.scope,
        "roles": [{"role": r, "process": p} for r, p in sorted(principal.grants, key=str)],
    }


@router.get("/audit", summary="The audit log (admins)", response_model=None)
def audit_log(
    session: SessionDep,
    principal: CurrentPrincipal,
    action: Annotated[str | None, Query(max_length=60)] = None,
    actor: Annotated[str | None, Query(max_length=120)] = None,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
    limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any] | Response:
    authorize(principal, Action.AUDIT_VIEW)
    total, entries = audit.list_entries(
        session, action=action, actor=actor, limit=limit, offset=offset
    )
    if format == "csv":
        return PlainTextResponse(audit.export_csv(entries), media_type=MEDIA_TYPE)
    return {"total": total, "entries": [e.__dict__ for e in entries]}
