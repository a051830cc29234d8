"""What every reader shares: the :class:`Reader` protocol, the scores a reader gives a file,
and :func:`build_raw_document`, which turns a reader's blocks into a :class:`RawDocument`.

The readers import this module, never :mod:`..registry` (which chooses among them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ..errors import DocumentReadError
from ..model import Block, RawDocument
from ..normalize import normalize_text

SCORE_EXTENSION = 10
SCORE_MAGIC = 20


class Reader(Protocol):
    """Reads one family of formats into a :class:`RawDocument`.

    ``score`` returns 0 when the reader cannot handle the file, :data:`SCORE_EXTENSION` when
    the extension matches and :data:`SCORE_MAGIC` (or more) when the content is recognised.
    ``read`` raises :class:`DocumentReadError` for anything it cannot read; any other
    exception is a bug, but is still turned into a :class:`DocumentReadError` by
    :func:`read_document`.
    """

    name: str

    def score(self, extension: str, head: bytes) -> int: ...

    def read(self, data: bytes, filename: str, *, max_pages: int) -> RawDocument: ...


def build_raw_document(
    blocks: list[Block],
    *,
    source_format: str,
    filename: str,
    encoding: str | None = None,
    page_count: int | None = None,
    warnings: list[str] | None = None,
    normalize: Callable[[str], str] = normalize_text,
) -> RawDocument:
    """Normalise block text, drop empty blocks, and join the text; refuses a file with no text."""
    clean: list[Block] = []
    for block in blocks:
        if block.kind == "page-break":
            if clean and clean[-1].kind != "page-break":
                clean.append(block)
            continue
        text = normalize(block.text).strip()
        if not text:
            continue
        clean.append(block if text == block.text else _with_text(block, text))
    while clean and clean[-1].kind == "page-break":
        clean.pop()
    if not any(block.kind != "page-break" for block in clean):
        raise DocumentReadError(filename, "the document contains no text")
    parts: list[str] = []
    for block in clean:
        if block.kind == "page-break":
            parts.append("\f")
        else:
            parts.append(block.text)
    text = "\n\n".join(parts).replace("\n\n\f\n\n", "\n\f\n")
    return RawDocument(
        text=text,
        blocks=clean,
        source_format=source_format,
        filename=filename,
        encoding=encoding,
        page_count=page_count,
        warnings=list(warnings or []),
    )


def _with_text(block: Block, text: str) -> Block:
    return Block(
        kind=block.kind,
        text=text,
        level=block.level,
        style=block.style,
        footnote_id=block.footnote_id,
        page=block.page,
    )
