"""Pages of people: a process's focal points, the people of a process (its secretariat invites,
grants and revokes the process's roles), the people of the hub (admins: any role, password
reset links), and the two one-time links — opening an account from an invitation, choosing a
new password from a reset link.

Forms are POSTs that :func:`rcphub.security.request_guard` has checked for the CSRF token; every
change goes through the account and editing services the API and the CLI call, which ask the
policy and write history and audit. A refused form is shown again with the problem (422).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from rcphub import registry, urls
from rcphub.accounts import invitations, users
from rcphub.accounts.policy import PROCESS_ROLES_GRANTABLE, Action, Role, authorize
from rcphub.accounts.sessions import sign_in
from rcphub.editing import focal_points
from rcphub.errors import Gone, InvalidInput, NotFound
from rcphub.exchange.invitation_mail import mail_link
from rcphub.security import (
    ANON_CSRF_COOKIE,
    SESSION_COOKIE,
    client_address,
    current_principal,
    secure_cookie,
)
from rcphub.web.access import may_edit_process
from rcphub.web.pages import form_values, lookup, render_page, signed_in, tools_for

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PROBLEMS = (InvalidInput, NotFound)


async def _form(request: Request) -> dict[str, str]:
    return await form_values(request, max_fields=40)


def _link_url(request: Request, path: str) -> str:
    configured = request.app.state.settings.public_url
    return (configured or str(request.base_url)).rstrip("/") + path


# ---------------------------------------------------------------------------- focal points


def _focal_points_page(
    request: Request,
    ident: str,
    *,
    values: dict[str, str] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    principal = current_principal(request)
    with request.app.state.database.session() as session:
        process = lookup(request, registry.get_process, session, ident, viewer=principal)
        directory = focal_points.list_focal_points(session, principal, process.id)
    return render_page(
        request,
        "focal_points.html",
        {
            "p": process,
            "directory": directory,
            "may_edit": may_edit_process(principal, process.id),
            "values": values or {},
            "problem": problem,
        },
        status,
        section="processes",
    )


@router.get("/processes/{ident}/focal-points")
def focal_points_page(request: Request, ident: str) -> Response:
    return _focal_points_page(request, ident)


def _focal_fields(values: dict[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        k: values.get(k, "") for k in ("name", "function", "organisation", "email", "phone")
    }
    fields["public"] = bool(values.get("public"))
    return fields


@router.post("/processes/{ident}/focal-points")
async def focal_point_add(request: Request, ident: str) -> Response:
    principal = signed_in(request)
    values = await _form(request)
    try:
        with request.app.state.database.write_session() as session:
            focal_points.add_focal_point(session, principal, ident, _focal_fields(values))
    except PROBLEMS as exc:
        return _focal_points_page(request, ident, values=values, problem=exc.message, status=422)
    return RedirectResponse(urls.process(ident, "focal-points"), status_code=303)


@router.post("/processes/{ident}/focal-points/{focal_point_id}")
async def focal_point_edit(request: Request, ident: str, focal_point_id: int) -> Response:
    principal = signed_in(request)
    values = await _form(request)
    try:
        with request.app.state.database.write_session() as session:
            focal_points.edit_focal_point(
                session, principal, ident, focal_point_id, _focal_fields(values)
            )
    except PROBLEMS as exc:
        return _focal_points_page(request, ident, problem=exc.message, status=422)
    return RedirectResponse(urls.process(ident, "focal-points"), status_code=303)


@router.post("/processes/{ident}/focal-points/{focal_point_id}/remove")
def focal_point_remove(request: Request, ident: str, focal_point_id: int) -> Response:
    principal = signed_in(request)
    with request.app.state.database.write_session() as session:
        focal_points.remove_focal_point(session, principal, ident, focal_point_id)
    return RedirectResponse(urls.process(ident, "focal-points"), status_code=303)


@router.get("/processes/{ident}/focal-points/history")
def focal_points_history(request: Request, ident: str) -> Response:
    principal = current_principal(request)
    with request.app.state.database.session() as session:
        process = lookup(request, registry.get_process, session, ident, viewer=principal)
        history = focal_points.focal_point_history(session, principal, process.id, limit=200)
    return render_page(
        request,
        "history.html",
        {
            "entity": "focal_point",
            "record": process,
            "title": None,
            "back": urls.process(process.id, "focal-points"),
            "history": history,
            "may_revert": may_edit_process(principal, process.id),
        },
        section="processes",
    )


# ---------------------------------------------------------------------------- people


def _people_page(
    request: Request,
    process_id: str | None,
    *,
    new_link: dict[str, Any] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    principal = signed_in(request)
    with request.app.state.database.session() as session:
        process = (
            lookup(request, registry.get_process, session, process_id, viewer=principal)
            if process_id
            else None
        )
        people = users.list_people(session, principal, process.id if process else None)
        pending = invitations.list_invitations(session, principal, process.id if process else None)
        every = registry.list_processes(session, include_listed_only=True)
        processes = [] if process else [(p.id, p.names) for p in every if not p.listed_only]
    roles = [r.value for r in (PROCESS_ROLES_GRANTABLE if process else Role)]
    return render_page(
        request,
        "people.html",
        {
            "p": process,
            "people": people,
            "invitations": pending,
            "roles": roles,
            "processes": processes,
            "process_names": {p.id: p.names for p in every},
            "new_link": new_link,
            "problem": problem,
            "action": _people_action(process.id if process else None),
        },
        status,
        section="processes" if process else "",
    )


def _people_action(process_id: str | None):  # type: ignore[no-untyped-def]
    """Where the page's forms post ``invite``, ``grant`` or ``revoke``: under the process, or
    the admin's page."""

    def action(name: str) -> str:
        if process_id is None:
            return urls.admin_people_action(name)
        return urls.process(process_id, f"people/{name}")

    return action


@router.get("/processes/{ident}/people")
def process_people(request: Request, ident: str) -> Response:
    return _people_page(request, ident)


@router.get("/admin/people")
def admin_people(request: Request) -> Response:
    authorize(signed_in(request), Action.USERS_MANAGE)
    return _people_page(request, None)


def _target_process(ident: str | None, values: dict[str, str]) -> str | None:
    return ident if ident else (values.get("process") or None)


async def _invite(request: Request, ident: str | None) -> Response:
    principal = signed_in(request)
    values = await _form(request)
    try:
        days = int(values.get("days") or invitations.DEFAULT_INVITE_DAYS)
    except ValueError:
        days = 0
    try:
        with request.app.state.database.write_session() as session:
            link = invitations.create_invitation(
                session,
                principal,
                values.get("role", ""),
                _target_process(ident, values),
                email=values.get("email"),
                days=days,
            )
    except PROBLEMS as exc:
        return _people_page(request, ident, problem=exc.message, status=422)
    url = _link_url(request, link.path)
    link = await run_in_threadpool(
        mail_link, request.app.state.settings, link, url, principal.label
    )
    return _people_page(request, ident, new_link={**link.model_dump(), "url": url}, status=201)


async def _grant(request: Request, ident: str | None, revoke: bool) -> Response:
    principal = signed_in(request)
    values = await _form(request)
    change = users.revoke if revoke else users.grant
    try:
        with request.app.state.database.write_session() as session:
            change(
                session,
                principal,
                values.get("username", ""),
                values.get("role", ""),
                _target_process(ident, values),
            )
    except PROBLEMS as exc:
        return _people_page(request, ident, problem=exc.message, status=422)
    return RedirectResponse(urls.process(ident, "people") if ident else urls.admin_people(), 303)


@router.post("/processes/{ident}/people/invite")
async def process_invite(request: Request, ident: str) -> Response:
    return await _invite(request, ident)


@router.post("/processes/{ident}/people/grant")
async def process_grant(request: Request, ident: str) -> Response:
    return await _grant(request, ident, revoke=False)


@router.post("/processes/{ident}/people/revoke")
async def process_revoke(request: Request, ident: str) -> Response:
    return await _grant(request, ident, revoke=True)


@router.post("/admin/people/invite")
async def admin_invite(request: Request) -> Response:
    return await _invite(request, None)


@router.post("/admin/people/grant")
async def admin_grant(request: Request) -> Response:
    return await _grant(request, None, revoke=False)


@router.post("/admin/people/revoke")
async def admin_revoke(request: Request) -> Response:
    return await _grant(request, None, revoke=True)


@router.post("/admin/people/{username}/reset")
def admin_reset_link(request: Request, username: str) -> Response:
    principal = signed_in(request)
    try:
        with request.app.state.database.write_session() as session:
            link = invitations.create_reset_link(session, principal, username)
    except PROBLEMS as exc:
        return _people_page(request, None, problem=exc.message, status=422)
    url = _link_url(request, link.path)
    return _people_page(request, None, new_link={**link.model_dump(), "url": url}, status=201)


# ---------------------------------------------------------------------------- one-time links


def _invitation_page(
    request: Request,
    token: str,
    *,
    values: dict[str, str] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    with request.app.state.database.session() as session:
        offered = invitations.invitation_for(session, token)
        process = registry.get_process(session, offered.process) if offered.process else None
    return render_page(
        request,
        "invitation.html",
        {
            "token": token,
            "offered": offered,
            "p": process,
            "values": values or {},
            "problem": problem,
        },
        status,
    )


@router.get("/invitations/{token}")
def invitation(request: Request, token: str) -> Response:
    return _invitation_page(request, token)


@router.post("/invitations/{token}")
async def invitation_accept(request: Request, token: str) -> Response:
    _ = tools_for(request).gettext
    values = await _form(request)
    password = values.get("password", "")
    if password != values.get("password_again", ""):
        return _invitation_page(
            request, token, values=values, problem=_("The two passwords differ."), status=422
        )
    try:
        with request.app.state.database.write_session() as session:
            created = invitations.accept_invitation(
                session,
                token,
                values.get("username", ""),
                password,
                display_name=values.get("display_name"),
                address=client_address(request),
            )
    except InvalidInput as exc:
        if isinstance(exc, Gone):
            raise
        return _invitation_page(request, token, values=values, problem=exc.message, status=422)
    signed_in = await run_in_threadpool(
        sign_in,
        request.app.state.database,
        created.username,
        password,
        address=client_address(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    grant = created.grants[0] if created.grants else None
    target = urls.process(grant.process) if grant and grant.process else urls.account()
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed_in.cookie,
        max_age=request.app.state.settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=secure_cookie(request),
        path="/",
    )
    response.delete_cookie(ANON_CSRF_COOKIE, path="/")
    return response


def _reset_page(
    request: Request, token: str, *, problem: str | None = None, status: int = 200
) -> Response:
    with request.app.state.database.session() as session:
        username = invitations.reset_for(session, token)
    return render_page(
        request,
        "password_reset.html",
        {"token": token, "username": username, "problem": problem},
        status,
    )


@router.get("/password-reset/{token}")
def password_reset(request: Request, token: str) -> Response:
    return _reset_page(request, token)


@router.post("/password-reset/{token}")
async def password_reset_submit(request: Request, token: str) -> Response:
    _ = tools_for(request).gettext
    values = await _form(request)
    password = values.get("password", "")
    if password != values.get("password_again", ""):
        return _reset_page(request, token, problem=_("The two passwords differ."), status=422)
    try:
        with request.app.state.database.write_session() as session:
            invitations.reset_password(session, token, password)
    except InvalidInput as exc:
        if isinstance(exc, Gone):
            raise
        return _reset_page(request, token, problem=exc.message, status=422)
    return RedirectResponse(urls.sign_in(), status_code=303)


__all__ = ["router"]
