"""JSON routes that edit the registry and documents after the fact, and their history: a
process's meetings and memberships and profile, a document's details and language versions,
``GET …/history`` and revert. Writes need a write token of a secretariat of the process (or
of the document's processes) or an admin; each returns what the CLI prints with ``--json``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from rcphub import editing, registry
from rcphub.dependencies import get_session
from rcphub.documents import service as documents
from rcphub.documents.schemas import DocumentDetail
from rcphub.editing import ChangeOut, HistoryOut
from rcphub.registry.schemas import MeetingList, MeetingOut, MembershipOut, ProcessDetail
from rcphub.security import CurrentPrincipal

router = APIRouter(tags=["editing"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
"""Committed before the answer is sent (a yield dependency's default scope, "request", would
commit after it: a client could read before the write is there, or get 201 for a write whose
commit then failed)."""
Text = Annotated[str | None, Field(default=None, max_length=2000)]
Names = dict[Annotated[str, Field(max_length=5)], Annotated[str, Field(max_length=600)]]
Ids = list[Annotated[str, Field(max_length=100)]]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def fields(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"source", "as_of"})


class MeetingIn(Strict):
    title: Names | None = None
    start: Annotated[str | None, Field(max_length=10)] = None
    end: Annotated[str | None, Field(max_length=10)] = None
    state: Annotated[str | None, Field(max_length=10)] = None
    city: Annotated[str | None, Field(max_length=200)] = None
    languages: Annotated[list[Annotated[str, Field(max_length=5)]], Field(max_length=6)] | None = (
        None
    )
    visibility: Annotated[str | None, Field(max_length=20)] = None


class MembershipIn(Strict):
    party: Annotated[str, Field(max_length=100)]
    role: Annotated[str, Field(max_length=30)] = "member"
    subgroup: Annotated[str | None, Field(max_length=50)] = None
    since: Annotated[str | None, Field(max_length=10)] = None
    note: Text = None
    source: Text = None
    as_of: Annotated[str | None, Field(max_length=40)] = None


class MembershipChange(Strict):
    role: Annotated[str | None, Field(max_length=30)] = None
    subgroup: Annotated[str | None, Field(max_length=50)] = None
    since: Annotated[str | None, Field(max_length=10)] = None
    until: Annotated[str | None, Field(max_length=10)] = None
    note: Text = None
    source: Text = None
    as_of: Annotated[str | None, Field(max_length=40)] = None


class MembershipEnd(Strict):
    until: Annotated[str, Field(max_length=10)]
    source: Text = None
    as_of: Annotated[str | None, Field(max_length=40)] = None


class ProcessChange(Strict):
    names: Names | None = None
    acronym: Annotated[str | None, Field(max_length=60)] = None
    website: Text = None
    secretariat: Text = None
    chair: Text = None
    source: Text = None
    as_of: Annotated[str | None, Field(max_length=40)] = None


class DocumentChange(Strict):
    title: Text = None
    type: Annotated[str | None, Field(max_length=30)] = None
    date: Annotated[str | None, Field(max_length=10)] = None
    symbol: Annotated[str | None, Field(max_length=100)] = None
    meetings: Annotated[Ids, Field(max_length=60)] | None = None
    processes: Annotated[Ids, Field(max_length=60)] | None = None


Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


# ---------------------------------------------------------------------------- meetings


@router.post("/processes/{process_id}/meetings", summary="Add a meeting", status_code=201)
def create_meeting(
    process_id: str, body: MeetingIn, session: SessionDep, principal: CurrentPrincipal
) -> MeetingOut:
    return editing.create_meeting(session, principal, process_id, body.fields())


@router.patch("/meetings/{meeting_id}", summary="Change a meeting")
def edit_meeting(
    meeting_id: str, body: MeetingIn, session: SessionDep, principal: CurrentPrincipal
) -> MeetingOut:
    return editing.edit_meeting(session, principal, meeting_id, body.fields())


@router.get("/upcoming", summary="Meetings from today on, across processes")
def upcoming(
    session: SessionDep,
    principal: CurrentPrincipal,
    since: Annotated[date | None, Query(description="YYYY-MM-DD; today by default")] = None,
) -> MeetingList:
    found = registry.list_meetings(session, since=since or date.today(), viewer=principal)
    found.sort(key=lambda m: (m.start_date, m.id))
    return MeetingList(total=len(found), meetings=found)


# ---------------------------------------------------------------------------- memberships


@router.post("/processes/{process_id}/memberships", summary="Add a member", status_code=201)
def add_membership(
    process_id: str, body: MembershipIn, session: SessionDep, principal: CurrentPrincipal
) -> MembershipOut:
    return editing.add_membership(
        session,
        principal,
        process_id,
        body.party,
        body.role,
        source=body.source,
        as_of=body.as_of,
        subgroup=body.subgroup,
        since=body.since,
        note=body.note,
    )


@router.patch("/processes/{process_id}/memberships/{membership_id}", summary="Change a membership")
def edit_membership(
    process_id: str,
    membership_id: int,
    body: MembershipChange,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> MembershipOut:
    return editing.edit_membership(
        session,
        principal,
        process_id,
        membership_id,
        body.fields(),
        source=body.source,
        as_of=body.as_of,
    )


@router.post("/processes/{process_id}/memberships/{membership_id}/end", summary="End a membership")
def end_membership(
    process_id: str,
    membership_id: int,
    body: MembershipEnd,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> MembershipOut:
    return editing.end_membership(
        session,
        principal,
        process_id,
        membership_id,
        body.until,
        source=body.source,
        as_of=body.as_of,
    )


# ---------------------------------------------------------------------------- profiles, documents


@router.patch("/processes/{process_id}", summary="Change a process's profile")
def edit_process(
    process_id: str, body: ProcessChange, session: SessionDep, principal: CurrentPrincipal
) -> ProcessDetail:
    return editing.edit_process(
        session, principal, process_id, body.fields(), source=body.source, as_of=body.as_of
    )


@router.patch("/documents/{document_id}", summary="Change a document's details")
def edit_document(
    document_id: str, body: DocumentChange, session: SessionDep, principal: CurrentPrincipal
) -> DocumentDetail:
    return editing.edit_document(session, principal, document_id, body.fields())


@router.delete(
    "/documents/{document_id}/versions", summary="Unlink a document from its language versions"
)
def unlink_version(
    document_id: str, session: SessionDep, principal: CurrentPrincipal
) -> DocumentDetail:
    return editing.unlink_version(session, principal, document_id)


# ---------------------------------------------------------------------------- history


@router.get("/documents/{document_id}/history", summary="Changes of a document")
def document_history(
    document_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    limit: Limit = 100,
    offset: Offset = 0,
) -> HistoryOut:
    doc = documents.get_document(session, document_id, principal)  # 404 if hidden
    return editing.list_history(
        session, "document", doc.id, viewer=principal, limit=limit, offset=offset
    )


@router.get("/processes/{process_id}/history", summary="Changes of a process and its members")
def process_history(
    process_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    limit: Limit = 100,
    offset: Offset = 0,
) -> HistoryOut:
    ident = registry.process_id(session, process_id)
    return editing.list_history(
        session, "process", ident, viewer=principal, limit=limit, offset=offset
    )


@router.get("/meetings/{meeting_id}/history", summary="Changes of a meeting")
def meeting_history(
    meeting_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    limit: Limit = 100,
    offset: Offset = 0,
) -> HistoryOut:
    found = registry.get_meeting(session, meeting_id, viewer=principal)
    return editing.list_history(
        session, "meeting", found.id, viewer=principal, limit=limit, offset=offset
    )


@router.post("/history/{change_id}/revert", summary="Revert one change", status_code=201)
def revert(change_id: int, session: SessionDep, principal: CurrentPrincipal) -> ChangeOut:
    return editing.revert_change(session, principal, change_id)
