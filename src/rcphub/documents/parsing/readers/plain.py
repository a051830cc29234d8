"""Plain text and Markdown (the same reader: outcome documents converted to text are usually
Markdown-ish, like the Lima summary).

What it understands, line by line:

* blank lines separate blocks; a line ``---`` / ``***`` / ``___`` on its own and a form feed
  are page breaks (``---`` right under a line of text is a setext heading instead);
* ``#`` headings and setext headings; a paragraph (or whole lines of one) in ``**bold**`` is a
  heading with style "bold";
* footnote bodies: a line that starts with ``<sup>1</sup>``, ``¹``, ``[^1]:``, ``\\*``, ``†``, or
  ``*`` once the text has used a ``*`` marker; they run to the next footnote or blank line;
* footnote markers: ``<sup>1</sup>``, superscript digits, ``\\*`` or ``*`` right after a word;
* bullets (``-``, ``+``, ``•``, ``*``) are list items; ``| a | b |`` lines are table rows;
* Markdown emphasis, links and simple inline HTML are stripped; backslash escapes undone.

Every source line break is kept as ``\\n`` in the block text; the parser decides what it means.
"""

from __future__ import annotations

import re

from ..encoding import decode_text
from ..markers import marker, stars_to_markers, sup_tags_to_markers, superscripts_to_markers
from ..model import Block, RawDocument
from ..normalize import normalize_text
from .base import SCORE_EXTENSION, build_raw_document

_FORMATS = {"txt": "txt", "text": "txt", "md": "md", "markdown": "md", "": "txt"}

_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_THEMATIC = re.compile(r"^ {0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_SETEXT_1 = re.compile(r"^ {0,3}=+\s*$")
_DOUBLE_STAR = re.compile(r"(?<!\\)\*\*")
_DOUBLE_UNDERSCORE = re.compile(r"(?<![\w\\])__(?=\S)([^_\n]+?)(?<=\S)__(?!\w)")
_EMPHASIS = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*\\])\*(?![\w*])")
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n^][^\]\n]*)\]\([^)\n]*\)")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_INLINE_TAG = re.compile(
    r"</?(?:b|i|u|em|strong|span|sub|small|font|a|mark|s|del|ins)(?:\s[^<>\n]*)?>", re.IGNORECASE
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~\"'])")

_FOOTNOTE_STARTS = (
    re.compile(r"^\s*<sup>\s*(\d{1,3}|\*{1,3}|[†‡a-z])\s*</sup>\s*(.*)$", re.IGNORECASE),
    re.compile(r"^\s*\[\^([^\]\s]{1,12})\]:\s*(.*)$"),
    re.compile(r"^\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\s*(.*)$"),
    re.compile(r"^\s*((?:\\\*){1,3})\s*(.*)$"),
    re.compile(r"^\s*([†‡])\s*(.*)$"),
)
_STAR_FOOTNOTE = re.compile(r"^\s*(\*{1,3})\s+(.*)$")
_BULLET = re.compile(r"^\s*(?:[-+•▪●◦‣]|\*(?!\*))\s+(.*)$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*:?-{2,}:?\s*$")
_SUPERSCRIPT_TABLE = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


class PlainTextReader:
    """Reader for .txt and .md (and files without an extension)."""

    name = "text"

    def score(self, extension: str, head: bytes) -> int:
        return SCORE_EXTENSION if extension in _FORMATS else 0

    def read(self, data: bytes, filename: str, *, max_pages: int) -> RawDocument:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        text, encoding, warnings = decode_text(data, filename)
        blocks = text_to_blocks(text)
        return build_raw_document(
            blocks,
            source_format=_FORMATS.get(extension, "txt"),
            filename=filename,
            encoding=encoding,
            warnings=warnings,
        )


def text_to_blocks(text: str) -> list[Block]:
    """Blocks of a plain-text or Markdown document (see the module docs)."""
    text = normalize_text(text).replace("\f", "\n\f\n")
    blocks: list[Block] = []
    state = _State()
    paragraph: list[str] = []
    for line in text.split("\n"):
        if line == "\f":
            state.flush(paragraph, blocks)
            paragraph = []
            blocks.append(Block("page-break"))
        elif not line.strip():
            state.flush(paragraph, blocks)
            paragraph = []
        elif _THEMATIC.match(line):
            if paragraph and line.strip().startswith("-"):
                blocks.append(_heading("\n".join(paragraph), 2, "setext"))
                paragraph = []
            else:
                state.flush(paragraph, blocks)
                paragraph = []
                blocks.append(Block("page-break"))
        elif _SETEXT_1.match(line) and paragraph:
            blocks.append(_heading("\n".join(paragraph), 1, "setext"))
            paragraph = []
        else:
            paragraph.append(line)
    state.flush(paragraph, blocks)
    return blocks


def _heading(text: str, level: int | None, style: str) -> Block:
    return Block("heading", _inline(text.replace("**", "")), level=level, style=style)


class _State:
    """What one paragraph needs to know about the ones before it."""

    def __init__(self) -> None:
        self.star_marker_seen = False

    def flush(self, lines: list[str], blocks: list[Block]) -> None:
        if not lines:
            return
        raw = "\n".join(_strip_hard_break(line) for line in lines)
        for is_bold, segment in _split_bold(raw):
            if is_bold:
                blocks.append(_heading(segment, None, "bold"))
            else:
                self._lines_to_blocks(segment.replace("**", "").split("\n"), blocks)

    def _lines_to_blocks(self, lines: list[str], blocks: list[Block]) -> None:
        current: list[str] = []
        kind, footnote_id, level, style = "paragraph", None, None, None

        def close() -> None:
            text = "\n".join(current).strip()
            if text:
                blocks.append(Block(kind, text, level=level, style=style, footnote_id=footnote_id))
            current.clear()

        for line in lines:
            if not line.strip():
                continue
            atx = _ATX.match(line)
            if atx:
                close()
                blocks.append(_heading(atx.group(2), len(atx.group(1)), f"h{len(atx.group(1))}"))
                kind, footnote_id, level, style = "paragraph", None, None, None
                continue
            if _TABLE_ROW.match(line):
                close()
                cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
                if not all(_TABLE_RULE.match(cell) or not cell for cell in cells):
                    blocks.append(Block("table-row", _inline(" | ".join(cells))))
                kind, footnote_id, level, style = "paragraph", None, None, None
                continue
            start = self._footnote_start(line)
            if start is not None:
                close()
                kind, footnote_id, level, style = "footnote", start[0], None, None
                current.append(_inline(start[1]))
                continue
            bullet = _BULLET.match(line)
            if bullet:
                close()
                kind, footnote_id, level, style = "list-item", None, None, "bullet"
                current.append(_inline(bullet.group(1)))
                continue
            converted = _inline(line)
            if "[^*" in converted:
                self.star_marker_seen = True
            current.append(converted)
        close()

    def _footnote_start(self, line: str) -> tuple[str, str] | None:
        for pattern in _FOOTNOTE_STARTS:
            match = pattern.match(line)
            if match:
                footnote_id = match.group(1).replace("\\", "").translate(_SUPERSCRIPT_TABLE)
                if footnote_id.isdigit():
                    footnote_id = str(int(footnote_id))
                return footnote_id, match.group(2)
        if self.star_marker_seen:
            match = _STAR_FOOTNOTE.match(line)
            if match:
                return match.group(1), match.group(2)
        return None


def _strip_hard_break(line: str) -> str:
    line = line.rstrip()
    if line.endswith("\\") and not line.endswith("\\\\"):
        line = line[:-1].rstrip()
    return line


def _split_bold(text: str) -> list[tuple[bool, str]]:
    """Cut a paragraph where whole lines are in ``**bold**``: those become headings."""
    positions = [match.start() for match in _DOUBLE_STAR.finditer(text)]
    if len(positions) < 2:
        return [(False, text)]
    segments: list[tuple[bool, str]] = []
    cursor = 0
    for start, end in zip(positions[0::2], positions[1::2], strict=False):
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end + 2)
        line_end = len(text) if line_end < 0 else line_end
        if line_start < cursor:
            continue
        if text[line_start:start].strip() or text[end + 2 : line_end].strip():
            continue
        if line_start > cursor:
            segments.append((False, text[cursor:line_start]))
        segments.append((True, text[start + 2 : end]))
        cursor = line_end + 1
    if cursor < len(text):
        segments.append((False, text[cursor:]))
    return segments


def _inline(text: str) -> str:
    """Markdown/HTML inline markup to plain text with canonical footnote markers."""
    text = sup_tags_to_markers(text)
    text = superscripts_to_markers(text)
    if "<" in text:
        text = _BR.sub("\n", text)
        text = _INLINE_TAG.sub("", text)
    if "[" in text:
        text = _IMAGE.sub(r"\1", text)
        text = _LINK.sub(r"\1", text)
    if "_" in text:
        text = _DOUBLE_UNDERSCORE.sub(r"\1", text)
    if "*" in text:
        text = _EMPHASIS.sub(r"\1", text)
        text = stars_to_markers(text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return text


__all__ = ["PlainTextReader", "marker", "text_to_blocks"]
