"""HTML with selectolax's lexbor parser, walked iteratively (no recursion, any depth).

Headings h1-h6, paragraphs and other block elements, list items, table rows (cells joined by
" | "), ``<br>`` as a line break, ``<hr>`` as a page break, ``<sup>1</sup>`` (also ``[1]``, and
inside links) as a footnote marker. Footnote bodies come from footnote sections (an element
whose id, class or role says footnote/endnote, Word's ``mso-element:footnote-list``) and from
any paragraph that starts with a marker. A paragraph that is all bold is a heading.
Scripts, styles, templates, SVG and navigation are ignored.

lexbor's tree builder is quadratic in nesting depth (100,000 nested ``<div>`` take minutes),
so before parsing, tags nested deeper than :data:`MAX_DEPTH` are dropped (their text stays):
a linear scan with one bounded regex.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..encoding import decode_text
from ..model import Block, RawDocument
from .base import SCORE_EXTENSION, SCORE_MAGIC, build_raw_document

MAX_DEPTH = 256

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]{0,15})\b[^<>]*?(/?)>")
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)
_SKIP = frozenset(
    "script style noscript template head title svg math iframe object nav".split()  # noqa: SIM905
)
_BLOCKS = frozenset(
    (  # noqa: SIM905
        "p div section article main aside header footer blockquote h1 h2 h3 h4 h5 h6 li dd dt "
        "tr table ul ol dl pre address figure figcaption center form fieldset body html"
    ).split()
)
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_SPACE = re.compile(r"\s+")
_SUP_MARK = re.compile(r"^\s*\[?\(?(\d{1,3}|\*{1,3}|[†‡])\)?\]?\s*$")
_LEADING_MARK = re.compile(r"^\s*\[\^([^\]\s]{1,12})\]\s*[.:]?\s*(?=\S)")
_FOOTNOTE_ATTR = re.compile(r"footnote|endnote|doc-endnote|mso-element:\s*footnote-list")
_FOOTNOTE_ID = re.compile(r"(?:fn|ftn|footnote|endnote|edn)[-_:]?(\d{1,3})$", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}charset\s*=\s*[\"']?([A-Za-z0-9_\-]{2,20})", re.I)
_BACKLINKS = str.maketrans("", "", "↩\ufe0e\ufe0f")


class HtmlReader:
    """Reader for .html / .htm / .xhtml (and HTML content under any name)."""

    name = "html"

    def score(self, extension: str, head: bytes) -> int:
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start[:512]:
            return SCORE_MAGIC
        return SCORE_EXTENSION if extension in ("html", "htm", "xhtml") else 0

    def read(self, data: bytes, filename: str, *, max_pages: int) -> RawDocument:
        text, encoding, warnings = _decode(data, filename)
        text = limit_depth(text)
        tree = LexborHTMLParser(text)
        root = tree.body or tree.root
        blocks = _Walker().walk(root) if root is not None else []
        return build_raw_document(
            blocks, source_format="html", filename=filename, encoding=encoding, warnings=warnings
        )


def _decode(data: bytes, filename: str) -> tuple[str, str, list[str]]:
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(name), name, []
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, filename)


def limit_depth(html: str, max_depth: int = MAX_DEPTH) -> str:
    """Drop the tags nested deeper than ``max_depth`` (keeping their text)."""
    if html.count("<") <= max_depth:
        return html
    pieces: list[str] = []
    kept: list[bool] = []
    depth = 0
    position = 0
    changed = False
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        if closing:
            keep = kept.pop() if kept else True
            if keep:
                depth = max(0, depth - 1)
        else:
            keep = depth < max_depth
            kept.append(keep)
            if keep:
                depth += 1
        if not keep:
            pieces.append(html[position : match.start()])
            position = match.end()
            changed = True
    if not changed:
        return html
    pieces.append(html[position:])
    return "".join(pieces)


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.bold_chars = 0
        self.chars = 0
        self.bold_depth = 0
        self.contexts: list[tuple[str, int | None]] = [("paragraph", None)]
        self.footnote_depth = 0
        self.footnote_id: str | None = None
        self.footnote_count = 0
        self.sup_starts: list[int] = []
        self.pre_depth = 0
        self.row_cells = 0

    def walk(self, root: LexborNode) -> list[Block]:
        node: LexborNode | None = root
        while node is not None:
            descend = self.enter(node)
            if descend and node.child is not None:
                node = node.child
                continue
            self.leave(node, descend)
            while node is not root and node.next is None:
                node = node.parent
                if node is None:
                    break
                self.leave(node, True)
            if node is None or node is root:
                break
            node = node.next
        self.flush()
        return self.blocks

    def enter(self, node: LexborNode) -> bool:
        tag = node.tag or ""
        if tag == "-text":
            text = node.text_content or ""
            if not self.pre_depth:
                text = _SPACE.sub(" ", text)
            self.buffer.append(text)
            self.chars += len(text.strip())
            if self.bold_depth:
                self.bold_chars += len(text.strip())
            return False
        if tag.startswith("-") or tag in _SKIP:
            return False
        attributes = node.attributes
        marker = " ".join(str(attributes.get(k) or "") for k in ("id", "class", "role", "style"))
        if _FOOTNOTE_ATTR.search(marker.lower()):
            self.flush()
            self.footnote_depth += 1
        if self.footnote_depth:
            found = _FOOTNOTE_ID.search(str(attributes.get("id") or ""))
            if found:
                self.flush()
                self.footnote_id = str(int(found.group(1)))
        if tag == "br":
            self.buffer.append("\n")
        elif tag == "hr":
            self.flush()
            self.blocks.append(Block("page-break"))
        elif tag in ("td", "th"):
            if self.row_cells:
                self.buffer.append(" | ")
            self.row_cells += 1
        elif tag in ("b", "strong"):
            self.bold_depth += 1
        elif tag == "sup":
            self.sup_starts.append(len(self.buffer))
        elif tag == "pre":
            self.pre_depth += 1
        if tag in _BLOCKS:
            self.flush()
            if tag in _HEADINGS:
                self.contexts.append(("heading", _HEADINGS[tag]))
            elif tag == "li":
                self.contexts.append(("list-item", None))
            elif tag == "tr":
                self.contexts.append(("table-row", None))
                self.row_cells = 0
            else:
                self.contexts.append(("paragraph", None))
        return True

    def leave(self, node: LexborNode, entered: bool) -> None:
        tag = node.tag or ""
        if not entered or tag.startswith("-") or tag in _SKIP:
            return
        if tag in ("b", "strong"):
            self.bold_depth = max(0, self.bold_depth - 1)
        elif tag == "sup" and self.sup_starts:
            start = self.sup_starts.pop()
            content = "".join(self.buffer[start:])
            mark = _SUP_MARK.match(content)
            if mark:
                del self.buffer[start:]
                self.chars -= len(content.strip())
                self.buffer.append(f"[^{mark.group(1)}]")
        elif tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        if tag in _BLOCKS:
            self.flush()
            if len(self.contexts) > 1:
                self.contexts.pop()
        attributes = node.attributes
        marker = " ".join(str(attributes.get(k) or "") for k in ("id", "class", "role", "style"))
        if self.footnote_depth and _FOOTNOTE_ATTR.search(marker.lower()):
            self.flush()
            self.footnote_depth -= 1

    def flush(self) -> None:
        text = "".join(self.buffer).translate(_BACKLINKS)
        bold = self.chars > 0 and self.bold_chars >= self.chars * 0.9
        self.buffer.clear()
        self.chars = self.bold_chars = 0
        lines = [line.strip() for line in text.split("\n")]
        text = "\n".join(line for line in lines if line)
        if not text:
            return
        kind, level = self.contexts[-1]
        leading = _LEADING_MARK.match(text)
        if self.footnote_depth or leading:
            if leading:
                footnote_id = leading.group(1)
                text = text[leading.end() :]
            elif self.footnote_id is not None:
                footnote_id = self.footnote_id
            else:
                self.footnote_count += 1
                footnote_id = str(self.footnote_count)
            self.footnote_id = None
            self.blocks.append(Block("footnote", text, footnote_id=footnote_id))
            return
        if kind == "paragraph" and bold and len(text) <= 300:
            self.blocks.append(Block("heading", text, style="bold"))
            return
        style = f"h{level}" if level else None
        self.blocks.append(Block(kind, text, level=level, style=style))
