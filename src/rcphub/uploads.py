"""What the upload page and ``POST /api/v1/documents`` share: how many files one upload may
carry, reading a file against the size limit, and the name kept for it.

:mod:`rcphub.security` reads :data:`MAX_FILES` to refuse a request larger than any upload
before reading it.
"""

from __future__ import annotations

import unicodedata
from typing import Protocol

from rcphub.errors import TooLarge

MAX_FILES = 20
"""Files one upload may carry."""


class Upload(Protocol):
    """A file of a multipart form (``starlette.datastructures.UploadFile``)."""

    filename: str | None

    async def read(self, size: int = -1) -> bytes: ...


async def read_upload(upload: Upload, limit_mb: int) -> bytes:
    """Read an upload, refusing it as soon as it passes the size limit."""
    limit = limit_mb * 1024 * 1024
    chunks, size = [], 0
    while chunk := await upload.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"{upload.filename}: the file is over the {limit_mb} MB limit")
        chunks.append(chunk)
    return b"".join(chunks)


def clean_filename(raw: str | None) -> str:
    """The name to keep for an uploaded file: its last path part, without control
    characters, at most 200 characters; "upload" when nothing is left."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:200] or "upload"
