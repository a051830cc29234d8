"""One entry point for every format: :func:`render_report` → bytes, and a file name."""

from __future__ import annotations

from rcphub.errors import InvalidInput
from rcphub.reports.schemas import FORMATS, ReportDocument, SynthesisQuery


def render_report(doc: ReportDocument, fmt: str) -> bytes:
    if fmt == "html":
        from rcphub.reports.html import render_html

        return render_html(doc).encode("utf-8")
    if fmt == "md":
        from rcphub.reports.markdown import render_markdown

        return render_markdown(doc).encode("utf-8")
    if fmt == "docx":
        from rcphub.reports.docx import render_docx

        return render_docx(doc)
    if fmt == "pdf":
        from rcphub.reports.pdf import render_pdf

        return render_pdf(doc)
    raise InvalidInput(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def report_filename(query: SynthesisQuery, fmt: str) -> str:
    """``synthesis-hld2013-2013-en.pdf``."""
    parts = ["synthesis", query.framework]
    if query.processes:
        parts.append("-".join(query.processes)[:60])
    if query.year_from or query.year_to:
        years = {query.year_from, query.year_to} - {None}
        parts.append("-".join(str(y) for y in sorted(years)))
    parts.append(query.lang)
    return "-".join(parts) + "." + fmt
