"""Choosing a reader for a file, and the one entry point that never lets a traceback out.

Each reader implements the small :class:`Reader` protocol. :func:`read_document` asks every
registered reader for a score from the file name and the first bytes (magic bytes beat the
extension: a PDF called ``summary.txt`` is read as a PDF) and hands the file to the best one.
Whatever goes wrong inside a reader comes out as :class:`DocumentReadError`.
"""

from __future__ import annotations

import logging
import threading
from pathlib import PurePath

from .errors import DocumentReadError
from .model import RawDocument
from .readers.base import Reader

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 100 * 1024 * 1024
"""Files larger than this are refused before any parsing."""

_READERS: list[Reader] = []
_LOCK = threading.Lock()

_FOREIGN_MAGIC = (
    (b"\xd0\xcf\x11\xe0", "an old binary Office file (.doc/.xls); save it as .docx first"),
    (b"{\\rtf", "an RTF file; save it as .docx or PDF first"),
    (b"\x89PNG", "an image; OCR is not supported"),
    (b"\xff\xd8\xff", "an image; OCR is not supported"),
    (b"GIF8", "an image; OCR is not supported"),
    (b"II*\x00", "an image; OCR is not supported"),
    (b"MM\x00*", "an image; OCR is not supported"),
    (b"\x1f\x8b", "a gzip archive, not a document"),
)


def register_reader(reader: Reader) -> Reader:
    """Add a reader (later registrations win ties)."""
    readers()
    with _LOCK:
        _READERS.insert(0, reader)
    return reader


def readers() -> list[Reader]:
    """The registered readers, built-in ones included."""
    with _LOCK:
        if not _READERS:
            from .readers import builtin_readers

            _READERS.extend(builtin_readers())
        return list(_READERS)


def extension_of(filename: str) -> str:
    return PurePath(filename).suffix.lower().lstrip(".")


def choose_reader(filename: str, head: bytes) -> Reader:
    """The best-scoring reader for this file, or :class:`DocumentReadError`."""
    extension = extension_of(filename)
    scored = [
        (reader.score(extension, head), index, reader) for index, reader in enumerate(readers())
    ]
    best = max(scored, key=lambda item: (item[0], -item[1]), default=None)
    if best is None or best[0] <= 0:
        for magic, what in _FOREIGN_MAGIC:
            if head.startswith(magic):
                raise DocumentReadError(filename, f"this is {what}")
        shown = f".{extension}" if extension else "without an extension"
        raise DocumentReadError(
            filename,
            f"unsupported file type ({shown}); rcphub reads .txt, .md, .html, .docx and .pdf",
        )
    return best[2]


def read_document(data: bytes, filename: str, *, max_pages: int = 500) -> RawDocument:
    """Read a file's bytes into a :class:`RawDocument`.

    ``filename`` chooses the reader together with the content and names the file in error
    messages. ``max_pages`` bounds paged formats. Raises :class:`DocumentReadError` and
    nothing else.
    """
    filename = str(filename or "")
    label = PurePath(filename).name or "document"
    if isinstance(data, bytearray | memoryview):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise DocumentReadError(label, "expected the file's bytes")
    if not data:
        raise DocumentReadError(label, "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise DocumentReadError(
            label,
            f"the file is too large ({len(data) // 2**20} MB; the limit is "
            f"{MAX_FILE_BYTES // 2**20} MB)",
        )
    reader = choose_reader(label, data[:2048])
    try:
        return reader.read(data, label, max_pages=max_pages)
    except DocumentReadError:
        raise
    except RecursionError as error:
        raise DocumentReadError(label, "the file is nested too deeply to read") from error
    except MemoryError as error:
        raise DocumentReadError(label, "the file needs too much memory to read") from error
    except Exception as error:
        log.debug("reader %s failed on %s", reader.name, label, exc_info=True)
        raise DocumentReadError(
            label, f"this {reader.name.upper()} file is damaged or not what its name says"
        ) from error
