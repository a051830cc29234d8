"""Render a :mod:`.corpus` spec as .txt, .md, .html, .docx and .pdf bytes."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator

from .pdfgen import Text, pdf_bytes, shape_arabic, visual_order

Spec = list[tuple]
MARKER = re.compile(r"\[\^([^\]]+)\]")


def flowing(spec: Spec) -> tuple[Spec, list[tuple[str, str]]]:
    """Join paragraphs cut by a page break and pull footnotes out (for flowing formats)."""
    out: Spec = []
    footnotes: list[tuple[str, str]] = []
    pending_cut = False
    for element in spec:
        kind = element[0]
        if kind == "footnote":
            footnotes.append((element[1], element[2]))
        elif kind == "pagebreak":
            pending_cut = bool(out) and out[-1][0] == "para"
        elif kind == "para" and pending_cut:
            previous = out[-1][1]
            joined = (
                previous[:-1] + element[1]
                if previous.endswith("-")
                else (previous + ("" if _cjk_or_arabic(previous) else " ") + element[1])
            )
            if _is_arabic(previous) and not previous.endswith("-"):
                joined = previous + " " + element[1]
            out[-1] = ("para", joined)
            pending_cut = False
        else:
            pending_cut = False
            out.append(element)
    return out, footnotes


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text[-5:])


def _cjk_or_arabic(text: str) -> bool:
    return "\u4e00" <= text[-1] <= "\u9fff"


# --- txt: the Lima style (Markdown-ish, hard line breaks, <sup>, \*) ---------------------------


def _txt_inline(text: str) -> str:
    return MARKER.sub(lambda m: "\\*" if m.group(1) == "*" else f"<sup>{m.group(1)}</sup>", text)


def to_txt(spec: Spec) -> str:
    parts: list[str] = []
    for element in spec:
        kind = element[0]
        if kind == "lines":
            parts.append("  \n".join(_txt_inline(line) for line in element[1]))
        elif kind == "heading":
            parts.append(f"**{element[1]}**")
        elif kind == "para":
            parts.append(_txt_inline(element[1]))
        elif kind == "pagebreak":
            parts.append("---")
        elif kind == "footnote":
            mark = "\\*" if element[1] == "*" else f"<sup>{element[1]}</sup>"
            parts.append(f"{mark} {element[2]}")
        elif kind == "signature":
            parts.append("  \n".join(element[1]))
    return "\n\n".join(parts) + "\n"


# --- md: ATX headings, [^n] references and definitions, escapes -------------------------------


def to_md(spec: Spec) -> str:
    body, footnotes = flowing(spec)
    parts: list[str] = []
    for element in body:
        kind = element[0]
        if kind == "lines":
            parts.append("  \n".join(element[1]))
        elif kind == "heading":
            parts.append(f"## {element[1]}")
        elif kind == "para":
            parts.append(element[1])
        elif kind == "signature":
            parts.append("  \n".join(element[1]))
    parts.extend(f"[^{mark}]: {text}" for mark, text in footnotes)
    return "\n\n".join(parts) + "\n"


# --- html ----------------------------------------------------------------------------------


def _html_inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    return MARKER.sub(lambda m: f'<sup><a href="#fn{m.group(1)}">{m.group(1)}</a></sup>', escaped)


def to_html(spec: Spec, lang: str) -> str:
    body, footnotes = flowing(spec)
    direction = ' dir="rtl"' if lang == "ar" else ""
    parts = [
        f'<!DOCTYPE html>\n<html lang="{lang}"{direction}><head><meta charset="utf-8">',
        "<title>Chair's summary</title><style>p{margin:0}</style>",
        "<script>console.log('<p>not text</p>')</script></head><body><main>",
    ]
    headings = 0
    for element in body:
        kind = element[0]
        if kind in ("lines", "signature"):
            parts.append("<p>" + "<br>".join(_html_inline(line) for line in element[1]) + "</p>")
        elif kind == "heading":
            headings += 1
            tag = "h1" if headings == 2 else "h2"
            parts.append(f"<{tag}>{_html_inline(element[1])}</{tag}>")
        elif kind == "para":
            parts.append(f"<p>{_html_inline(element[1])}</p>")
    parts.append('</main><div class="footnotes"><hr>')
    for mark, text in footnotes:
        parts.append(f"<p><sup>{html.escape(mark)}</sup> {html.escape(text)}</p>")
    parts.append("</div></body></html>")
    return "\n".join(parts)


# --- docx: python-docx, with real Word footnotes added to the package -----------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def to_docx(spec: Spec) -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    body, footnotes = flowing(spec)
    ids = {mark: number for number, (mark, _) in enumerate(footnotes, start=1)}
    document = docx.Document()
    for element in body:
        kind = element[0]
        if kind in ("lines", "signature"):
            for line in element[1]:
                _docx_paragraph(document, line, ids, OxmlElement, qn)
        elif kind == "heading":
            if element[1] == body[3][1] if len(body) > 3 else False:
                paragraph = document.add_paragraph()
                paragraph.add_run(element[1]).bold = True
            else:
                document.add_heading(element[1], level=2)
        elif kind == "para":
            _docx_paragraph(document, element[1], ids, OxmlElement, qn)
    buffer = io.BytesIO()
    document.save(buffer)
    return _add_footnotes(buffer.getvalue(), footnotes)


def _docx_paragraph(document, text, ids, OxmlElement, qn) -> None:
    paragraph = document.add_paragraph()
    position = 0
    for match in MARKER.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position : match.start()])
        mark = match.group(1)
        run = OxmlElement("w:r")
        properties = OxmlElement("w:rPr")
        align = OxmlElement("w:vertAlign")
        align.set(qn("w:val"), "superscript")
        properties.append(align)
        run.append(properties)
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(ids.get(mark, 99)))
        if not mark.isdigit():
            reference.set(qn("w:customMarkFollows"), "1")
        run.append(reference)
        if not mark.isdigit():
            custom = OxmlElement("w:t")
            custom.text = mark
            run.append(custom)
        paragraph._p.append(run)
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


def _add_footnotes(package: bytes, footnotes: list[tuple[str, str]]) -> bytes:
    notes = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>",
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    for number, (mark, text) in enumerate(footnotes, start=1):
        reference = (
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            if mark.isdigit()
            else f"<w:r><w:t>{html.escape(mark)}</w:t></w:r>"
        )
        notes.append(
            f'<w:footnote w:id="{number}"><w:p>{reference}<w:r><w:t xml:space="preserve"> '
            f"{html.escape(text)}</w:t></w:r></w:p></w:footnote>"
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W_NS}">{"".join(notes)}</w:footnotes>'
    )
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>",
                )
            target.writestr(item, data)
        target.writestr("word/footnotes.xml", xml.encode())
    return out.getvalue()


# --- pdf: laid out in lines, footnotes at the foot of their page ----------------------------


def _wrap(text: str, width: int) -> Iterator[str]:
    if any("\u4e00" <= c <= "\u9fff" for c in text[:40]):
        tokens = re.findall(r"\[\^[^\]]+\]|.", text)
        line = ""
        for token in tokens:
            if len(MARKER.sub("", line + token)) > width:
                yield line
                line = ""
            line += token
        if line:
            yield line
        return
    line = ""
    for word in text.split(" "):
        if line and len(MARKER.sub("", f"{line} {word}")) > width:
            yield line
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        yield line


def _line_items(line: str, x: float, y: float, size: float, bold: bool, rtl: bool) -> list[Text]:
    if rtl and re.search("[\u0600-\u06ff]", line):
        line = visual_order(shape_arabic(line))
    items: list[Text] = []
    position = 0
    cursor = x
    for match in [*MARKER.finditer(line), None]:
        end = match.start() if match else len(line)
        segment = line[position:end]
        if segment:
            items.append(Text(cursor, y, size, segment, bold=bold))
            cursor += sum(size * (1.0 if ord(c) > 0x2E80 else 0.5) for c in segment)
        if match:
            items.append(Text(cursor, y, size * 0.6, match.group(1), rise=size * 0.35))
            cursor += size * 0.6 * 0.5 * len(match.group(1))
            position = match.end()
    return items


def to_pdf(spec: Spec, lang: str) -> bytes:
    rtl = lang == "ar"
    width = 40 if lang == "zh" else 90
    pages: list[list[Text]] = []
    page: list[Text] = []
    footnotes: list[tuple[str, str]] = []
    y = 790.0

    def close_page() -> None:
        nonlocal page, footnotes, y
        lines: list[tuple[str, str]] = []
        for mark, text in footnotes:
            for number, line in enumerate(_wrap(text, width + 10)):
                lines.append((mark if number == 0 else "", line))
        foot_y = 60 + 11 * len(lines)
        for mark, line in lines:
            if rtl:
                logical = f"{mark} {line}" if mark else line
                page.extend(_line_items(logical, 72, foot_y, 9, False, True))
            else:
                if mark:
                    page.append(Text(72, foot_y, 5.5, mark, rise=3))
                page.append(Text(78, foot_y, 9, line))
            foot_y -= 11
        pages.append(page)
        page, footnotes, y = [], [], 790.0

    elements = list(spec)
    index = 0
    while index < len(elements):
        element = elements[index]
        index += 1
        kind = element[0]
        if kind == "pagebreak":
            while index < len(elements) and elements[index][0] == "footnote":
                footnotes.append((elements[index][1], elements[index][2]))
                index += 1
            close_page()
            continue
        if kind == "footnote":
            footnotes.append((element[1], element[2]))
            continue
        if kind in ("lines", "signature"):
            groups = [[line] for line in element[1]]
            size, bold = 11.0, False
        elif kind == "heading":
            groups = [list(_wrap(element[1], width - 10))]
            size, bold = 11.0, True
        else:
            groups = [list(_wrap(element[1], width))]
            size, bold = 11.0, False
        for group in groups:
            for line in group:
                if y < 200:
                    close_page()
                page.extend(_line_items(line, 72, y, size, bold, rtl))
                y -= size * 1.3
        y -= 10
    close_page()
    return pdf_bytes(pages)


def render(spec: Spec, lang: str, fmt: str) -> bytes:
    """The spec as the bytes of a file in ``fmt`` ("txt", "md", "html", "docx", "pdf")."""
    if fmt == "txt":
        return to_txt(spec).encode()
    if fmt == "md":
        return to_md(spec).encode()
    if fmt == "html":
        return to_html(spec, lang).encode()
    if fmt == "docx":
        return to_docx(spec)
    if fmt == "pdf":
        return to_pdf(spec, lang)
    raise ValueError(fmt)
