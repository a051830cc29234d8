"""Pages that keep the registry and documents current: a process's profile, meetings and
members, a document's details and language versions, the history of each with revert, and
the meetings coming up across processes.

Forms are POSTs that :func:`rcphub.security.request_guard` has checked for the CSRF token;
every change goes through :mod:`rcphub.editing`, which asks the policy and writes history and
audit. A refused form (bad input) is shown again with the problem and status 422.

A contributor of the process gets the same forms (profile, members, meetings, a document's
details) with a word for the secretariat; what it sends becomes a proposal
(:mod:`rcphub.editing.proposals`, only the fields it changed) and it is taken to ``/proposals``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from rcphub import editing, registry, urls
from rcphub.accounts import Action, Outcome
from rcphub.accounts.policy import Principal, authorize
from rcphub.accounts.scopes import governing_processes
from rcphub.config import LANGUAGES
from rcphub.documents import service as documents
from rcphub.documents.parsing import DOC_TYPES
from rcphub.editing import documents as document_edits
from rcphub.editing import processes as process_edits
from rcphub.editing.history import get_change
from rcphub.editing.proposals import propose_change
from rcphub.errors import InvalidInput, NotFound
from rcphub.refdata.bodies import ROLES
from rcphub.security import current_principal
from rcphub.web.access import may_edit_process, write_access
from rcphub.web.pages import form_values, lookup, render_page, signed_in

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PROBLEMS = (InvalidInput, NotFound)


async def _form(request: Request) -> dict[str, str]:
    values = await form_values(request, max_fields=60)
    form: FormData = await request.form()  # parsed once: the request keeps it
    values["_meetings"] = " ".join(v for v in form.getlist("meeting") if isinstance(v, str))
    return values


def _session(request: Request):  # type: ignore[no-untyped-def]
    return request.app.state.database.session()


def _writer(request: Request):  # type: ignore[no-untyped-def]
    """A writer's transaction (on SQLite it takes the write lock at its start, rather than
    failing with "database is locked" at its first write after another writer committed)."""
    return request.app.state.database.write_session()


def _proposing(principal: Principal, processes: list[str]) -> bool:
    """True for a contributor (the change becomes a proposal), False for whoever may make it;
    anyone else is refused (401/403)."""
    decision = authorize(principal, Action.EDIT_PROPOSE, processes, proposals=True)
    return decision.outcome is Outcome.PROPOSE


def _propose(
    request: Request,
    principal: Principal,
    kind: str,
    target: str,
    changes: dict[str, Any],
    values: dict[str, str],
) -> Response:
    with _writer(request) as session:
        made = propose_change(
            session, principal, kind, target, changes, comment=values.get("comment")
        )
    return RedirectResponse(urls.proposals(fragment=f"proposal-{made.id}"), status_code=303)


def _changed(changes: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The fields of a submitted form that differ from the record (blank and None alike)."""

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, dict) or isinstance(b, dict):
            return {k: v for k, v in (a or {}).items() if v} == {
                k: v for k, v in (b or {}).items() if v
            }
        if isinstance(a, list | tuple) or isinstance(b, list | tuple):
            return sorted(a or []) == sorted(b or [])
        return str(a or "").strip() == str(b or "").strip()

    out = {k: v for k, v in changes.items() if not same(v, current.get(k))}
    if not out:
        raise InvalidInput("nothing is changed: there is nothing to propose")
    return out


# ---------------------------------------------------------------------------- meetings


def _meeting_fields(values: dict[str, str]) -> dict[str, Any]:
    return {
        "title": {lang: values.get(f"title_{lang}", "") for lang in LANGUAGES},
        "start": values.get("start", ""),
        "end": values.get("end", "") or None,
        "state": values.get("state", "") or None,
        "city": values.get("city", "") or None,
        "languages": [lang for lang in LANGUAGES if values.get(f"lang_{lang}")],
        "visibility": values.get("visibility", "public"),
    }


def _meeting_values(meeting: Any) -> dict[str, str]:
    values = {f"title_{lang}": text for lang, text in meeting.names.items()}
    values.update(
        start=meeting.start_date.isoformat() if meeting.start_date else "",
        end=meeting.end_date.isoformat() if meeting.end_date else "",
        state=meeting.country or "",
        city=meeting.city or "",
        visibility=meeting.visibility,
    )
    values.update({f"lang_{lang}": "1" for lang in meeting.languages})
    return values


def _meeting_form(
    request: Request,
    process: Any,
    values: dict[str, str],
    *,
    meeting: Any = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    with _session(request) as session:
        states = registry.list_states(session)
    return render_page(
        request,
        "meeting_form.html",
        {
            "p": process,
            "m": meeting,
            "values": values,
            "problem": problem,
            "states": states,
            "proposing": _proposing(current_principal(request), [process.id] if process else []),
        },
        status,
        section="processes",
    )


@router.get("/processes/{ident}/meetings/new")
def meeting_new(request: Request, ident: str) -> Response:
    principal = signed_in(request)
    with _session(request) as session:
        process = lookup(request, registry.get_process, session, ident, viewer=principal)
    _proposing(principal, [process.id])
    return _meeting_form(request, process, {"visibility": "public"})


@router.post("/processes/{ident}/meetings")
async def meeting_create(request: Request, ident: str) -> Response:
    principal = signed_in(request)
    values = await _form(request)
    with _session(request) as session:
        process = lookup(request, registry.get_process, session, ident, viewer=principal)
    try:
        if _proposing(principal, [process.id]):
            fields = {k: v for k, v in _meeting_fields(values).items() if v not in (None, "", [])}
            return _propose(
                request, principal, "meeting.create", f"process:{process.id}", fields, values
            )
        with _writer(request) as session:
            created = editing.create_meeting(
                session, principal, process.id, _meeting_fields(values)
            )
    except PROBLEMS as exc:
        return _meeting_form(request, process, values, problem=exc.message, status=422)
    return RedirectResponse(urls.meeting(created.id), status_code=303)


def _meeting_and_process(request: Request, ident: str, principal: Principal) -> tuple[Any, Any]:
    with _session(request) as session:
        meeting = lookup(request, registry.get_meeting, session, ident, viewer=principal)
        process = (
            registry.get_process(session, meeting.body, viewer=principal) if meeting.body else None
        )
    return meeting, process


@router.get("/meetings/{ident}/edit")
def meeting_edit_form(request: Request, ident: str) -> Response:
    principal = signed_in(request)
    meeting, process = _meeting_and_process(request, ident, principal)
    _proposing(principal, [meeting.body] if meeting.body else [])
    return _meeting_form(request, process, _meeting_values(meeting), meeting=meeting)


@router.post("/meetings/{ident}/edit")
async def meeting_edit(request: Request, ident: str) -> Response:
    principal = signed_in(request)
    values = await _form(request)
    meeting, process = _meeting_and_process(request, ident, principal)
    try:
        if _proposing(principal, [meeting.body] if meeting.body else []):
            current = _meeting_fields(_meeting_values(meeting))
            changes = _changed(_meeting_fields(values), current)
            return _propose(
                request, principal, "meeting.edit", f"meeting:{meeting.id}", changes, values
            )
        with _writer(request) as session:
            editing.edit_meeting(session, principal, meeting.id, _meeting_fields(values))
    except PROBLEMS as exc:
        return _meeting_form(
            request, process, values, meeting=meeting, problem=exc.message, status=422
        )
    return RedirectResponse(urls.meeting(meeting.id), status_code=303)


@router.get("/upcoming")
def upcoming(request: Request) -> Response:
    principal = current_principal(request)
    with _session(request) as session:
        found = registry.list_meetings(session, since=date.today(), viewer=principal)
        bodies = {p.id: p for p in registry.list_processes(session, include_listed_only=True)}
    found.sort(key=lambda m: (m.start_date, m.id))
    return render_page(
        request, "upcoming.html", {"meetings": found, "bodies": bodies}, section="meetings"
    )


# ---------------------------------------------------------------------------- members


def _members_page(
    request: Request,
    ident: str,
    principal: Principal,
    *,
    values: dict[str, str] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    with _session(request) as session:
        process = lookup(request, registry.get_process, session, ident, viewer=principal)
    return render_page(
        request,
        "members_form.html",
        {
            "p": process,
            "values": values or {"role": "member"},
            "problem": problem,
            "roles": ROLES,
            "proposing": _proposing(principal, [process.id]),
        },
        status,
        section="processes",
    )


@router.get("/processes/{ident}/members")
def members(request: Request, ident: str) -> Response:
    return _members_page(request, ident, signed_in(request))


@router.post("/processes/{ident}/members")
async def member_add(request: Request, ident: str) -> Response:
    principal = signed_in(request)
    values = await _form(request)
    try:
        with _session(request) as session:
            process_id = registry.process_id(session, ident)
        if _proposing(principal, [process_id]):
            fields = {
                k: values[k]
                for k in ("party", "role", "subgroup", "since", "source", "as_of")
                if values.get(k)
            }
            return _propose(
                request, principal, "membership.add", f"process:{process_id}", fields, values
            )
        with _writer(request) as session:
            editing.add_membership(
                session,
                principal,
                ident,
                values.get("party", ""),
                values.get("role", ""),
                source=values.get("source"),
                as_of=values.get("as_of"),
                subgroup=values.get("subgroup"),
                since=values.get("since"),
            )
    except PROBLEMS as exc:
        return _members_page(
            request, ident, principal, values=values, problem=exc.message, status=422
        )
    return RedirectResponse(urls.process(ident, "members"), status_code=303)


@router.post("/processes/{ident}/members/{membership_id}")
async def member_change(request: Request, ident: str, membership_id: int) -> Response:
    """One membership's row: a new role, or an end date (``until``)."""
    principal = signed_in(request)
    values = await _form(request)
    changes = {k: values[k] for k in ("role", "until") if values.get(k)}
    try:
        with _session(request) as session:
            process_id = registry.process_id(session, ident)
        if _proposing(principal, [process_id]):
            kind = "membership.end" if set(changes) == {"until"} else "membership.edit"
            provenance = {k: values[k] for k in ("source", "as_of") if values.get(k)}
            return _propose(
                request,
                principal,
                kind,
                f"membership:{membership_id}",
                {**changes, **provenance},
                values,
            )
        with _writer(request) as session:
            editing.edit_membership(
                session,
                principal,
                ident,
                membership_id,
                changes,
                source=values.get("source"),
                as_of=values.get("as_of"),
            )
    except PROBLEMS as exc:
        return _members_page(request, ident, principal, problem=exc.message, status=422)
    return RedirectResponse(urls.process(ident, "members"), status_code=303)


# ---------------------------------------------------------------------------- profile


def _profile_form(
    request: Request,
    process: Any,
    values: dict[str, str],
    *,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    proposing = _proposing(current_principal(request), [process.id])
    return render_page(
        request,
        "process_form.html",
        {"p": process, "values": values, "problem": problem, "proposing": proposing},
        status,
        section="processes",
    )


@router.get("/processes/{ident}/edit")
def profile_form(request: Request, ident: str) -> Response:
    principal = signed_in(request)
    with _session(request) as session:
        process = lookup(request, registry.get_process, session, ident, viewer=principal)
    _proposing(principal, [process.id])
    return _profile_form(request, process, _profile_values(process))


def _profile_values(process: Any) -> dict[str, str]:
    values = {f"name_{lang}": text for lang, text in process.names.items()}
    values.update(
        acronym=process.acronym or "",
        website=process.website or "",
        secretariat=process.secretariat or "",
        chair=process.chair_rotation or "",
    )
    return values


def _profile_changes(values: dict[str, str]) -> dict[str, Any]:
    changes: dict[str, Any] = {
        "names": {lang: values.get(f"name_{lang}", "") for lang in LANGUAGES}
    }
    changes.update({f: values.get(f, "") for f in process_edits.FIELDS if f != "names"})
    return changes


@router.post("/processes/{ident}/edit")
async def profile_save(request: Request, ident: str) -> Response:
    principal = signed_in(request)
    values = await _form(request)
    with _session(request) as session:
        process = lookup(request, registry.get_process, session, ident, viewer=principal)
    changes = _profile_changes(values)
    try:
        if _proposing(principal, [process.id]):
            changes = _changed(changes, _profile_changes(_profile_values(process)))
            changes.update({k: values[k] for k in ("source", "as_of") if values.get(k)})
            return _propose(
                request, principal, "process.edit", f"process:{process.id}", changes, values
            )
        with _writer(request) as session:
            editing.edit_process(
                session,
                principal,
                process.id,
                changes,
                source=values.get("source"),
                as_of=values.get("as_of"),
            )
    except PROBLEMS as exc:
        return _profile_form(request, process, values, problem=exc.message, status=422)
    return RedirectResponse(urls.process(process.id), status_code=303)


# ---------------------------------------------------------------------------- documents


def _document_form(
    request: Request,
    ident: str,
    principal: Principal,
    *,
    values: dict[str, str] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    with _session(request) as session:
        doc = lookup(request, documents.get_document, session, ident, principal)
        proposing = _proposing(principal, sorted(governing_processes(session, doc.id)))
        meetings = registry.list_meetings(session, viewer=principal)
    if values is None:
        values = {
            "title": doc.title or "",
            "type": doc.type,
            "date": doc.date.isoformat() if doc.date else "",
            "symbol": doc.symbol or "",
            "processes": " ".join(t[8:] for t in doc.links if t.startswith("process:")),
        }
        chosen = [t[8:] for t in doc.links if t.startswith("meeting:")]
    else:
        chosen = values.get("_meetings", "").split()
    return render_page(
        request,
        "document_form.html",
        {
            "d": doc,
            "values": values,
            "chosen": chosen,
            "meetings": sorted(meetings, key=lambda m: (m.year, m.id), reverse=True),
            "doc_types": DOC_TYPES,
            "problem": problem,
            "proposing": proposing,
        },
        status,
        section="documents",
    )


@router.get("/documents/{ident}/edit")
def document_form(request: Request, ident: str) -> Response:
    return _document_form(request, ident, signed_in(request))


@router.post("/documents/{ident}/edit")
async def document_save(request: Request, ident: str) -> Response:
    principal = signed_in(request)
    values = await _form(request)
    changes = {
        "title": values.get("title", ""),
        "type": values.get("type", ""),
        "date": values.get("date", "") or None,
        "symbol": values.get("symbol", ""),
        "processes": values.get("processes", ""),
        "meetings": values.get("_meetings", ""),
    }
    try:
        with _session(request) as session:
            doc_id = documents.get_document(session, ident, principal).id
            owners = sorted(governing_processes(session, doc_id))
            current = document_edits._current(session, documents._get(session, doc_id, principal))
        if _proposing(principal, owners):
            split = {
                k: sorted(v.split()) if k in ("processes", "meetings") else v
                for k, v in changes.items()
            }
            now = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in current.items()}
            return _propose(
                request,
                principal,
                "document.edit",
                f"document:{doc_id}",
                _changed(split, now),
                values,
            )
        with _writer(request) as session:
            doc = editing.edit_document(session, principal, ident, changes)
    except PROBLEMS as exc:
        return _document_form(
            request, ident, principal, values=values, problem=exc.message, status=422
        )
    return RedirectResponse(urls.document(doc.id), status_code=303)


@router.post("/documents/{ident}/versions/link")
async def document_link(request: Request, ident: str) -> Response:
    principal = signed_in(request)
    values = await _form(request)
    try:
        with _writer(request) as session:
            doc = document_edits.link_version(
                session, principal, ident, values.get("other", "").strip()
            )
    except PROBLEMS as exc:
        return _document_form(request, ident, principal, problem=exc.message, status=422)
    return RedirectResponse(urls.document(doc.id, "edit"), status_code=303)


@router.post("/documents/{ident}/versions/unlink")
async def document_unlink(request: Request, ident: str) -> Response:
    principal = signed_in(request)
    try:
        with _writer(request) as session:
            doc = document_edits.unlink_version(session, principal, ident)
    except PROBLEMS as exc:
        return _document_form(request, ident, principal, problem=exc.message, status=422)
    return RedirectResponse(urls.document(doc.id, "edit"), status_code=303)


# ---------------------------------------------------------------------------- history


def _history_page(request: Request, entity: str, ident: str) -> Response:
    principal = current_principal(request)
    with _session(request) as session:
        if entity == "document":
            record = lookup(request, documents.get_document, session, ident, principal)
            title, back = record.title or record.id, urls.document(record.id)
            may_revert = write_access(request, session, Action.DOCUMENT_EDIT, record.id) == "edit"
        elif entity == "meeting":
            record = lookup(request, registry.get_meeting, session, ident, viewer=principal)
            title, back = None, urls.meeting(record.id)
            may_revert = may_edit_process(principal, record.body)
        else:
            record = lookup(request, registry.get_process, session, ident, viewer=principal)
            title, back = None, urls.process(record.id)
            may_revert = may_edit_process(principal, record.id)
        history = editing.list_history(session, entity, record.id, viewer=principal, limit=200)
    return render_page(
        request,
        "history.html",
        {
            "entity": entity,
            "record": record,
            "title": title,
            "back": back,
            "history": history,
            "may_revert": may_revert,
        },
        section={"document": "documents", "meeting": "meetings"}.get(entity, "processes"),
    )


@router.get("/processes/{ident}/history")
def process_history(request: Request, ident: str) -> Response:
    return _history_page(request, "process", ident)


@router.get("/meetings/{ident}/history")
def meeting_history(request: Request, ident: str) -> Response:
    return _history_page(request, "meeting", ident)


@router.get("/documents/{ident}/history")
def document_history(request: Request, ident: str) -> Response:
    return _history_page(request, "document", ident)


@router.post("/history/{change_id}/revert")
def revert(request: Request, change_id: int) -> Response:
    principal = signed_in(request)
    with _session(request) as session:
        row = get_change(session, change_id)
        if row is None:
            raise NotFound("change", str(change_id))
        entity, entity_id, process = row.entity, row.entity_id, row.process_id
    with _writer(request) as session:
        editing.revert_change(session, principal, change_id)
    if entity == "focal_point":
        return RedirectResponse(urls.process(process, "focal-points/history"), status_code=303)
    if entity == "membership":
        entity, entity_id = "process", process
    record = {"process": urls.process, "meeting": urls.meeting, "document": urls.document}
    return RedirectResponse(record[entity](entity_id, "history"), status_code=303)


__all__ = ["router"]
