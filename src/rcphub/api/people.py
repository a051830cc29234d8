"""JSON routes of people and proposals: contributors' proposals of registry changes (and the
decisions on them, documents' proposals too), the focal-point directory of a process,
invitations, role grants by a process's secretariat, and password reset links (admins).

Each calls the service the pages and the CLI call, and returns what ``--json`` prints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from rcphub.accounts import invitations, users
from rcphub.accounts.schemas import UserInfo, UserList
from rcphub.dependencies import get_ingestor, get_session
from rcphub.documents import proposals as document_proposals
from rcphub.documents.schemas import ProposalInfo, ProposalList
from rcphub.editing import focal_points
from rcphub.editing import proposals as change_proposals
from rcphub.editing.schemas import HistoryOut
from rcphub.errors import Unauthenticated
from rcphub.exchange.invitation_mail import mail_link
from rcphub.security import CurrentPrincipal

router = APIRouter(tags=["people"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
Text = Annotated[str | None, Field(default=None, max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProposalIn(Strict):
    kind: Annotated[str, Field(max_length=30)]
    target: Annotated[str, Field(max_length=140)]
    changes: dict[Annotated[str, Field(max_length=40)], Any]
    comment: Text = None


class RejectIn(Strict):
    reason: Annotated[str, Field(max_length=2000)] = ""


class FocalPointIn(Strict):
    name: Annotated[str | None, Field(max_length=300)] = None
    function: Annotated[str | None, Field(max_length=400)] = None
    organisation: Annotated[str | None, Field(max_length=400)] = None
    email: Annotated[str | None, Field(max_length=300)] = None
    phone: Annotated[str | None, Field(max_length=60)] = None
    public: bool | None = None

    def fields(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class InvitationIn(Strict):
    role: Annotated[str, Field(max_length=20)]
    process: Annotated[str | None, Field(max_length=100)] = None
    email: Annotated[str | None, Field(max_length=300)] = None
    days: Annotated[int, Field(ge=1, le=30)] = invitations.DEFAULT_INVITE_DAYS


class GrantIn(Strict):
    role: Annotated[str, Field(max_length=20)]
    process: Annotated[str | None, Field(max_length=100)] = None


def base_url(request: Request) -> str:
    configured = request.app.state.settings.public_url
    return (configured or str(request.base_url)).rstrip("/")


def mailed(request: Request, link: invitations.NewLink, sender: str) -> dict[str, Any]:
    """The link as JSON, with its full address, after mailing it where an address is given."""
    url = base_url(request) + link.path
    sent = mail_link(request.app.state.settings, link, url, sender)
    return {**sent.model_dump(mode="json"), "url": url}


# ---------------------------------------------------------------------------- proposals


@router.get("/proposals", summary="Proposals one may decide, and one's own")
def list_proposals(
    session: SessionDep,
    principal: CurrentPrincipal,
    status: Annotated[str | None, Query(pattern="^(pending|approved|rejected|all)$")] = "pending",
    process: Annotated[str | None, Query(max_length=100)] = None,
) -> ProposalList:
    if not principal.authenticated:
        raise Unauthenticated("send Authorization: Bearer <API token>")
    found = document_proposals.list_proposals(
        session, principal, status=None if status == "all" else status, process=process
    )
    return ProposalList(total=len(found), proposals=found)


@router.post(
    "/proposals",
    summary="Propose a change to a process's record or a document's details",
    status_code=201,
)
def propose(body: ProposalIn, session: SessionDep, principal: CurrentPrincipal) -> ProposalInfo:
    return change_proposals.propose_change(
        session, principal, body.kind, body.target, body.changes, comment=body.comment
    )


@router.get("/proposals/{proposal_id}", summary="One proposal")
def get_proposal(
    proposal_id: int, session: SessionDep, principal: CurrentPrincipal
) -> ProposalInfo:
    return document_proposals.get_proposal(session, principal, proposal_id)


@router.post("/proposals/{proposal_id}/approve", summary="Approve a proposal")
def approve(proposal_id: int, request: Request, principal: CurrentPrincipal) -> ProposalInfo:
    return change_proposals.approve_proposal(
        request.app.state.database, get_ingestor(request), principal, proposal_id
    )


@router.post("/proposals/{proposal_id}/reject", summary="Reject a proposal, with a reason")
def reject(
    proposal_id: int, body: RejectIn, request: Request, principal: CurrentPrincipal
) -> ProposalInfo:
    return document_proposals.reject(
        request.app.state.database, principal, proposal_id, body.reason
    )


# ---------------------------------------------------------------------------- focal points


@router.get("/processes/{process_id}/focal-points", summary="A process's focal points")
def list_focal_points(
    process_id: str, session: SessionDep, principal: CurrentPrincipal
) -> focal_points.FocalPointsOut:
    return focal_points.list_focal_points(session, principal, process_id)


@router.post("/processes/{process_id}/focal-points", summary="Add a focal point", status_code=201)
def add_focal_point(
    process_id: str, body: FocalPointIn, session: SessionDep, principal: CurrentPrincipal
) -> focal_points.FocalPointOut:
    return focal_points.add_focal_point(session, principal, process_id, body.fields())


@router.patch(
    "/processes/{process_id}/focal-points/{focal_point_id}", summary="Change a focal point"
)
def edit_focal_point(
    process_id: str,
    focal_point_id: int,
    body: FocalPointIn,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> focal_points.FocalPointOut:
    return focal_points.edit_focal_point(
        session, principal, process_id, focal_point_id, body.fields()
    )


@router.delete(
    "/processes/{process_id}/focal-points/{focal_point_id}", summary="Remove a focal point"
)
def remove_focal_point(
    process_id: str, focal_point_id: int, session: SessionDep, principal: CurrentPrincipal
) -> focal_points.FocalPointOut:
    return focal_points.remove_focal_point(session, principal, process_id, focal_point_id)


@router.get("/processes/{process_id}/focal-points/history", summary="Changes of the focal points")
def focal_point_history(
    process_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> HistoryOut:
    return focal_points.focal_point_history(
        session, principal, process_id, limit=limit, offset=offset
    )


# ---------------------------------------------------------------------------- people


@router.get("/people", summary="Users and their roles (admins), or a process's (?process=)")
def people(
    session: SessionDep,
    principal: CurrentPrincipal,
    process: Annotated[str | None, Query(max_length=100)] = None,
) -> UserList:
    found = users.list_people(session, principal, process)
    return UserList(total=len(found), users=found)


@router.post("/invitations", summary="Invite someone to open an account", status_code=201)
def invite(body: InvitationIn, request: Request, principal: CurrentPrincipal) -> JSONResponse:
    with request.app.state.database.write_session() as session:  # mailed once it is stored
        link = invitations.create_invitation(
            session, principal, body.role, body.process, email=body.email, days=body.days
        )
    return JSONResponse(mailed(request, link, principal.label), status_code=201)


@router.get("/invitations", summary="Invitations (admins), or to a process (?process=)")
def list_invitations(
    session: SessionDep,
    principal: CurrentPrincipal,
    process: Annotated[str | None, Query(max_length=100)] = None,
) -> invitations.InvitationList:
    found = invitations.list_invitations(session, principal, process)
    return invitations.InvitationList(total=len(found), invitations=found)


@router.post("/invitations/{invitation_id}/revoke", summary="Withdraw an invitation")
def revoke_invitation(
    invitation_id: int, session: SessionDep, principal: CurrentPrincipal
) -> invitations.InvitationInfo:
    return invitations.revoke_invitation(session, principal, invitation_id)


@router.post("/users/{username}/roles", summary="Grant a role", status_code=201)
def grant(
    username: str, body: GrantIn, session: SessionDep, principal: CurrentPrincipal
) -> UserInfo:
    return users.grant(session, principal, username, body.role, body.process)


@router.post("/users/{username}/roles/revoke", summary="Revoke a role")
def revoke(
    username: str, body: GrantIn, session: SessionDep, principal: CurrentPrincipal
) -> UserInfo:
    return users.revoke(session, principal, username, body.role, body.process)


@router.post(
    "/users/{username}/password-reset",
    summary="A one-time password reset link (admins)",
    status_code=201,
)
def reset_link(
    username: str, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    link = invitations.create_reset_link(session, principal, username)
    return {**link.model_dump(mode="json"), "url": base_url(request) + link.path}
