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
from rcphub.accounts.policy import Action, Principal, processes_for
from rcphub.dependencies import get_ingestor
from rcphub.documents import IngestOptions, Ingestor, get_document, submission
from rcphub.documents.schemas import DocumentDetail, DocumentSummary
from rcphub.errors import Forbidden, InvalidInput, NotFound, RcphubError, Unauthenticated
from rcphub.followup import preview_detection
from rcphub.followup.schemas import CandidateOut
from rcphub.security import current_principal
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
            "max_files": submission.MAX_FILES,
            "accept": ",".join(submission.ACCEPTED_SUFFIXES),
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
    """Read the form, ask :func:`rcphub.documents.submission.admit`, and submit each file;
    a refusal of the whole upload becomes an :class:`~rcphub.web.uploads.UploadProblem` in
    the page's language."""
    _ = tools_for(request).gettext
    ingestor = get_ingestor(request)
    # the whole request is bounded (submission.request_limit) before it is read: rcphub.bodylimit
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
            try:
                route = await run_in_threadpool(submission.admit, ingestor, options, len(files))
            except (InvalidInput, NotFound, Forbidden, Unauthenticated) as refused:
                raise uploads.UploadProblem(
                    _problem(request, refused, options), _status(refused)
                ) from refused
            if route is submission.Route.INGEST:
                await run_in_threadpool(uploads.wait_for_warm_up, request.app.state)
            return [
                await _submit_one(request, ingestor, upload, options, route) for upload in files
            ]
    except StarletteHTTPException as error:  # a request the form parser cannot read
        raise uploads.UploadProblem(
            _("The upload could not be read. Please try again."), 400
        ) from error


def _choices(values: list[Any]) -> list[str]:
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _problem(request: Request, refused: RcphubError, options: IngestOptions) -> str:
    """A refusal of the whole upload (:func:`rcphub.documents.submission.admit`), in the
    page's language."""
    _ = tools_for(request).gettext
    if isinstance(refused, submission.NoFiles):
        return _("Choose at least one file to upload.")
    if isinstance(refused, submission.TooManyFiles):
        return _("Send at most %(num)s files at a time.") % {"num": submission.MAX_FILES}
    if isinstance(refused, submission.ProposalNotPublic):
        return _("A proposal is public; ask a secretariat to add a restricted document.")
    if isinstance(refused, Forbidden | Unauthenticated):
        if options.processes:
            return _("Your account may not file documents under this process.")
        return _("Choose the process to file the documents under.")
    if isinstance(refused, NotFound):
        message = (
            _("There is no meeting with the ID “%(id)s”.")
            if refused.kind == "meeting"
            else _("There is no process or organisation with the ID “%(id)s”.")
        )
        return message % {"id": refused.ident[:100]}
    # restricted, filed under no process (the form sends no other visibility)
    return _("Choose the process to file a restricted document under.")


def _status(refused: RcphubError) -> int:
    """The page shows the form again: 422 for what the form says, 403 for who sends it."""
    return 403 if isinstance(refused, Forbidden | Unauthenticated) else 422


async def _submit_one(
    request: Request,
    ingestor: Ingestor,
    upload: UploadFile,
    options: IngestOptions,
    route: submission.Route,
) -> uploads.UploadRow:
    tools = tools_for(request)
    result = await run_in_threadpool(
        submission.submit_file, ingestor, options, route, upload.filename, upload.file
    )
    if result.status == "error":
        reason, detail = uploads.explain(
            tools.gettext, result.error or "", result.filename, ingestor.settings.max_upload_mb
        )
        return uploads.UploadRow(result.filename, "error", reason=reason, detail=detail)
    if result.status == "proposed":
        return uploads.UploadRow(result.filename, "proposed")
    document_id = result.document_id

    def summary() -> tuple[DocumentSummary, list[CandidateOut]]:
        with ingestor.database.session() as session:
            document = get_document(session, document_id, options.actor)
            found = preview_detection(session, document_id, options.actor)
            return document, found

    document, found = await run_in_threadpool(summary)
    return uploads.UploadRow(
        result.filename, result.status, document=document, can_file=True, recommendations=found
    )
