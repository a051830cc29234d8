"""JSON route of synthesis reports under /api/v1: the report's content as JSON, or a file."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from rcphub.dependencies import get_session
from rcphub.errors import InvalidInput
from rcphub.headers import content_disposition
from rcphub.reports import FORMATS, FRAMEWORKS, SynthesisQuery, render_report, report_filename
from rcphub.security import CurrentPrincipal
from rcphub.wording.report import synthesis_document

router = APIRouter(tags=["reports"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


@router.get(
    "/reports/synthesis",
    summary="A synthesis report: per theme, what each process said and recommended, cited",
)
def synthesis(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    framework: Annotated[str, Query(description=" | ".join(FRAMEWORKS), max_length=20)],
    process: Annotated[
        list[str], Query(description="Only these processes (repeat the parameter)")
    ] = [],  # noqa: B006 (FastAPI reads the default, never mutates it)
    year_from: Annotated[int | None, Query(alias="from", ge=1945, le=2100)] = None,
    year_to: Annotated[int | None, Query(alias="to", ge=1945, le=2100)] = None,
    lang: Annotated[str, Query(description="en fr es ru ar zh", max_length=5)] = "en",
    format: Annotated[str, Query(description="json, html, md, docx or pdf")] = "json",
) -> Any:
    if format != "json" and format not in FORMATS:
        raise InvalidInput(f"format must be json or one of: {', '.join(FORMATS)}")
    query = SynthesisQuery(
        framework=framework,
        processes=process,
        year_from=year_from,
        year_to=year_to,
        lang=lang,
    )
    report = synthesis_document(
        session, query, base_url=str(request.base_url).rstrip("/"), viewer=principal
    )
    if format == "json":
        return report.model_dump(mode="json")
    return Response(
        render_report(report, format),
        media_type=FORMATS[format],
        headers={"Content-Disposition": content_disposition(report_filename(query, format))},
    )
