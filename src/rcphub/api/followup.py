"""JSON routes of follow-up under /api/v1/followup: thin, over :mod:`rcphub.followup`.

Reads are public. Writes need ``Authorization: Bearer`` with a write token of a secretariat of
the processes of the item's document, or of an admin (a contributor's token may detect and
track, as proposals); the services ask the policy (:mod:`rcphub.accounts.policy`), so a
missing token is 401, a refusal 403, each in the API's error shape, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from rcphub import followup
from rcphub.csvfile import MEDIA_TYPE
from rcphub.dependencies import get_session
from rcphub.security import CurrentPrincipal

router = APIRouter(prefix="/followup", tags=["follow-up"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ActorDep = CurrentPrincipal
MAX_CSV_BYTES = 20 * 1024 * 1024
"""The largest CSV file an import takes (its bound in :func:`rcphub.app.body_limits`)."""


class ItemFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    process: str | None = Field(None, max_length=100, description="a process or organisation ID")
    meeting: str | None = Field(None, max_length=100, description="a meeting ID, e.g. grcp-2013")
    document: str | None = Field(None, max_length=40, description="a document ID")
    addressee: str | None = Field(None, max_length=100, description="e.g. state:PER")
    review: str = Field(
        "confirmed", pattern="^(proposed|confirmed|rejected|all)$", description="or all"
    )
    status: str | None = Field(None, pattern="^(not_started|in_progress|completed|discontinued)$")
    light: str | None = Field(None, pattern="^(green|amber|red|closed)$")
    today: dt.date | None = Field(None, description="compute lights as of this day")

    def service_kwargs(self) -> dict[str, Any]:
        values = self.model_dump()
        if values["review"] == "all":
            values["review"] = None
        return values


FiltersDep = Annotated[ItemFilters, Query()]


class NewItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: str = Field(max_length=40)
    ref: str = Field(max_length=40)
    kind: str = Field(
        "recommendation", pattern="^(recommendation|decision|commitment|request|conclusion)$"
    )
    text: str | None = Field(None, max_length=20_000)
    addressees: list[str] | None = Field(None, max_length=200)
    due_date: dt.date | None = None
    confirm: bool = False


class ItemChanges(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, max_length=20_000)
    kind: str | None = Field(
        None, pattern="^(recommendation|decision|commitment|request|conclusion)$"
    )
    addressees: list[str] | None = Field(None, max_length=200)
    due_date: dt.date | None = None


class NewUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str = Field(pattern="^(not_started|in_progress|completed|discontinued)$")
    progress: int | None = Field(None, ge=0, le=100)
    note: str = Field("", max_length=5_000)
    evidence: list[str] = Field(default_factory=list, max_length=20)
    date: dt.date | None = Field(None, description="the day the update reports; default today")


@router.get("/items", summary="Tracked recommendations and conclusions, with traffic lights")
def items(session: SessionDep, filters: FiltersDep, principal: CurrentPrincipal) -> dict[str, Any]:
    return followup.list_items(session, **filters.service_kwargs(), viewer=principal).model_dump(
        mode="json"
    )


@router.post("/items", summary="Track a passage by hand", status_code=201)
def create(body: NewItem, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    item = followup.create_item(
        session,
        body.document,
        body.ref,
        kind=body.kind,
        text=body.text,
        addressees=body.addressees,
        due_date=body.due_date,
        confirm=body.confirm,
        actor=actor,
    )
    return item.model_dump(mode="json")


@router.get("/items.csv", summary="Items as CSV (same filters)", response_class=Response)
def items_csv(session: SessionDep, filters: FiltersDep, principal: CurrentPrincipal) -> Response:
    text = followup.export_items_csv(session, **filters.service_kwargs(), viewer=principal)
    return _csv(text, "followup-items.csv")


@router.get("/updates.csv", summary="Updates of the items as CSV", response_class=Response)
def updates_csv(session: SessionDep, filters: FiltersDep, principal: CurrentPrincipal) -> Response:
    text = followup.export_updates_csv(session, **filters.service_kwargs(), viewer=principal)
    return _csv(text, "followup-updates.csv")


@router.post("/items.csv", summary="Import items from CSV (the request body)")
async def import_items(request: Request, actor: ActorDep) -> dict[str, Any]:
    data = await _body(request)
    with request.app.state.database.session() as session:
        return followup.import_items_csv(session, data, actor).model_dump()


@router.post("/updates.csv", summary="Import updates from CSV (the request body)")
async def import_updates(request: Request, actor: ActorDep) -> dict[str, Any]:
    data = await _body(request)
    with request.app.state.database.session() as session:
        return followup.import_updates_csv(session, data, actor).model_dump()


@router.get("/items/{item_id}", summary="One item with its updates and timeline")
def item(
    item_id: int,
    session: SessionDep,
    principal: CurrentPrincipal,
    today: Annotated[dt.date | None, Query()] = None,
) -> dict[str, Any]:
    return followup.get_item(session, item_id, today, principal).model_dump(mode="json")


@router.patch("/items/{item_id}", summary="Edit text, kind, addressees or due date")
def edit(item_id: int, body: ItemChanges, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    return followup.edit_item(session, item_id, actor=actor, **changes).model_dump(mode="json")


@router.post("/items/{item_id}/confirm", summary="Confirm a proposed item")
def confirm(item_id: int, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    return followup.review_item(session, item_id, "confirm", actor).model_dump(mode="json")


@router.post("/items/{item_id}/reject", summary="Reject a proposed item")
def reject(item_id: int, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    return followup.review_item(session, item_id, "reject", actor).model_dump(mode="json")


@router.post("/items/{item_id}/updates", summary="Report an update", status_code=201)
def add_update(
    item_id: int, body: NewUpdate, session: SessionDep, actor: ActorDep
) -> dict[str, Any]:
    detail = followup.add_update(
        session,
        item_id,
        status=body.status,
        progress=body.progress,
        note=body.note,
        evidence=body.evidence,
        day=body.date,
        actor=actor,
    )
    return detail.model_dump(mode="json")


@router.post("/detect/{document_id}", summary="Propose the recommendations of a document")
def detect(document_id: str, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    return followup.detect_document(session, document_id, actor).model_dump(mode="json")


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def _body(request: Request) -> bytes:
    """The CSV file: the request body, at most :data:`MAX_CSV_BYTES` (the app's
    :class:`~rcphub.bodylimit.BodyLimit` refuses a larger one with 413 before it is read)."""
    return await request.body()
