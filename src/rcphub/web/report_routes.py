"""The synthesis report page: choose a framework, processes, years and a language; see the
report in the page; download it as HTML, Markdown, DOCX or PDF.

A choice the hub cannot accept (an unknown process, the first year after the last) is said
on the form itself, with the status of the error, rather than on an error page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from rcphub import registry, urls
from rcphub.config import LANGUAGES
from rcphub.dependencies import get_session
from rcphub.errors import InvalidInput, RcphubError
from rcphub.headers import content_disposition
from rcphub.reports import FORMATS, FRAMEWORKS, SynthesisQuery, render_report, report_filename
from rcphub.reports.html import render_body, stylesheet
from rcphub.security import current_principal
from rcphub.web.pages import blank_to_none, renderer, sorted_processes, tools_for
from rcphub.wording.report import synthesis_document

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
Text = Annotated[str | None, Query(max_length=100)]
Processes = Annotated[list[str], Query(max_length=100)]


def parse_year(value: str | None, what: str) -> int | None:
    value = blank_to_none(value)
    if value is None:
        return None
    if not value.isdigit() or len(value) != 4:
        raise InvalidInput(f"{what} must be a year such as 2013 (got {value[:20]!r})")
    return int(value)


def build_query(
    framework: str | None,
    process: list[str],
    year_from: str | None,
    year_to: str | None,
    report_lang: str | None,
    default_lang: str,
) -> SynthesisQuery:
    framework = blank_to_none(framework)
    if framework is None:
        raise InvalidInput(f"choose a framework: {', '.join(FRAMEWORKS)}")
    lang = blank_to_none(report_lang) or default_lang
    if lang not in LANGUAGES:
        raise InvalidInput(f"lang must be one of: {', '.join(LANGUAGES)} (got {lang[:20]!r})")
    return SynthesisQuery(
        framework=framework,
        processes=[p for p in (blank_to_none(p) for p in process) if p],
        year_from=parse_year(year_from, "from"),
        year_to=parse_year(year_to, "to"),
        lang=lang,
    )


@router.get("/reports/synthesis")
def synthesis_page(
    request: Request,
    session: SessionDep,
    framework: Text = None,
    process: Processes = [],  # noqa: B006 (FastAPI reads the default, never mutates it)
    year_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    year_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    report_lang: Text = None,
) -> Response:
    tools = tools_for(request)
    selected = {
        "framework": blank_to_none(framework),
        "processes": process,
        "from": blank_to_none(year_from) or "",
        "to": blank_to_none(year_to) or "",
        "report_lang": blank_to_none(report_lang) or tools.lang,
    }
    report = error = None
    status = 200
    downloads: list[tuple[str, str]] = []
    if selected["framework"] is not None:
        try:
            query = build_query(framework, process, year_from, year_to, report_lang, tools.lang)
            report = synthesis_document(session, query, viewer=current_principal(request))
            params = [("framework", query.framework)]
            params += [("process", p) for p in query.processes]
            params += [
                (k, str(v)) for k, v in (("from", query.year_from), ("to", query.year_to)) if v
            ]
            params.append(("report_lang", query.lang))
            downloads = [
                (fmt, urls.synthesis_download(query=[*params, ("format", fmt)])) for fmt in FORMATS
            ]
        except RcphubError as exc:
            error, status = exc.message, exc.http_status
    processes = [p for p in registry.list_processes(session) if not p.listed_only]
    return renderer(request).render(
        request,
        "report_synthesis.html",
        {
            "frameworks": FRAMEWORKS,
            "processes": sorted_processes(tools, processes),
            "languages": LANGUAGES,
            "selected": selected,
            "error": error,
            "report": report,
            "report_body": render_body(report) if report else None,
            "downloads": downloads,
        },
        status=status,
        section="reports",
    )


@router.get("/reports/synthesis.css")
def synthesis_stylesheet() -> Response:
    """The report's own styles for the preview: a file, not a ``<style>`` element, which the
    hub's Content-Security-Policy (``style-src 'self'``) would block."""
    return Response(
        stylesheet(),
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.get("/reports/synthesis/download")
def synthesis_download(
    request: Request,
    session: SessionDep,
    framework: Text = None,
    process: Processes = [],  # noqa: B006
    year_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    year_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    report_lang: Text = None,
    format: Text = "pdf",
) -> Response:
    fmt = blank_to_none(format) or "pdf"
    if fmt not in FORMATS:
        raise InvalidInput(f"format must be one of: {', '.join(FORMATS)}")
    query = build_query(
        framework, process, year_from, year_to, report_lang, tools_for(request).lang
    )
    base = str(request.base_url).rstrip("/")
    report = synthesis_document(session, query, base_url=base, viewer=current_principal(request))
    return Response(
        render_report(report, fmt),
        media_type=FORMATS[fmt],
        headers={"Content-Disposition": content_disposition(report_filename(query, fmt))},
    )
