"""Readers: formats, refusals with messages for people, and the choice of reader."""

from __future__ import annotations

import io

import pytest

from rcphub.documents.parsing import (
    DocumentReadError,
    parse_document,
    read_document,
)
from rcphub.errors import InvalidInput

from .corpus import EN
from .pdfgen import Text, pdf_bytes
from .render import render


def test_error_is_invalid_input_with_a_message_for_people() -> None:
    with pytest.raises(DocumentReadError) as caught:
        read_document(pdf_bytes([[]]), "report.pdf")
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.http_status == 422
    assert caught.value.message == (
        "report.pdf: this PDF has no text layer (scanned images?); OCR is not supported"
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.txt", "the file is empty"),
        (b"   \n\n  ", "blank.txt", "the file is empty"),
        (bytes(range(256)) * 4, "garbage.txt", "not a text file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "scan.png", "an image; OCR is not supported"),
        (b"\xd0\xcf\x11\xe0" + bytes(100), "old.doc", "save it as .docx"),
        (b"hello", "data.xlsx", "unsupported file type (.xlsx)"),
        (b"%PDF-1.7\n garbage", "broken.pdf", "PDF"),
        (b"PK\x03\x04 not really a zip", "broken.docx", "not a valid DOCX"),
    ],
)
def test_refusals(data: bytes, name: str, message: str) -> None:
    with pytest.raises(DocumentReadError) as caught:
        read_document(data, name)
    assert message in caught.value.message
    assert caught.value.message.startswith(name)


def test_magic_bytes_beat_the_extension() -> None:
    raw = read_document(render(EN, "en", "pdf"), "summary.txt")
    assert raw.source_format == "pdf"
    raw = read_document(render(EN, "en", "html"), "summary.txt")
    assert raw.source_format == "html"


def test_pdf_page_limit_and_count() -> None:
    data = render(EN, "en", "pdf")
    raw = read_document(data, "summary.pdf")
    assert raw.page_count == 2
    assert any(block.page == 2 for block in raw.blocks)
    with pytest.raises(DocumentReadError, match="has 2 pages; the limit is 1"):
        read_document(data, "summary.pdf", max_pages=1)


def test_password_protected_pdf() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render(EN, "en", "pdf"))))
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(DocumentReadError, match="password-protected"):
        read_document(buffer.getvalue(), "locked.pdf")


def test_pdf_with_owner_password_only_is_read() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render(EN, "en", "pdf"))))
    writer.encrypt("", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    doc = parse_document(read_document(buffer.getvalue(), "open.pdf"))
    assert "4.c.ii" in doc.refs


def test_pdf_running_headers_and_page_numbers_are_dropped() -> None:
    pages = []
    words = ("First", "Second", "Third", "Fourth")
    for number in range(1, 5):
        pages.append(
            [
                Text(72, 800, 9, "A/68/190"),
                Text(
                    72,
                    760,
                    11,
                    f"{number}. {words[number - 1]} paragraph of the report on migration",
                ),
                Text(72, 746, 11, "and development, with a second line"),
                Text(72, 732, 11, "and a third line."),
                Text(72, 40, 9, f"13-38015 page {number}"),
                Text(300, 25, 9, str(number)),
            ]
        )
    raw = read_document(pdf_bytes(pages), "report.pdf")
    texts = [block.text for block in raw.blocks if block.kind == "paragraph"]
    assert texts == [
        f"{n}. {words[n - 1]} paragraph of the report on migration\n"
        "and development, with a second line\nand a third line."
        for n in range(1, 5)
    ]
    assert any("removed" in warning for warning in raw.warnings)


def test_pdf_dehyphenation_uses_the_document_vocabulary() -> None:
    page = [
        Text(72, 760, 11, "1. Member States and the State-"),
        Text(72, 745, 11, "members of the region met; the partici-"),
        Text(72, 730, 11, "pants agreed. State-members and participants spoke again."),
    ]
    doc = parse_document(read_document(pdf_bytes([page]), "a.pdf"))
    assert doc.passage("1").text == (
        "Member States and the State-members of the region met; the participants agreed. "
        "State-members and participants spoke again."
    )


def test_docx_automatic_numbering_and_styles() -> None:
    import docx

    document = docx.Document()
    document.add_heading("Chair’s summary", level=1)
    for text in ("Participants met in Lima.", "They discussed migration."):
        document.add_paragraph(text, style="List Number")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Bali Process"
    table.rows[0].cells[1].text = "Asia-Pacific"
    buffer = io.BytesIO()
    document.save(buffer)
    raw = read_document(buffer.getvalue(), "summary.docx")
    assert [(b.kind, b.text) for b in raw.blocks] == [
        ("heading", "Chair’s summary"),
        ("list-item", "1. Participants met in Lima."),
        ("list-item", "2. They discussed migration."),
        ("table-row", "Bali Process | Asia-Pacific"),
    ]
    assert raw.blocks[0].level == 1
    doc = parse_document(raw)
    assert doc.passage("2").text == "They discussed migration."


def test_docx_word_footnotes() -> None:
    raw = read_document(render(EN, "en", "docx"), "summary.docx")
    footnotes = {b.footnote_id: b.text for b in raw.blocks if b.kind == "footnote"}
    assert footnotes["1"].startswith("Abu Dhabi Dialogue")
    assert footnotes["*"] == "A/68/50."


def test_html_footnotes_headings_and_ignored_parts() -> None:
    html = (
        "<html><head><style>p{}</style><script>document.write('<p>x</p>')</script></head>"
        "<body><nav>Home | About</nav><h2>Chair’s summary</h2>"
        "<p>1. Participants<sup><a href='#fn1'>1</a></sup> met &amp; talked.</p>"
        "<p><strong>Conclusions</strong></p>"
        "<section class='footnotes'><ol><li id='fn1'>Abu Dhabi Dialogue. ↩</li></ol></section>"
        "</body></html>"
    )
    doc = parse_document(read_document(html.encode(), "page.html"))
    assert doc.refs == ["h1", "1", "h2", "fn1"]
    assert doc.passage("1").text == "Participants met & talked."
    assert doc.passage("1").footnote_refs == ["fn1"]
    assert doc.passage("fn1").text == "Abu Dhabi Dialogue."


def test_html_declared_charset() -> None:
    html = '<html><head><meta charset="windows-1251"></head><body><p>Лима, 23 мая 2013 года</p>'
    raw = read_document(html.encode("cp1251"), "page.html")
    assert raw.encoding == "windows-1251"
    assert raw.blocks[0].text == "Лима, 23 мая 2013 года"


def test_markdown_features() -> None:
    text = (
        "# Title\n\nSetext heading\n--------------\n\n"
        "1. A *very* **important** paragraph[^1] with a [link](http://x) and m².\n\n"
        "- a bullet point\n\n| Process | Region |\n|---|---|\n| Bali | Asia |\n\n"
        "[^1]: The footnote.\n"
    )
    raw = read_document(text.encode(), "notes.md")
    assert raw.source_format == "md"
    assert [(b.kind, b.text) for b in raw.blocks] == [
        ("heading", "Title"),
        ("heading", "Setext heading"),
        ("paragraph", "1. A very important paragraph[^1] with a link and m²."),
        ("list-item", "a bullet point"),
        ("table-row", "Process | Region"),
        ("table-row", "Bali | Asia"),
        ("footnote", "The footnote."),
    ]


def test_superscript_digits_are_markers() -> None:
    text = "1. Regional consultative processes¹ and regional bodies² met.\n\n¹ RCPs.\n\n² RECs.\n"
    doc = parse_document(read_document(text.encode(), "a.txt"))
    assert doc.passage("1").footnote_refs == ["fn1", "fn2"]
    assert doc.passage("fn2").text == "RECs."
