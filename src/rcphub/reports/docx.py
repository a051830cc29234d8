"""The report as a Word document (python-docx): real Heading 1-4 styles, citations as
hyperlinks, quotations as "Quote" paragraphs in their own language (``w:lang``), right to left
(``w:bidi``, ``w:rtl``) for Arabic, and a document set right to left when the report is."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from rcphub.config import RTL_LANGUAGES
from rcphub.reports.schemas import ReportDocument

FONTS = {"ascii": "Noto Sans", "hAnsi": "Noto Sans", "cs": "Noto Naskh Arabic",
         "eastAsia": "Noto Sans CJK SC"}  # fmt: skip
LINK_COLOUR = "0B4F8A"


def _run_properties(run_element, lang: str) -> None:  # type: ignore[no-untyped-def]
    rpr = run_element.get_or_add_rPr()
    fonts = OxmlElement("w:rFonts")
    for key, value in FONTS.items():
        fonts.set(qn(f"w:{key}"), value)
    style = rpr.find(qn("w:rStyle"))  # the schema wants rStyle first, then rFonts
    rpr.insert(0 if style is None else 1, fonts)
    tag = OxmlElement("w:lang")
    if lang in RTL_LANGUAGES:
        tag.set(qn("w:bidi"), lang)
        rpr.append(OxmlElement("w:rtl"))
    elif lang == "zh":
        tag.set(qn("w:eastAsia"), "zh-CN")
    else:
        tag.set(qn("w:val"), lang)
    rpr.append(tag)


def _direction(paragraph: Paragraph, direction: str) -> None:
    if direction == "rtl":
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(OxmlElement("w:bidi"))


def _text(paragraph: Paragraph, text: str, lang: str, *, bold: bool = False, italic: bool = False):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    _run_properties(run._r, lang)
    return run


def _link(paragraph: Paragraph, text: str, url: str, lang: str) -> None:
    """A real hyperlink (``w:hyperlink`` with an external relationship)."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    rpr.append(style)
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), LINK_COLOUR)
    rpr.append(colour)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.append(underline)
    run.append(rpr)
    _run_properties(run, lang)
    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    link.append(run)
    paragraph._p.append(link)


def render_docx(doc: ReportDocument) -> bytes:
    document = Document()
    document.core_properties.title = doc.title
    document.core_properties.language = doc.lang
    normal = document.styles["Normal"]
    normal.font.name = FONTS["ascii"]
    normal.font.size = Pt(10.5)
    if "Hyperlink" not in [s.name for s in document.styles]:
        document.styles.add_style(
            "Hyperlink", WD_STYLE_TYPE.CHARACTER
        ).font.color.rgb = RGBColor.from_string(LINK_COLOUR)
    lang, direction = doc.lang, doc.dir

    def heading(text: str, level: int, text_lang: str | None = None) -> Paragraph:
        paragraph = document.add_heading("", level=level)
        _text(paragraph, text, text_lang or lang)
        _direction(paragraph, direction)
        return paragraph

    def para(text: str = "", style: str | None = None) -> Paragraph:
        paragraph = document.add_paragraph(style=style)
        if text:
            _text(paragraph, text, lang)
        _direction(paragraph, direction)
        return paragraph

    title = document.add_heading("", level=0)
    _text(title, doc.title, lang)
    _direction(title, direction)
    para(doc.subtitle)
    para(doc.generated_on)
    words = doc.words
    heading(words["introduction"], 1)
    for text in doc.introduction:
        para(text)
    heading(words["scope"], 2)
    for term, value in doc.scope:
        paragraph = para(style="List Bullet")
        _text(paragraph, f"{term}: ", lang, bold=True)
        _text(paragraph, value, lang)
    heading(words["method"], 2)
    for text in doc.method:
        para(text)
    heading(words["gaps"], 2)
    if doc.gaps:
        para(words["gaps_intro"])
        for gap in doc.gaps:
            para(gap, style="List Bullet")
    else:
        para(words["no_gaps"])
    if not doc.sections:
        para(words["no_sections"])

    def quotation(text: str, text_lang: str, text_dir: str) -> None:
        paragraph = document.add_paragraph(style="Quote")
        _text(paragraph, " ".join(text.split()), text_lang)
        _direction(paragraph, text_dir)

    for section in doc.sections:
        paragraph = heading(section.number, 1)
        if section.label:
            _text(paragraph, ": ", lang)
            _text(paragraph, section.label, section.label_lang)
            if section.label_note:
                _text(paragraph, f" ({section.label_note})", lang)
        for voice in section.voices:
            voice_heading = heading(voice.heading, 2, voice.heading_lang)
            if voice.heading_note:
                _text(voice_heading, f" ({voice.heading_note})", lang)
            if voice.statements:
                heading(words["said"], 3)
            for q in voice.statements:
                quotation(q.text, q.lang, q.dir)
                caption = para()
                _link(caption, q.citation, q.href, lang)
                if q.machine:
                    _text(caption, " — ", lang)
                    _text(caption, words["machine"], lang, bold=True)
                _text(caption, f" — {q.note}", lang, italic=True)
            if voice.recommendations:
                heading(words["recommended"], 3)
            for r in voice.recommendations:
                quotation(r.text, r.lang, r.dir)
                caption = para()
                _link(caption, r.citation, r.href, lang)
                _text(caption, f" — {r.note} · ", lang, italic=True)
                _link(caption, f"{words['tracked_item']} {r.item}", r.item_href, lang)
    if direction == "rtl":
        for section in document.sections:
            grid = section._sectPr.find(qn("w:docGrid"))  # bidi comes before docGrid
            if grid is None:
                section._sectPr.append(OxmlElement("w:bidi"))
            else:
                grid.addprevious(OxmlElement("w:bidi"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
