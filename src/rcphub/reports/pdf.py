"""The report as PDF, laid out by WeasyPrint from the standalone HTML with the print
stylesheet: A4, numbered pages, Noto fonts for the six scripts (from the system: Debian's
fonts-noto-core and fonts-noto-cjk; nothing is downloaded), right to left for Arabic."""

from __future__ import annotations

import logging

from rcphub.reports.html import render_html
from rcphub.reports.schemas import ReportDocument


def render_pdf(doc: ReportDocument) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango at import

    # WeasyPrint logs every CSS property it does not know at WARNING; none of ours matter
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_html(doc, for_print=True)
    return HTML(string=html, base_url=None).write_pdf(
        pdf_identifier=b"rcphub-synthesis", uncompressed_pdf=False
    )
