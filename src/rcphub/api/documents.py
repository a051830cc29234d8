"""JSON routes of documents under /api/v1: thin, over :mod:`rcphub.documents`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from sqlalchemy.orm import Session

from rcphub.dependencies import get_ingestor, get_session
from rcphub.documents import service
from rcphub.documents.ingest import IngestOptions
from rcphub.errors import InvalidInput

router = APIRouter(tags=["documents"])
SessionDep = Annotated[Session, Depends(get_session)]


async def read_upload(upload: UploadFile, limit_mb: int) -> bytes:
    """Read an upload, refusing it as soon as it passes the size limit."""
    limit = limit_mb * 1024 * 1024
    chunks, size = [], 0
    while chunk := await upload.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise InvalidInput(f"{upload.filename}: the file is over the {limit_mb} MB limit")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/documents", summary="Upload and ingest documents", status_code=201)
async def upload_documents(
    request: Request,
    files: Annotated[list[UploadFile], File(description="One or more document files")],
    process: Annotated[list[str] | None, Form(description="Process IDs to link")] = None,
    meeting: Annotated[list[str] | None, Form(description="Meeting IDs to link")] = None,
) -> dict[str, Any]:
    from starlette.concurrency import run_in_threadpool

    ingestor = get_ingestor(request)
    options = IngestOptions(processes=list(process or []), meetings=list(meeting or []))
    await run_in_threadpool(ingestor.check_options, options)
    outcomes = []
    for upload in files:
        data = await read_upload(upload, ingestor.settings.max_upload_mb)
        name = (upload.filename or "upload").rsplit("/", 1)[-1][:200]
        outcomes.append(await run_in_threadpool(ingestor.ingest_bytes, data, name, options))
    with request.app.state.database.session() as session:
        return service.ingest_report(session, outcomes).model_dump(mode="json")


@router.get("/documents", summary="Documents")
def documents(
    session: SessionDep,
    language: Annotated[str | None, Query(pattern="^(en|fr|es|ru|ar|zh|und)$")] = None,
    type: Annotated[str | None, Query(max_length=40)] = None,
    process: Annotated[str | None, Query(max_length=100)] = None,
    mentions: Annotated[str | None, Query(max_length=100, description="e.g. state:PER")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    total, found = service.list_documents(
        session,
        language=language,
        doc_type=type,
        link=f"process:{process}" if process else None,
        mentions=mentions,
        limit=limit,
        offset=offset,
    )
    return {"total": total, "documents": [d.model_dump(mode="json") for d in found]}


@router.get("/documents/{document_id}", summary="One document with passages and mentions")
def document(document_id: str, session: SessionDep) -> dict[str, Any]:
    return service.get_document(session, document_id).model_dump(mode="json")


@router.post("/documents/{document_id}/versions", summary="Link another language version")
def link_version(
    document_id: str, session: SessionDep, other: Annotated[str, Form(max_length=64)]
) -> dict[str, Any]:
    return service.link_versions(session, document_id, other).model_dump(mode="json")
