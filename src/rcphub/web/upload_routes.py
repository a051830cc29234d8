"""The upload form: files in, documents stored, and a page saying what became of each file.

Who may upload is decided in one place, :func:`upload_access`. The router is included before
:mod:`rcphub.web.document_routes`, whose ``/documents/{ident}`` would otherwise take "upload"
for a document ID.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from rcphub import registry
from rcphub.accounts.policy import Action, Outcome, Principal, decide, processes_for
from rcphub.dependencies import get_ingestor
from rcphub.documents import IngestOptions, Ingestor, get_document, proposals
from rcphub.documents.schemas import DocumentDetail, DocumentSummary
from rcphub.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from rcphub.followup import preview_detection
from rcphub.followup.schemas import CandidateOut
from rcphub.security import current_principal
from rcphub.uploads import MAX_FILES, clean_filename, read_upload
from rcphub.web import uploads
from rcphub.web.pages import renderer, sorted_processes, suggestion_names, tools_for
from rcphub.wording.citations import meeting_short_title

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


def upload_access(request: Request) -> Principal:
    """Who may see the upload form: a signed-in user who may add or propose documents for at
    least one process (an admin: for any). Which files go in is decided per upload, by
    :func:`rcphub.accounts.policy.decide` on the processes chosen."""
    principal = current_principal(request)
    if not principal.authenticated:
        raise Unauthenticated("sign in to upload documents")
    if processes_for(principal, Action.DOCUMENT_ADD) == frozenset():
        raise Forbidden(
            f"{principal.label} may not add documents: no secretariat or contributor role"
        )
    return principal


UploadAccess = Annotated[Principal, Depends(upload_access)]


def _upload_page(
    request: Request,
    *,
    rows: list[uploads.UploadRow] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    ingestor = get_ingestor(request)
    tools = tools_for(request)
    allowed = processes_for(current_principal(request), Action.DOCUMENT_ADD)
    with ingestor.database.session() as session:
        processes = sorted_processes(
            tools,
            [p for p in registry.list_processes(session) if allowed is None or p.id in allowed],
        )
        meetings = sorted(
            registry.list_meetings(session, viewer=current_principal(request)),
            key=lambda m: (m.year, m.start_date.isoformat() if m.start_date else ""),
            reverse=True,
        )
        target_names: dict[str, Any] = {}
        for row in rows or []:
            if isinstance(row.document, DocumentDetail):
                target_names.update(suggestion_names(session, tools, row.document))
    return renderer(request).render(
        request,
        "upload.html",
        {
            "rows": rows,
            "target_names": target_names,
            "problem": problem,
            "processes": processes,
            "meetings": meetings,
            "meeting_short_title": lambda m: meeting_short_title(tools, m),
            "limit_mb": ingestor.settings.max_upload_mb,
            "max_files": MAX_FILES,
            "accept": uploads.ACCEPT,
            "process_required": allowed is not None,
        },
        status=status,
        section="documents",
    )


@router.get("/documents/upload")
def upload_form(request: Request, _access: UploadAccess) -> Response:
    uploads.start_warm_up(request.app.state, get_ingestor(request))
    return _upload_page(request)


@router.post("/documents/upload")
async def upload_submit(request: Request, principal: UploadAccess) -> Response:
    """Ingest the files of the form one by one (each in its own transaction), then show what
    became of each; a problem with the form as a whole shows the form again. A contributor's
    files become proposals for a secretariat to approve."""
    try:
        rows = await _ingest_upload(request, principal)
    except uploads.UploadProblem as problem:
        return await run_in_threadpool(
            _upload_page, request, problem=problem.message, status=problem.status
        )
    status = 422 if rows and all(row.status == "error" for row in rows) else 200
    return await run_in_threadpool(_upload_page, request, rows=rows, status=status)


async def _ingest_upload(request: Request, principal: Principal) -> list[uploads.UploadRow]:
    _ = tools_for(request).gettext
    ingestor = get_ingestor(request)
    limit_mb = ingestor.settings.max_upload_mb
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FILES * limit_mb * 2**20 + 2**20:
        raise uploads.UploadProblem(
            _("The upload is larger than the hub accepts (%(mb)s MB per file).") % {"mb": limit_mb},
            413,
        )
    try:
        async with request.form(max_files=100, max_fields=50) as form:
            files = [
                item
                for item in form.getlist("files")
                if isinstance(item, UploadFile) and (item.filename or item.size)
            ]
            options = IngestOptions(
                processes=_choices(form.getlist("process")),
                meetings=_choices(form.getlist("meeting")),
                actor=principal,
                visibility="restricted"
                if "restricted" in _choices(form.getlist("visibility"))
                else "public",
            )
            if not files:
                raise uploads.UploadProblem(_("Choose at least one file to upload."))
            if len(files) > MAX_FILES:
                raise uploads.UploadProblem(
                    _("Send at most %(num)s files at a time.") % {"num": MAX_FILES}
                )
            await _check_links(request, ingestor, options)
            decision = decide(principal, Action.DOCUMENT_ADD, options.processes)
            if decision.outcome is Outcome.DENY:
                raise uploads.UploadProblem(
                    _("Your account may not file documents under this process.")
                    if options.processes
                    else _("Choose the process to file the documents under."),
                    403,
                )
            if decision.outcome is Outcome.PROPOSE:
                if options.visibility != "public":
                    raise uploads.UploadProblem(
                        _("A proposal is public; ask a secretariat to add a restricted document."),
                        403,
                    )
                return [await _propose_one(request, ingestor, upload, options) for upload in files]
            await run_in_threadpool(uploads.wait_for_warm_up, request.app.state)
            return [await _ingest_one(request, ingestor, upload, options) for upload in files]
    except StarletteHTTPException as error:  # a request the form parser cannot read
        raise uploads.UploadProblem(
            _("The upload could not be read. Please try again."), 400
        ) from error


def _choices(values: list[Any]) -> list[str]:
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


async def _check_links(request: Request, ingestor: Ingestor, options: IngestOptions) -> None:
    _ = tools_for(request).gettext
    try:
        await run_in_threadpool(ingestor.check_options, options)
    except NotFound as missing:
        ident = missing.ident[:100]
        message = (
            _("There is no meeting with the ID “%(id)s”.")
            if missing.kind == "meeting"
            else _("There is no process or organisation with the ID “%(id)s”.")
        )
        raise uploads.UploadProblem(message % {"id": ident}) from missing
    except InvalidInput as refused:  # restricted, filed under no process
        raise uploads.UploadProblem(
            _("Choose the process to file a restricted document under.")
        ) from refused


async def _ingest_one(
    request: Request, ingestor: Ingestor, upload: UploadFile, options: IngestOptions
) -> uploads.UploadRow:
    tools = tools_for(request)
    limit_mb = ingestor.settings.max_upload_mb
    name = clean_filename(upload.filename)
    try:
        data = await read_upload(upload, limit_mb)
    except InvalidInput as error:
        reason, detail = uploads.explain(
            tools.gettext, error.message, upload.filename or "", limit_mb
        )
        return uploads.UploadRow(name, "error", reason=reason, detail=detail)
    outcome = await run_in_threadpool(ingestor.ingest_bytes, data, name, options)
    if outcome.error or not outcome.document_id:
        reason, detail = uploads.explain(tools.gettext, outcome.error or "", name, limit_mb)
        return uploads.UploadRow(name, "error", reason=reason, detail=detail)

    def summary() -> tuple[DocumentSummary, list[CandidateOut]]:
        with ingestor.database.session() as session:
            document = get_document(session, outcome.document_id, options.actor)
            found = preview_detection(session, outcome.document_id, options.actor)
            return document, found

    document, found = await run_in_threadpool(summary)
    status = "created" if outcome.created else "existing"
    return uploads.UploadRow(name, status, document=document, can_file=True, recommendations=found)


async def _propose_one(
    request: Request, ingestor: Ingestor, upload: UploadFile, options: IngestOptions
) -> uploads.UploadRow:
    """Keep a contributor's file as a proposal; a secretariat ingests it on approval."""
    tools = tools_for(request)
    limit_mb = ingestor.settings.max_upload_mb
    name = clean_filename(upload.filename)
    try:
        data = await read_upload(upload, limit_mb)
    except InvalidInput as error:
        reason, detail = uploads.explain(
            tools.gettext, error.message, upload.filename or "", limit_mb
        )
        return uploads.UploadRow(name, "error", reason=reason, detail=detail)
    await run_in_threadpool(
        proposals.propose_document, ingestor.database, options.actor, data, name, options
    )
    return uploads.UploadRow(name, "proposed")
