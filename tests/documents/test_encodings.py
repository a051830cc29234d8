"""Legacy encodings give the same passages as UTF-8."""

from __future__ import annotations

import codecs

import pytest

from rcphub.documents.parsing import parse_document, read_document

from .corpus import AR, ZH
from .render import to_txt


def _passages(data: bytes, name: str) -> list[tuple[str, str, list[str]]]:
    doc = parse_document(read_document(data, name))
    return [(p.ref, p.text, p.footnote_refs) for p in doc.passages]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("cp1251", "cp1251"),
        ("utf-16", "utf-16-le"),  # with a BOM
        ("utf-16-le", "utf-16-le"),  # without one
        ("utf-16-be", "utf-16-be"),
        ("utf-8-sig", "utf-8"),
    ],
)
def test_lima_in_other_encodings(lima_bytes: bytes, encoding: str, expected: str) -> None:
    text = lima_bytes.decode("utf-8")
    data = text.encode(encoding)
    raw = read_document(data, "lima.txt")
    assert raw.encoding == expected
    assert _passages(data, "lima.txt") == _passages(lima_bytes, "lima.txt")


def test_arabic_in_cp1256() -> None:
    text = to_txt(AR)
    data = text.encode("cp1256")
    assert read_document(data, "summary.ar.txt").encoding == "cp1256"
    assert _passages(data, "summary.ar.txt") == _passages(text.encode(), "summary.ar.txt")


def test_chinese_in_gb18030() -> None:
    text = to_txt(ZH)
    data = text.encode("gb18030")
    assert read_document(data, "summary.zh.txt").encoding == "gb18030"
    assert _passages(data, "summary.zh.txt") == _passages(text.encode(), "summary.zh.txt")


def test_utf16_bom_is_not_text() -> None:
    raw = read_document(
        codecs.BOM_UTF16_LE + "1. Text of a paragraph.".encode("utf-16-le"), "a.txt"
    )
    assert raw.text == "1. Text of a paragraph."
