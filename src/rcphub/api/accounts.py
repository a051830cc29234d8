"""JSON routes of accounts under /api/v1: who the token belongs to, and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts.policy import Action, authorize
from rcphub.accounts.schemas import GrantInfo, TokenHolder
from rcphub.csvfile import MEDIA_TYPE
from rcphub.dependencies import get_session
from rcphub.errors import Unauthenticated
from rcphub.security import CurrentPrincipal

router = APIRouter(tags=["accounts"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


@router.get("/me", summary="The user and roles of the bearer token")
def me(principal: CurrentPrincipal) -> TokenHolder:
    if not principal.authenticated:
        raise Unauthenticated("send Authorization: Bearer <API token>")
    return TokenHolder(
        username=principal.username,
        token=principal.token_id,
        scope=principal.scope,
        roles=[GrantInfo(role=r, process=p) for r, p in sorted(principal.grants, key=str)],
    )


@router.get("/audit", summary="The audit log (admins)", response_model=audit.AuditPage)
def audit_log(
    session: SessionDep,
    principal: CurrentPrincipal,
    action: Annotated[str | None, Query(max_length=60)] = None,
    actor: Annotated[str | None, Query(max_length=120)] = None,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
    limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    authorize(principal, Action.AUDIT_VIEW)
    total, entries = audit.list_entries(
        session, action=action, actor=actor, limit=limit, offset=offset
    )
    if format == "csv":
        return PlainTextResponse(audit.export_csv(entries), media_type=MEDIA_TYPE)
    # as JSONResponse has always written it (json.dumps), whatever a detail holds
    return JSONResponse(audit.AuditPage(total=total, entries=entries).model_dump(mode="json"))
