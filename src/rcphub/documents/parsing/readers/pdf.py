"""PDF with pypdf: the text layer, laid out again from positioned text chunks.

pypdf's ``extract_text(visitor_text=...)`` reports each chunk of text with its position and
font size. From those this reader rebuilds:

* lines (chunks on one baseline), with superscript chunks (smaller, on or above the
  baseline, that read like a footnote mark: "1", "*", "†") turned into ``[^1]`` markers;
* footnote blocks: lines in the lower half of a page set smaller than the body text, each
  starting at a mark;
* paragraphs: a new block at a label ("8.", "(a)", "а)"), after a vertical gap larger than
  the usual line spacing, and around larger or all-bold lines, which are headings;
* a page-break block after every page; repeated running headers/footers (the same line,
  digits aside, at the top or bottom of most pages) and bare page numbers are dropped.

Arabic lines are repaired with :func:`..normalize.repair_arabic_line` (presentation forms to
letters; visual order back to logical order). pypdf reverses each run of right-to-left
characters it meets, on the assumption that they are stored in visual order, but leaves the
digits and Latin between them where they were, which scrambles mixed lines; so the reader
first undoes that per-chunk reversal to get the stored order back, then repairs whole lines
with its own, consistent, visual-to-logical pass. Hyphens at line ends are left for the parser,
which joins "Dia-" + "logue" using the document's own vocabulary.

Refused with :class:`DocumentReadError`: damaged files, password-protected files (an empty
user password is tried first), more than ``max_pages`` pages, no text layer at all, and
documents that take longer than :data:`TIME_BUDGET_S` to extract.

pypdf's own Python warnings are recorded as reader warnings (``warnings.catch_warnings``,
which is process-wide: parallel ingest should use processes, not threads, for PDF).
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

from ..errors import DocumentReadError
from ..labels import parse_label
from ..model import Block, RawDocument
from ..normalize import normalize_text, repair_arabic_line
from .base import SCORE_EXTENSION, SCORE_MAGIC, build_raw_document

TIME_BUDGET_S = 120.0

# pypdf reports damaged files through the "pypdf" logger; rcphub turns them into a
# DocumentReadError or a reader warning, so without logging configured they should not reach
# stderr (the NullHandler keeps Python's last-resort handler quiet; configured logging still
# receives them).
logging.getLogger("pypdf").addHandler(logging.NullHandler())
_MARK = re.compile(r"^\s*(\d{1,3}|\*{1,3}|[†‡])\s*$")
_FOOTNOTE_LINE = re.compile(r"^\s*(?:\[\^([^\]]+)\]|(\d{1,3}|\*{1,3}|[†‡])(?=\s))\s*")
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*-)?\s*$")
_DIGITS = re.compile(r"\d+")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")
_LTR_STRONG = re.compile("[A-Za-z0-9\u00c0-\u024f\u0400-\u04ff\u4e00-\u9fff]")


@dataclass(slots=True)
class _Chunk:
    text: str
    x: float
    y: float
    size: float
    bold: bool


@dataclass(slots=True)
class _Line:
    chunks: list[_Chunk] = field(default_factory=list)
    text: str = ""
    y: float = 0.0
    size: float = 0.0
    bold: bool = False


class PdfReader:
    """Reader for .pdf (and PDF content under any name)."""

    name = "pdf"

    def score(self, extension: str, head: bytes) -> int:
        if b"%PDF-" in head[:1024]:
            return SCORE_MAGIC
        return SCORE_EXTENSION if extension == "pdf" else 0

    def read(self, data: bytes, filename: str, *, max_pages: int) -> RawDocument:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            pages, page_count, notes = _extract(data, filename, max_pages)
        notes.extend(sorted({f"pdf: {warning.message}" for warning in caught})[:20])
        blocks = _layout(pages, notes)
        if not any(block.kind != "page-break" for block in blocks):
            raise DocumentReadError(
                filename, "this PDF has no text layer (scanned images?); OCR is not supported"
            )
        return build_raw_document(
            blocks, source_format="pdf", filename=filename, page_count=page_count, warnings=notes
        )


def _extract(
    data: bytes, filename: str, max_pages: int
) -> tuple[list[list[_Line]], int, list[str]]:
    from pypdf import PdfReader as PypdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    notes: list[str] = []
    try:
        reader = PypdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as error:
                raise DocumentReadError(
                    filename, "this PDF is encrypted with a method rcphub cannot open"
                ) from error
            if not opened:
                raise DocumentReadError(
                    filename, "this PDF is password-protected; save an unprotected copy first"
                )
        page_count = len(reader.pages)
    except DocumentReadError:
        raise
    except (PdfReadError, FileNotDecryptedError) as error:
        raise DocumentReadError(filename, "this PDF is damaged and cannot be read") from error
    if page_count == 0:
        raise DocumentReadError(filename, "this PDF has no pages")
    if page_count > max_pages:
        raise DocumentReadError(
            filename, f"this PDF has {page_count} pages; the limit is {max_pages}"
        )
    started = time.monotonic()
    pages: list[list[_Line]] = []
    for number, page in enumerate(reader.pages, start=1):
        if time.monotonic() - started > TIME_BUDGET_S:
            raise DocumentReadError(
                filename, f"reading this PDF took too long (stopped at page {number})"
            )
        chunks: list[_Chunk] = []
        direction = {"rtl": False}  # pypdf's run direction, which carries over between chunks

        def visit(
            text: str,
            cm: Any,
            tm: Any,
            font: Any,
            size: float,
            sink: list[_Chunk] = chunks,
            mode: dict[str, bool] = direction,
        ) -> None:
            if not text:
                return
            if _RTL.search(text):
                mode["rtl"] = True
            elif _LTR_STRONG.search(text):
                mode["rtl"] = False
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
            base = str(font.get("/BaseFont", "")) if hasattr(font, "get") else ""
            if mode["rtl"] and not _LTR_STRONG.search(text):
                text = text[::-1]  # undo pypdf's run reversal: back to the stored (visual) order
            sink.append(_Chunk(text, float(x), float(y), float(size) * scale, "Bold" in base))

        try:
            page.extract_text(visitor_text=visit)
        except DocumentReadError:
            raise
        except Exception as error:  # pypdf raises many types on damaged content streams
            raise DocumentReadError(filename, f"page {number} of this PDF is damaged") from error
        lines = _lines(chunks)
        if not lines:
            notes.append(f"page {number} has no text")
        pages.append(lines)
    return pages, page_count, notes


def _lines(chunks: list[_Chunk]) -> list[_Line]:
    lines: list[_Line] = []
    current: _Line | None = None
    for chunk in chunks:
        if current is not None:
            tolerance = 0.5 * max(chunk.size, current.size)
            rise = chunk.y - current.y
            superscript = (
                chunk.size < 0.8 * current.size and -0.2 * current.size <= rise < current.size
            )
            if abs(rise) <= tolerance or superscript:
                current.chunks.append(chunk)
                if not superscript:
                    current.size = max(current.size, chunk.size)
                continue
        current = _Line(chunks=[chunk], y=chunk.y, size=chunk.size)
        lines.append(current)
    for line in lines:
        _finish(line)
    return [line for line in lines if line.text]


def _width(text: str, size: float) -> float:
    return sum(size * (1.0 if ord(char) > 0x2E80 else 0.5) for char in text)


def _finish(line: _Line) -> None:
    main = max(line.chunks, key=lambda c: len(c.text.strip())).size
    line.size = main
    parts: list[str] = []
    previous: _Chunk | None = None
    bold = total = 0
    for chunk in line.chunks:
        text = chunk.text.replace("\n", " ")
        is_mark = chunk.size < 0.8 * main and _MARK.match(text)
        if is_mark:
            parts.append(f"[^{text.strip()}]")
            previous = chunk
            continue
        if (
            previous is not None
            and parts
            and not parts[-1].endswith(" ")
            and not text.startswith(" ")
        ):
            gap = chunk.x - (previous.x + _width(previous.text, previous.size))
            if gap > 0.3 * chunk.size:
                parts.append(" ")
        parts.append(text)
        total += len(text.strip())
        bold += len(text.strip()) if chunk.bold else 0
        previous = chunk
    # Repair before normalising: the presentation forms tell visual from logical order, and
    # a lam-alef ligature must be unfolded after the line is put in logical order.
    line.text = normalize_text(repair_arabic_line("".join(parts))).strip()
    line.bold = total > 0 and bold >= 0.9 * total


def _running_lines(pages: list[list[_Line]]) -> set[str]:
    """Text (digits masked) of lines repeated at the top or bottom of most pages."""
    if len(pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for lines in pages:
        seen = set()
        edge = 2 if len(lines) >= 6 else 1
        for line in lines[:edge] + lines[-edge:]:
            key = _DIGITS.sub("#", line.text)
            if key not in seen:
                seen.add(key)
                counts[key] = counts.get(key, 0) + 1
    return {key for key, count in counts.items() if count >= max(3, len(pages) // 2)}


def _layout(pages: list[list[_Line]], notes: list[str]) -> list[Block]:
    sizes: dict[float, int] = {}
    for lines in pages:
        for line in lines:
            sizes[round(line.size, 1)] = sizes.get(round(line.size, 1), 0) + len(line.text)
    if not sizes:
        return []
    body = max(sizes.items(), key=lambda item: item[1])[0]
    running = _running_lines(pages)
    removed = 0
    blocks: list[Block] = []
    for number, lines in enumerate(pages, start=1):
        kept: list[_Line] = []
        reach = 2 if len(lines) >= 6 else 1
        for position, line in enumerate(lines):
            edge = position < reach or position >= len(lines) - reach
            if edge and (_DIGITS.sub("#", line.text) in running or _PAGE_NUMBER.match(line.text)):
                removed += 1
                continue
            kept.append(line)
        blocks.extend(_page_blocks(kept, body, number))
        blocks.append(Block("page-break", page=number))
    if removed:
        notes.append(f"{removed} running header/footer lines and page numbers removed")
    return blocks


def _page_blocks(lines: list[_Line], body: float, page: int) -> list[Block]:
    blocks: list[Block] = []
    if not lines:
        return blocks
    gaps = [
        a.y - b.y
        for a, b in itertools.pairwise(lines)
        if abs(a.size - b.size) < 0.5 and 0 < a.y - b.y < 3 * a.size
    ]
    # The usual distance between lines of one paragraph: a low quantile, since documents of
    # one-line paragraphs would otherwise make the paragraph gap look "usual".
    spacing = min(sorted(gaps)[len(gaps) // 4] if gaps else 1.2 * body, 1.4 * body)
    low = min(line.y for line in lines)
    high = max(line.y for line in lines)
    middle = low + (high - low) / 2 if high > low else high
    current: list[str] = []
    kind = "paragraph"
    footnote_id: str | None = None
    in_footnotes = False
    previous: _Line | None = None

    def close() -> None:
        nonlocal current
        if current:
            blocks.append(
                Block(kind, "\n".join(current), footnote_id=footnote_id, page=page,
                      style="bold" if kind == "heading" else None)
            )  # fmt: skip
        current = []

    for line in lines:
        text = line.text
        small = line.size < 0.9 * body
        mark = None
        if small:
            match = _FOOTNOTE_LINE.match(text)
            if match:
                mark = match.group(1) or match.group(2)
                text = text[match.end() :]
        if small and mark is not None and (in_footnotes or line.y <= middle):
            close()
            in_footnotes = True
            kind, footnote_id = "footnote", mark
            current.append(text)
            previous = line
            continue
        if in_footnotes and small:
            current.append(text)
            previous = line
            continue
        heading = line.size >= 1.15 * body or (line.bold and len(text) < 200)
        new_kind = "heading" if heading else "paragraph"
        gap = (previous.y - line.y) if previous is not None else 0.0
        starts_new = (
            not current
            or new_kind != kind
            or kind == "footnote"
            or gap > 1.3 * spacing
            or (new_kind == "paragraph" and parse_label(text) is not None)
        )
        if starts_new:
            close()
            kind, footnote_id = new_kind, None
            in_footnotes = False
        current.append(text)
        previous = line
    close()
    return blocks
