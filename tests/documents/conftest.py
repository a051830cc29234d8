"""Shared fixtures for the document parsing tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcphub.documents.parsing import ParsedDocument, parse_document, read_document

LIMA = (
    Path(__file__).resolve().parents[2]
    / "src/rcphub/refdata/data/documents/lima-2013-chairs-summary.ru.txt"
)


@pytest.fixture(scope="session")
def lima_bytes() -> bytes:
    return LIMA.read_bytes()


@pytest.fixture(scope="session")
def lima(lima_bytes: bytes) -> ParsedDocument:
    return parse_document(read_document(lima_bytes, LIMA.name))
