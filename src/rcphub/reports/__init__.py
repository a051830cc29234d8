"""Synthesis reports: for a framework (HLD 2013 round tables, GCM objectives, SDG targets),
what each process said and recommended on each theme, every statement cited to its paragraph.

::

    service     the facts: documents, tagged passages, tracked items   (service.py)
    schemas     the facts, and the report worded in one language        (schemas.py)
    writers     HTML (standalone), Markdown, DOCX, PDF                  (html.py, markdown.py,
                                                                          docx.py, pdf.py)

The wording (headings, citations in the report language) is done with the interface
catalogues by :func:`rcphub.wording.report.synthesis_document`, which the CLI, the API and
the report page call; the writers here render a :class:`ReportDocument` as it stands.
"""

from rcphub.reports.schemas import (
    FORMATS,
    FRAMEWORKS,
    Quote,
    RecommendationLine,
    ReportDocument,
    SynthesisContent,
    SynthesisQuery,
    ThemeSection,
    VoiceSection,
)
from rcphub.reports.service import check_query, synthesis_content
from rcphub.reports.writers import render_report, report_filename

__all__ = [
    "FORMATS",
    "FRAMEWORKS",
    "Quote",
    "RecommendationLine",
    "ReportDocument",
    "SynthesisContent",
    "SynthesisQuery",
    "ThemeSection",
    "VoiceSection",
    "check_query",
    "render_report",
    "report_filename",
    "synthesis_content",
]
