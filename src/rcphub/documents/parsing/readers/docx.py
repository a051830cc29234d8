"""DOCX with python-docx, after the zip-bomb checks of :mod:`.ziputil`.

Body paragraphs and tables in document order (content controls included). Paragraph styles:
"Heading N" (and "Titre N", "Título N", "Заголовок N", outline levels) are headings,
list styles and numbered paragraphs are list items. Word's automatic numbering is rendered
from ``numbering.xml`` ("%1." decimal, "(%2)" lowerLetter, lowerRoman...) and prefixed to the
text when the text does not already start with a label, so "1." and "(a)" survive even when
they were never typed. Footnote references become ``[^n]`` markers numbered as Word displays
them (order of first reference; a custom mark such as "*" is kept); the footnote bodies come
from ``word/footnotes.xml`` and are appended as footnote blocks. An all-bold paragraph is a
heading with style "bold"; an explicit page break is a page break.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from typing import Any

from lxml import etree

from rcphub.limits import DOCX_MAX_XML_BYTES

from ..errors import DocumentReadError
from ..labels import letter_for, parse_label, to_roman
from ..model import Block, RawDocument
from .base import SCORE_EXTENSION, build_raw_document
from .ziputil import open_checked_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(
    r"^(?:heading|titre|título|titulo|заголовок|überschrift|标题|العنوان|عنوان)\s*(\d)",
    re.IGNORECASE,
)
_SUPERSCRIPT_MARK = re.compile(r"^\s*(\d{1,3}|\*{1,3}|[†‡])\s*$")
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class DocxReader:
    """Reader for .docx."""

    name = "docx"

    def score(self, extension: str, head: bytes) -> int:
        if extension in ("docx", "docm", "dotx"):
            return SCORE_EXTENSION + (5 if head.startswith(b"PK") else 0)
        return 0

    def read(self, data: bytes, filename: str, *, max_pages: int) -> RawDocument:
        archive = open_checked_zip(data, filename, "DOCX")
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise DocumentReadError(filename, "this zip file is not a Word document")
        _check_xml_size(archive, filename)
        import docx

        document = docx.Document(io.BytesIO(data))
        reader = _DocxWalker(document)
        reader.walk(document.element.body)
        footnotes_xml = (
            archive.read("word/footnotes.xml") if "word/footnotes.xml" in names else None
        )
        if footnotes_xml:
            reader.add_footnotes(etree.fromstring(footnotes_xml, _SAFE_PARSER))
        return build_raw_document(reader.blocks, source_format="docx", filename=filename)


def _check_xml_size(archive: zipfile.ZipFile, filename: str) -> None:
    """Refuse a DOCX whose parsed XML parts unpack past :data:`DOCX_MAX_XML_BYTES`: python-docx
    holds a tree of every element (80 MB of short paragraphs took 9 minutes and 1.7 GB)."""
    size = sum(
        member.file_size
        for member in archive.infolist()
        if member.filename.startswith("word/") and member.filename.endswith(".xml")
    )
    if size > DOCX_MAX_XML_BYTES:
        raise DocumentReadError(
            filename,
            f"this DOCX file holds {size / 2**20:.0f} MB of text markup, more than the "
            f"{DOCX_MAX_XML_BYTES // 2**20} MB a document may have",
        )


class _Numbering:
    """Renders Word's automatic numbering labels."""

    def __init__(self, document: Any) -> None:
        self.num_to_abstract: dict[str, str] = {}
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        for abstract in root.findall(f"{W}abstractNum"):
            abstract_id = abstract.get(f"{W}abstractNumId")
            levels: dict[int, tuple[str, str, int]] = {}
            for level in abstract.findall(f"{W}lvl"):
                ilvl = int(level.get(f"{W}ilvl") or 0)
                fmt = _val(level.find(f"{W}numFmt")) or "decimal"
                text = _val(level.find(f"{W}lvlText")) or ""
                start = int(_val(level.find(f"{W}start")) or 1)
                levels[ilvl] = (fmt, text, start)
            self.levels[str(abstract_id)] = levels
        for num in root.findall(f"{W}num"):
            abstract = num.find(f"{W}abstractNumId")
            if abstract is not None:
                self.num_to_abstract[str(num.get(f"{W}numId"))] = str(_val(abstract))

    def label(self, num_id: str, ilvl: int) -> str | None:
        abstract = self.num_to_abstract.get(num_id)
        if abstract is None or abstract not in self.levels:
            return None
        levels = self.levels[abstract]
        counters = self.counters.setdefault(abstract, [0] * 9)
        ilvl = max(0, min(ilvl, 8))
        if counters[ilvl] == 0:
            counters[ilvl] = levels.get(ilvl, ("decimal", "", 1))[2] - 1
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, text, _ = levels.get(ilvl, ("decimal", f"%{ilvl + 1}.", 1))
        if fmt in ("bullet", "none"):
            return None

        def render(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            value = counters[level] or levels.get(level, ("decimal", "", 1))[2]
            level_fmt = levels.get(level, ("decimal", "", 1))[0]
            return _format(value, level_fmt)

        return re.sub(r"%([1-9])", render, text)


def _format(value: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return letter_for(value)
    if fmt == "upperLetter":
        return letter_for(value).upper()
    if fmt == "lowerRoman":
        return to_roman(value)
    if fmt == "upperRoman":
        return to_roman(value).upper()
    return str(value)


def _val(element: Any) -> str | None:
    return None if element is None else element.get(f"{W}val")


class _DocxWalker:
    def __init__(self, document: Any) -> None:
        self.blocks: list[Block] = []
        self.numbering = _Numbering(document)
        self.styles: dict[str, tuple[str, int | None, tuple[str, int] | None]] = {}
        self.footnote_marks: dict[str, str] = {}
        self.footnote_count = 0
        for style in document.styles.element.findall(f"{W}style"):
            style_id = style.get(f"{W}styleId") or ""
            name = _val(style.find(f"{W}name")) or style_id
            ppr = style.find(f"{W}pPr")
            outline = _val(ppr.find(f"{W}outlineLvl")) if ppr is not None else None
            self.styles[style_id] = (
                name,
                int(outline) if outline and outline.isdigit() else None,
                _num_pr(ppr),
            )

    def walk(self, body: Any) -> None:
        stack = list(reversed(list(body)))
        while stack:
            element = stack.pop()
            tag = element.tag
            if tag == f"{W}p":
                self.paragraph(element)
            elif tag == f"{W}tbl":
                for row in element.iter(f"{W}tr"):
                    cells = []
                    for cell in row.findall(f"{W}tc"):
                        cells.append(
                            " ".join(self.run_text(p)[0] for p in cell.iter(f"{W}p")).strip()
                        )
                    if any(cells):
                        self.blocks.append(Block("table-row", " | ".join(cells)))
            elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                stack.extend(reversed(list(element)))

    def paragraph(self, element: Any) -> None:
        ppr = element.find(f"{W}pPr")
        style_id = _val(ppr.find(f"{W}pStyle")) if ppr is not None else None
        name, outline, style_num = self.styles.get(style_id or "", (style_id or "", None, None))
        if ppr is not None and ppr.find(f"{W}pageBreakBefore") is not None:
            self.blocks.append(Block("page-break"))
        text, bold, page_break = self.run_text(element)
        num = _num_pr(ppr) or style_num
        stripped = text.strip()
        if num and stripped and parse_label(stripped) is None:
            label = self.numbering.label(*num)
            if label:
                text = f"{label} {stripped}"
        heading = _HEADING_STYLE.match(name or "")
        if stripped:
            if heading or outline is not None or (name or "").lower() == "title":
                level = (
                    int(heading.group(1))
                    if heading
                    else (outline + 1 if outline is not None else 1)
                )
                self.blocks.append(Block("heading", text, level=level, style=name))
            elif bold and len(stripped) <= 300:
                self.blocks.append(Block("heading", text, style="bold"))
            elif num or "list" in (name or "").lower():
                self.blocks.append(Block("list-item", text, style=name))
            else:
                self.blocks.append(Block("paragraph", text, style=name or None))
        if page_break:
            self.blocks.append(Block("page-break"))

    def run_text(self, paragraph: Any) -> tuple[str, bool, bool]:
        """(text with markers, all bold?, ends with a page break?)"""
        parts: list[str] = []
        chars = bold_chars = 0
        page_break = False
        custom_pending: str | None = None
        for node in paragraph.iter(f"{W}r"):
            rpr = node.find(f"{W}rPr")
            is_bold = _is_on(rpr.find(f"{W}b")) if rpr is not None else False
            superscript = rpr is not None and _val(rpr.find(f"{W}vertAlign")) == "superscript"
            for child in node:
                tag = child.tag
                if tag == f"{W}t":
                    value = child.text or ""
                    if custom_pending is not None:
                        self.footnote_marks[custom_pending] = value.strip() or "*"
                        parts.append(f"[^{value.strip() or '*'}]")
                        custom_pending = None
                        continue
                    if superscript and _SUPERSCRIPT_MARK.match(value):
                        parts.append(f"[^{value.strip()}]")
                        continue
                    parts.append(value)
                    chars += len(value.strip())
                    bold_chars += len(value.strip()) if is_bold else 0
                elif tag == f"{W}tab":
                    parts.append(" ")
                elif tag in (f"{W}br", f"{W}cr"):
                    if child.get(f"{W}type") == "page":
                        page_break = True
                    else:
                        parts.append("\n")
                elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
                    internal = ("e" if "endnote" in tag else "") + str(child.get(f"{W}id"))
                    if child.get(f"{W}customMarkFollows") in ("1", "true", "on"):
                        custom_pending = internal
                        continue
                    mark = self.footnote_marks.get(internal)
                    if mark is None:
                        self.footnote_count += 1
                        mark = str(self.footnote_count)
                        self.footnote_marks[internal] = mark
                    parts.append(f"[^{mark}]")
                elif tag == f"{W}sym":
                    code = child.get(f"{W}char") or ""
                    with contextlib.suppress(ValueError):
                        parts.append(chr(int(code, 16) & 0xFFFF if code else 0x20))
        return "".join(parts), chars > 0 and bold_chars >= chars * 0.9, page_break

    def add_footnotes(self, root: Any) -> None:
        bodies: list[tuple[int, str, str]] = []
        for order, footnote in enumerate(root.findall(f"{W}footnote")):
            if footnote.get(f"{W}type") in (
                "separator",
                "continuationSeparator",
                "continuationNotice",
            ):
                continue
            mark = self.footnote_marks.get(str(footnote.get(f"{W}id")))
            if mark is None:
                continue
            text = "\n".join(self.run_text(p)[0] for p in footnote.iter(f"{W}p")).strip()
            if text.startswith(mark + " "):
                text = text[len(mark) + 1 :]
            if text.startswith(f"[^{mark}]"):
                text = text[len(mark) + 3 :]
            bodies.append((order, mark, text.strip()))
        for _, mark, text in bodies:
            if text:
                self.blocks.append(Block("footnote", text, footnote_id=mark))


def _is_on(element: Any) -> bool:
    return element is not None and element.get(f"{W}val") not in ("0", "false", "off")


def _num_pr(ppr: Any) -> tuple[str, int] | None:
    if ppr is None:
        return None
    num_pr = ppr.find(f"{W}numPr")
    if num_pr is None:
        return None
    num_id = _val(num_pr.find(f"{W}numId"))
    if not num_id or num_id == "0":
        return None
    return num_id, int(_val(num_pr.find(f"{W}ilvl")) or 0)
