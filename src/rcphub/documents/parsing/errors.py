"""The one error a reader lets out.

:class:`DocumentReadError` sits under :class:`rcphub.errors.InvalidInput` (HTTP 422, CLI exit 2),
so the edges already know how to show it. Its message is for people and names the file::

    report.pdf: this PDF has no text layer (scanned images?); OCR is not supported
"""

from __future__ import annotations

from rcphub.errors import InvalidInput


class DocumentReadError(InvalidInput):
    """A file that cannot be read as a document: corrupt, empty, encrypted, unsupported,
    too large, a zip bomb, or without text."""

    code = "document_unreadable"

    def __init__(self, filename: str, problem: str) -> None:
        self.filename = filename
        self.problem = problem
        super().__init__(f"{filename}: {problem}" if filename else problem)
