"""Zip archives checked before anything opens them (DOCX is a zip).

A zip bomb is refused from the central directory alone, before a byte is inflated: too many
members, too much uncompressed data in total, or a large member compressed too well (a
gigabyte of zeros deflates ~1000:1). Python's :mod:`zipfile` stops reading a member at its
declared size, so declared sizes can be trusted as upper bounds.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import DocumentReadError

MAX_MEMBERS = 5000
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024


def open_checked_zip(data: bytes, filename: str, what: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip archive after the bomb checks; :class:`DocumentReadError` if it
    is not a zip or looks like a bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise DocumentReadError(
            filename, f"this is not a valid {what} file (damaged zip)"
        ) from error
    if len(members) > MAX_MEMBERS:
        raise DocumentReadError(filename, f"this {what} file has too many parts to be a document")
    total = sum(member.file_size for member in members)
    if total > MAX_TOTAL_BYTES:
        raise DocumentReadError(
            filename,
            f"this {what} file unpacks to {total // 2**20} MB, more than the "
            f"{MAX_TOTAL_BYTES // 2**20} MB allowed (a zip bomb?)",
        )
    for member in members:
        if member.file_size > RATIO_MIN_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise DocumentReadError(
                filename,
                f"this {what} file contains a part compressed "
                f"{member.file_size // max(member.compress_size, 1)}:1 "
                "(a zip bomb?)",
            )
    return archive
