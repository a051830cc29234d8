"""The built-in readers: plain text and Markdown, HTML, DOCX, PDF."""

from __future__ import annotations

from .base import Reader


def builtin_readers() -> list[Reader]:
    from .docx import DocxReader
    from .html import HtmlReader
    from .pdf import PdfReader
    from .plain import PlainTextReader

    return [PdfReader(), DocxReader(), HtmlReader(), PlainTextReader()]
