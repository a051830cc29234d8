"""JSON routes of the exchange under /api/v1: process updates (read; publish, edit and
withdraw with a write token of a secretariat or admin), one's follows, digest settings and
"What's new"."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from rcphub import registry
from rcphub.dependencies import get_session
from rcphub.exchange import FollowOut, PreferencesOut
from rcphub.exchange import follows as follow_service
from rcphub.exchange import updates as update_service
from rcphub.exchange.schemas import FollowList
from rcphub.feeds import content
from rcphub.feeds.schemas import ProcessUpdateOut, UpdateList
from rcphub.security import CurrentPrincipal

router = APIRouter(tags=["exchange"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


class UpdateIn(BaseModel):
    titles: dict[str, Annotated[str, Field(max_length=update_service.MAX_TITLE * 2)]]
    bodies: dict[str, Annotated[str, Field(max_length=update_service.MAX_BODY)]] = {}
    links: list[Annotated[str, Field(max_length=100)]] = Field(default=[], max_length=100)
    visibility: str = Field(default="public", max_length=20)


class FollowIn(BaseModel):
    kind: str = Field(max_length=20)
    target: str = Field(max_length=2000)


class PreferencesIn(BaseModel):
    email: str | None = Field(default=None, max_length=254)
    language: str | None = Field(default=None, max_length=5)
    digest: str = Field(default="off", max_length=10)


@router.get("/updates", summary="Updates published by processes, newest first")
def list_updates(
    session: SessionDep,
    principal: CurrentPrincipal,
    process: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> UpdateList:
    process_id = registry.get_process(session, process).id if process else None
    found = content.visible_process_updates(
        session, principal, process=process_id, limit=limit, offset=offset
    )
    return UpdateList(updates=found)


@router.get("/updates/{update_id}", summary="One update")
def get_update(
    session: SessionDep, principal: CurrentPrincipal, update_id: int
) -> ProcessUpdateOut:
    return content.process_update(session, principal, update_id)


@router.post("/processes/{ident}/updates", summary="Publish an update", status_code=201)
def publish_update(
    session: SessionDep, principal: CurrentPrincipal, ident: str, body: UpdateIn
) -> ProcessUpdateOut:
    return update_service.publish_update(
        session, principal, ident, body.titles, body.bodies, body.links, body.visibility
    )


@router.put("/updates/{update_id}", summary="Replace an update's texts, links and visibility")
def edit_update(
    session: SessionDep, principal: CurrentPrincipal, update_id: int, body: UpdateIn
) -> ProcessUpdateOut:
    content.process_update(session, principal, update_id)  # 404 for what one may not read
    return update_service.edit_update(
        session, principal, update_id, body.titles, body.bodies, body.links, body.visibility
    )


@router.delete("/updates/{update_id}", summary="Withdraw an update", status_code=204)
def withdraw_update(session: SessionDep, principal: CurrentPrincipal, update_id: int) -> None:
    content.process_update(session, principal, update_id)
    update_service.withdraw_update(session, principal, update_id)


@router.get("/follows", summary="What the token's user follows")
def list_follows(session: SessionDep, principal: CurrentPrincipal) -> FollowList:
    return FollowList(follows=follow_service.list_follows(session, principal))


@router.post("/follows", summary="Follow a process, state, theme or saved search", status_code=201)
def add_follow(session: SessionDep, principal: CurrentPrincipal, body: FollowIn) -> FollowOut:
    return follow_service.follow(session, principal, body.kind, body.target)


@router.delete("/follows/{follow_id}", summary="Stop following", status_code=204)
def remove_follow(session: SessionDep, principal: CurrentPrincipal, follow_id: int) -> None:
    follow_service.unfollow(session, principal, follow_id)


@router.get("/preferences", summary="Digest settings of the token's user")
def get_preferences(session: SessionDep, principal: CurrentPrincipal) -> PreferencesOut:
    return follow_service.get_preferences(session, principal)


@router.put("/preferences", summary="Set the digest's address, language and frequency")
def set_preferences(
    session: SessionDep, principal: CurrentPrincipal, body: PreferencesIn
) -> PreferencesOut:
    return follow_service.set_preferences(
        session, principal, email=body.email, language=body.language, digest=body.digest
    )


@router.get("/whats-new", summary="What is new about what the token's user follows")
def whats_new(request: Request, session: SessionDep, principal: CurrentPrincipal) -> dict[str, Any]:
    found = follow_service.whats_new(session, request.app.state.search, principal)
    return {
        "since": found.since.isoformat(),
        "until": found.until.isoformat(),
        "items": [_item(item) for item in found.items],
        "unavailable": found.unavailable,
    }


def _item(item) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    out: dict[str, Any] = {
        "kind": item.key.split("/", 1)[0],  # document|passage|followup-update|update|meeting
        "key": item.key,
        "added": item.added.isoformat(),
    }
    if hasattr(item, "document"):
        out["document"] = item.document.id
    if hasattr(item, "update"):
        out["update"] = item.update.model_dump()
    if hasattr(item, "meeting"):
        out["meeting"] = item.meeting.id
    return out
