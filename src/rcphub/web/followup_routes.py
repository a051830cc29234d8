"""Follow-up pages: lists with traffic lights (all, per process, per meeting), one item with its
timeline and update form, and the form posts behind them (review, edit, add an update, detect
on a document).

Every form post goes through :func:`read_form`, the one place where the submitted fields are
read and the acting principal is taken. The CSRF token was checked before, by
:func:`rcphub.security.request_guard`; whether the principal may is decided by the follow-up
services through the policy (``FOLLOWUP_EDIT`` on the processes of the item's document), so a
visitor gets 401 and a user without the role 403. Posts answer with a redirect (303) to the
page to show next; bad input or a refusal becomes the error page with a 4xx status, and
nothing is written. Pages show the write forms only to those who may use them
(:func:`rcphub.web.access.write_access`), and a "sign in" link to visitors.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from rcphub import followup, registry, urls
from rcphub.accounts import Action, Principal
from rcphub.dependencies import get_session
from rcphub.errors import InvalidInput
from rcphub.followup.light import AMBER_AFTER_MONTHS, RED_AFTER_MONTHS
from rcphub.security import current_principal
from rcphub.web.access import write_access
from rcphub.web.pages import blank_to_none, canonical, lookup, renderer, tools_for
from rcphub.web.presenters import party_href

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
Filter = Annotated[str | None, Query(max_length=100)]
MAX_FORM_FIELD = 20_000


# ---------------------------------------------------------------------------- forms


async def read_form(request: Request) -> tuple[dict[str, Any], Principal]:
    """The fields of a posted form (lists for repeated names) and who acts (the CSRF token
    was checked already; the services ask the policy)."""
    form = await request.form()
    fields: dict[str, Any] = {}
    for key in form:
        values = [v for v in form.getlist(key) if isinstance(v, str)]
        if any(len(v) > MAX_FORM_FIELD for v in values):
            raise InvalidInput(f"the field {key[:40]!r} is too long")
        fields[key] = values if len(values) > 1 else (values[0] if values else "")
    return fields, current_principal(request)


def _local(path: Any, fallback: str) -> str:
    """A redirect target on this site only (no scheme, no host, no ``//``)."""
    if (
        isinstance(path, str)
        and path.startswith("/")
        and not path.startswith("//")
        and "\\" not in path
        and all(ord(c) >= 32 for c in path)
    ):
        return path
    return fallback


def _see(path: str) -> Response:
    return RedirectResponse(path, status_code=303)


def _words(value: Any) -> list[str]:
    text = " ".join(value) if isinstance(value, list) else str(value or "")
    return text.replace(",", " ").split()


# ---------------------------------------------------------------------------- lists


def _today(value: str | None) -> date | None:
    value = blank_to_none(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("today must be a date as YYYY-MM-DD") from None


def _render_list(
    request: Request,
    session: Session,
    *,
    scope: dict[str, str],
    heading: str,
    back: tuple[str, str] | None,
    status: str | None,
    light: str | None,
    review: str | None,
    today: str | None,
) -> Response:
    status, light, review = blank_to_none(status), blank_to_none(light), blank_to_none(review)
    if status is not None and status not in followup.STATUSES:
        raise InvalidInput(f"status must be one of: {', '.join(followup.STATUSES)}")
    if light is not None and light not in followup.LIGHTS:
        raise InvalidInput(f"light must be one of: {', '.join(followup.LIGHTS)}")
    if review is not None and review not in (*followup.REVIEWS, "all"):
        raise InvalidInput(f"review must be one of: {', '.join(followup.REVIEWS)}, all")
    listed = followup.list_items(
        session,
        **scope,
        status=status,
        light=light,
        review=None if review == "all" else (review or "confirmed"),
        today=_today(today),
        viewer=current_principal(request),
    )
    selected = {"status": status, "light": light, "review": review}
    query = urlencode({**scope, **{k: v for k, v in selected.items() if v}})
    csv_query = urlencode({**scope, "review": review or "confirmed"})
    return renderer(request).render(
        request,
        "followup_list.html",
        {
            "heading": heading,
            "back": back,
            "listed": listed,
            "selected": selected,
            "filtered": any(selected.values()),
            "statuses": followup.STATUSES,
            "lights": followup.LIGHTS,
            "reviews": (*followup.REVIEWS, "all"),
            "action": request.url.path,
            "csv_items": f"/api/v1/followup/items.csv?{csv_query}",
            "csv_updates": f"/api/v1/followup/updates.csv?{csv_query}",
            "json_href": f"/api/v1/followup/items?{query}",
            "rule": _rule(),
            "entity_href": party_href,
        },
        section="followup",
    )


def _rule() -> dict[str, int]:
    return {"amber": AMBER_AFTER_MONTHS, "red": RED_AFTER_MONTHS}


@router.get("/followup")
def followup_list(
    request: Request,
    session: SessionDep,
    status: Filter = None,
    light: Filter = None,
    review: Filter = None,
    today: Filter = None,
) -> Response:
    _ = tools_for(request).gettext
    return _render_list(
        request,
        session,
        scope={},
        heading=_("Follow-up of recommendations and conclusions"),
        back=None,
        status=status,
        light=light,
        review=review,
        today=today,
    )


@router.get("/processes/{ident}/followup")
def process_followup(
    request: Request,
    ident: str,
    session: SessionDep,
    status: Filter = None,
    light: Filter = None,
    review: Filter = None,
    today: Filter = None,
) -> Response:
    detail = lookup(request, registry.get_process, session, ident)
    if detail.id != ident:
        return canonical(request, urls.process(detail.id, "followup"))
    tools = tools_for(request)
    name = tools.pick(detail.names)
    title = name.text if name else detail.id
    return _render_list(
        request,
        session,
        scope={"process": detail.id},
        heading=tools.gettext("Follow-up: %(name)s") % {"name": title},
        back=(urls.process(detail.id), title),
        status=status,
        light=light,
        review=review,
        today=today,
    )


@router.get("/meetings/{ident}/followup")
def meeting_followup(
    request: Request,
    ident: str,
    session: SessionDep,
    status: Filter = None,
    light: Filter = None,
    review: Filter = None,
    today: Filter = None,
) -> Response:
    found = lookup(request, registry.get_meeting, session, ident)
    if found.id != ident:
        return canonical(request, urls.meeting(found.id, "followup"))
    tools = tools_for(request)
    from rcphub.wording.citations import meeting_short_title

    title = meeting_short_title(tools, found).striptags()
    return _render_list(
        request,
        session,
        scope={"meeting": found.id},
        heading=tools.gettext("Follow-up: %(name)s") % {"name": title},
        back=(urls.meeting(found.id), title),
        status=status,
        light=light,
        review=review,
        today=today,
    )


# ---------------------------------------------------------------------------- one item


@router.get("/followup/items/{item_id}")
def item_page(
    request: Request, item_id: str, session: SessionDep, today: Filter = None
) -> Response:
    item = lookup(
        request, followup.get_item, session, item_id, _today(today), current_principal(request)
    )
    names = _addressee_names(session, item.addressees)
    return renderer(request).render(
        request,
        "followup_item.html",
        {
            "item": item,
            "names": names,
            "entity_href": party_href,
            "statuses": followup.STATUSES,
            "kinds": followup.KINDS,
            "rule": _rule(),
            "today": date.today().isoformat(),
            "evidence_href": _evidence_href,
            "access": write_access(request, session, Action.FOLLOWUP_EDIT, item.document),
        },
        section="followup",
    )


def _addressee_names(session: Session, addressees: list[str]) -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {}
    states = (
        registry.state_names(session) if any(a.startswith("state:") for a in addressees) else {}
    )
    for entity in addressees:
        kind, _, ident = entity.partition(":")
        if kind == "state":
            names[entity] = states.get(ident, {})
        else:
            from rcphub.db.models import Body

            body = session.get(Body, ident)
            names[entity] = dict(body.names) if body else {}
    return names


def _evidence_href(link: str) -> str:
    if link.startswith("document:"):
        document, _, ref = link[len("document:") :].partition("#")
        return urls.document(document, ref=ref or None)
    return link


@router.post("/followup/items/{item_id}/updates")
async def post_update(request: Request, item_id: str) -> Response:
    fields, actor = await read_form(request)
    with request.app.state.database.session() as session:
        item = lookup(
            request,
            followup.add_update,
            session,
            item_id,
            status=str(fields.get("status", "")),
            progress=fields.get("progress") or None,
            note=str(fields.get("note", "")),
            evidence=_words(fields.get("evidence")),
            day=str(fields.get("date", "")) or None,
            actor=actor,
        )
    return _see(urls.followup_item(item.id, fragment="timeline"))


@router.post("/followup/items/{item_id}/review")
async def post_review(request: Request, item_id: str) -> Response:
    fields, actor = await read_form(request)
    with request.app.state.database.session() as session:
        item = lookup(
            request, followup.review_item, session, item_id, str(fields.get("decision", "")), actor
        )
    return _see(_local(fields.get("next"), urls.followup_item(item.id)))


@router.post("/followup/items/{item_id}/edit")
async def post_edit(request: Request, item_id: str) -> Response:
    fields, actor = await read_form(request)
    kind = str(fields.get("kind", "")) or None
    with request.app.state.database.session() as session:
        item = lookup(
            request,
            followup.edit_item,
            session,
            item_id,
            kind=kind,
            addressees=_words(fields.get("addressees")),
            due_date=str(fields.get("due_date", "")) or None,
            actor=actor,
        )
    return _see(urls.followup_item(item.id))


@router.post("/documents/{ident}/followup/detect")
async def post_detect(request: Request, ident: str) -> Response:
    _fields, actor = await read_form(request)
    with request.app.state.database.session() as session:
        report = lookup(request, followup.detect_document, session, ident, actor)
    return _see(
        urls.document(
            report.document, query={"detected": len(report.proposed)}, fragment="followup"
        )
    )


@router.post("/documents/{ident}/followup/track")
async def post_track(request: Request, ident: str) -> Response:
    fields, actor = await read_form(request)
    with request.app.state.database.session() as session:
        item = lookup(
            request,
            followup.create_item,
            session,
            ident,
            str(fields.get("ref", "")),
            kind=str(fields.get("kind") or "recommendation"),
            actor=actor,
        )
    return _see(urls.document(item.document, ref=item.ref))
