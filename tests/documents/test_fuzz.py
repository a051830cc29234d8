"""Whatever the bytes, only DocumentReadError comes out, and quickly.

Each example has a deadline; the whole module runs in well under a minute.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rcphub.documents.parsing import (
    Block,
    DocumentReadError,
    RawDocument,
    parse_document,
    read_document,
)
from rcphub.documents.parsing.language import detect_languages

from .corpus import AR, EN, ZH
from .render import render

EXTENSIONS = ("txt", "md", "html", "docx", "pdf", "", "bin")
FUZZ = settings(
    max_examples=60,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(autouse=True, scope="module")
def _warm_language_detector() -> None:
    """Build the language detector before the deadlines start counting."""
    detect_languages(["Participants highlighted the following key issues of migration"] * 4)


def _read_or_refuse(data: bytes, name: str) -> None:
    try:
        raw = read_document(data, name)
    except DocumentReadError:
        return
    parse_document(raw)


@pytest.mark.parametrize("extension", EXTENSIONS)
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes(extension: str, data: bytes) -> None:
    _read_or_refuse(data, f"file.{extension}")


@pytest.mark.parametrize("extension", ["pdf", "docx"])
@FUZZ
@given(data=st.binary(max_size=512))
def test_random_bytes_behind_real_magic(extension: str, data: bytes) -> None:
    magic = b"%PDF-1.7\n" if extension == "pdf" else b"PK\x03\x04"
    _read_or_refuse(magic + data, f"file.{extension}")


@pytest.fixture(scope="module")
def real_files() -> dict[str, bytes]:
    return {fmt: render(EN, "en", fmt) for fmt in ("pdf", "docx", "html")}


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
@FUZZ
@given(fraction=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_real_files(real_files: dict[str, bytes], fmt: str, fraction: float) -> None:
    data = real_files[fmt]
    _read_or_refuse(data[: int(len(data) * fraction)], f"summary.{fmt}")


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@FUZZ
@given(position=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255))
def test_corrupted_real_files(
    real_files: dict[str, bytes], fmt: str, position: int, value: int
) -> None:
    data = bytearray(real_files[fmt])
    data[position % len(data)] = value
    _read_or_refuse(bytes(data), f"summary.{fmt}")


def test_zip_bomb(tmp_path: Path) -> None:
    """A DOCX whose document part is 1 GB of zeros, written by streaming (never in memory)."""
    path = tmp_path / "bomb.docx"
    zeros = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(1024):
                member.write(zeros)
    data = path.read_bytes()
    assert len(data) < 5 * 1024 * 1024
    with pytest.raises(DocumentReadError, match="zip bomb"):
        read_document(data, "bomb.docx")


def test_high_ratio_member_below_the_total_limit() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", bytes(50 * 1024 * 1024))
    with pytest.raises(DocumentReadError, match="compressed"):
        read_document(buffer.getvalue(), "ratio.docx")


def test_deeply_nested_html() -> None:
    depth = 100_000
    html = "<div>" * depth + "<p>1. Deep paragraph<sup>1</sup>.</p>" + "</div>" * depth
    html += "<b>" * depth + "bold" + "</b>" * depth
    doc = parse_document(read_document(html.encode(), "deep.html"))
    assert doc.passages[0].text.startswith("Deep paragraph")


SCRIPTS = st.sampled_from(
    [
        "Participants met in Lima ",
        "Участники встретились ",
        "اجتمع المشاركون ",
        "与会者在利马开会",
        "Les participants ",
        "(a) ",
        "а) ",
        "(أ) ",
        "㈠",
        "1. ",
        "12 - ",
        "\n",
        "\n\n",
        "\n---\n",
        "**",
        "*",
        "\\*",
        "<sup>1</sup>",
        "¹",
        "[^2]",
        "-\n",
        "Annex\n\n",
        "(Signed) ",
        "Distr.: General\n",
        "28 June 2013\n",
        "Шестьдесят восьмая сессия\n",
        "# ",
        "| a | b |\n",
        "\u202e",
        "\ufeff",
        "ﻻ",
        "\x00",
    ]
)


@FUZZ
@given(parts=st.lists(SCRIPTS, max_size=80))
def test_structured_text(parts: list[str]) -> None:
    _read_or_refuse("".join(parts).encode(), "mixed.txt")


@FUZZ
@given(parts=st.lists(SCRIPTS, max_size=40), fmt=st.sampled_from(("html", "md")))
def test_structured_text_as_other_formats(parts: list[str], fmt: str) -> None:
    text = "".join(parts)
    data = f"<html><body><p>{text}</p></body></html>" if fmt == "html" else text
    _read_or_refuse(data.encode(), f"mixed.{fmt}")


BLOCK_KINDS = st.sampled_from(["heading", "paragraph", "footnote", "page-break", "list-item"])


@FUZZ
@given(
    blocks=st.lists(
        st.builds(
            Block,
            kind=BLOCK_KINDS,
            text=st.text(max_size=200),
            footnote_id=st.one_of(st.none(), st.sampled_from(["1", "2", "*", "a"])),
        ),
        max_size=40,
    )
)
def test_parse_document_on_any_blocks(blocks: list[Block]) -> None:
    raw = RawDocument(text="", blocks=blocks, source_format="txt")
    doc = parse_document(raw)
    refs = doc.refs
    assert len(refs) == len(set(refs))
    assert [p.position for p in doc.passages] == list(range(len(refs)))


@pytest.mark.parametrize(("spec", "lang"), [(AR, "ar"), (ZH, "zh")])
def test_real_rtl_and_cjk_pdfs_survive_byte_flips(spec: list, lang: str) -> None:
    data = bytearray(render(spec, lang, "pdf"))
    for position in range(0, len(data), max(1, len(data) // 40)):
        corrupted = bytearray(data)
        corrupted[position] ^= 0xFF
        _read_or_refuse(bytes(corrupted), f"summary.{lang}.pdf")
