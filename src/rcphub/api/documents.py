"""JSON routes of documents under /api/v1: thin, over :mod:`rcphub.documents`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from rcphub.dependencies import get_ingestor, get_session
from rcphub.documents import candidates as candidate_service
from rcphub.documents import service, submission
from rcphub.documents.ingest import IngestOptions
from rcphub.documents.schemas import (
    CandidateList,
    DocumentList,
    IngestError,
    IngestReport,
    ProposalBatch,
)
from rcphub.errors import InvalidInput, TooLarge
from rcphub.security import CurrentPrincipal

router = APIRouter(tags=["documents"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


@router.post(
    "/documents",
    summary="Upload and ingest documents",
    status_code=201,
    response_model=IngestReport,
    responses={
        202: {"model": ProposalBatch, "description": "A contributor's files, kept as proposals"}
    },
    form_limits={"max_files": 100, "max_fields": 50},
)
async def upload_documents(
    request: Request,
    principal: CurrentPrincipal,
    files: Annotated[list[UploadFile], File(description="One or more document files")],
    process: Annotated[list[str] | None, Form(description="Process IDs to link")] = None,
    meeting: Annotated[list[str] | None, Form(description="Meeting IDs to link")] = None,
    visibility: Annotated[
        str, Form(description="public, or restricted to the processes' members")
    ] = "public",
) -> Any:
    """Needs a write token of a secretariat of every process given (or of an admin); a
    contributor's files become proposals (202) for a secretariat to approve (public ones
    only: a restricted file is added by a secretariat). At most 20 files; a file over the
    size limit, or one the hub cannot read, is listed in ``errors`` and the others are
    stored; when none could be, the answer is 422 (413: every file was over the limit)."""
    ingestor = get_ingestor(request)
    options = IngestOptions(
        processes=list(process or []),
        meetings=list(meeting or []),
        actor=principal,
        visibility=visibility,
    )
    route = await run_in_threadpool(submission.admit, ingestor, options, len(files))
    results = [
        await run_in_threadpool(
            submission.submit_file, ingestor, options, route, upload.filename, upload.file
        )
        for upload in files
    ]
    failed = [result for result in results if result.status == "error"]
    if route is submission.Route.PROPOSE:
        made = [result.proposal for result in results if result.proposal is not None]
        errors = [IngestError(path=r.path, error=r.error or "") for r in failed]
        proposed = ProposalBatch(proposals=made, errors=errors).model_dump(mode="json")
        return _stored_or_refused(proposed, bool(made), failed, 202)
    with request.app.state.database.session() as session:
        report = submission.submission_report(session, results, principal)
    # 201 when something was created; 200 when every file was stored already
    status = 201 if report.created else 200
    body = report.model_dump(mode="json")
    return _stored_or_refused(body, bool(report.documents), failed, status)


def _stored_or_refused(
    body: dict[str, Any], stored: bool, failed: list[submission.SubmittedFile], status: int
) -> JSONResponse:
    """The answer of an upload: ``status``, or an error when not one file could be stored
    (the errors say why): 413 when every file was over the size limit, else 422."""
    if stored:
        return JSONResponse(body, status_code=status)
    refused = TooLarge if all(result.too_large for result in failed) else InvalidInput
    message = "no file could be stored: " + "; ".join(r.error or r.filename for r in failed)
    return JSONResponse(
        {"error": {"code": refused.code, "message": message}, **body},
        status_code=refused.http_status,
    )


@router.get("/documents", summary="Documents")
def documents(
    session: SessionDep,
    principal: CurrentPrincipal,
    language: Annotated[str | None, Query(pattern="^(en|fr|es|ru|ar|zh|und)$")] = None,
    type: Annotated[str | None, Query(max_length=40)] = None,
    process: Annotated[str | None, Query(max_length=100)] = None,
    mentions: Annotated[str | None, Query(max_length=100, description="e.g. state:PER")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> DocumentList:
    total, found = service.list_documents(
        session,
        language=language,
        doc_type=type,
        link=f"process:{process}" if process else None,
        mentions=mentions,
        limit=limit,
        offset=offset,
        viewer=principal,
    )
    return DocumentList(total=total, documents=found)


@router.get("/documents/{document_id}", summary="One document with passages and mentions")
def document(document_id: str, session: SessionDep, principal: CurrentPrincipal) -> dict[str, Any]:
    """A restricted document is a 404 for whoever may not read it."""
    return service.get_document(session, document_id, principal).model_dump(mode="json")


@router.put("/documents/{document_id}/visibility", summary="Make a document public or restricted")
def set_visibility(
    document_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    visibility: Annotated[str, Form(description="public or restricted")],
) -> dict[str, Any]:
    """Needs a write token of a secretariat of every process the document is filed under, or
    an admin; recorded in the audit log."""
    return service.set_visibility(session, document_id, visibility, principal).model_dump(
        mode="json"
    )


@router.post("/documents/{document_id}/versions", summary="Link another language version")
def link_version(
    document_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    other: Annotated[str, Form(max_length=64)],
) -> dict[str, Any]:
    """Needs a write token of a secretariat of the processes of both documents, or an admin;
    recorded in the document's history."""
    from rcphub.editing import link_version as link

    return link(session, principal, document_id, other).model_dump(mode="json")


@router.post("/documents/{document_id}/links", summary="File a document under processes")
def file_document(
    document_id: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    target: Annotated[list[str], Form(description="process:<id> or meeting:<id>")],
) -> dict[str, Any]:
    """Confirm what the text suggests (``suggested_processes`` of the document): needs a write
    token of a secretariat of the document's processes and of each new one, or an admin."""
    return service.file_document(session, document_id, target, principal).model_dump(mode="json")


@router.get("/candidates", summary="Candidate bodies: what documents name and the registry lacks")
def candidates(
    session: SessionDep,
    principal: CurrentPrincipal,
    status: Annotated[str, Query(pattern="^(proposed|dismissed|all)$")] = "proposed",
) -> CandidateList:
    """Admins only: each body the stored documents name that the registry does not hold (the
    General Assembly, SADC, a ministry…), with the ways it is written and the documents that
    name it, most named first."""
    found = candidate_service.list_candidates(
        session, principal, status=None if status == "all" else status
    )
    return CandidateList(total=len(found), candidates=found)


@router.put("/candidates/{candidate_id}/status", summary="Dismiss or re-propose a candidate")
def candidate_status(
    candidate_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
    principal: CurrentPrincipal,
    status: Annotated[str, Form(description="proposed or dismissed")],
) -> dict[str, Any]:
    """Admins only; recorded in the audit log."""
    return candidate_service.set_candidate_status(
        session, principal, candidate_id, status
    ).model_dump(mode="json")
