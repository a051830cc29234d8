"""CSV as the hub writes and reads it: one choice for every CSV it serves or prints.

Every CSV (follow-up items and updates, the audit log, the numbers behind the charts, the
registry downloads) is written by :func:`csv_text`:

- UTF-8 **with a byte-order mark** (``EF BB BF``), so that Excel and LibreOffice open Arabic,
  Chinese and Cyrillic text as UTF-8 rather than in the machine's legacy code page;
- a header row, then one row per record, lines ending in CRLF (RFC 4180);
- text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) prefixed with an apostrophe; numbers are left alone;
- optional trailing lines starting with ``# `` (a chart's source and notes;
  ``pandas.read_csv(..., comment="#")`` skips them).

:func:`read_csv_text` is the other half, for the hub's imports: it takes bytes or text with or
without the BOM, and :func:`undefuse` takes the apostrophe off a cell :func:`csv_text` defused,
so a file exported by the hub imports back unchanged.

A leaf module (it imports nothing of the hub), so every layer may use it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "BOM",
    "MEDIA_TYPE",
    "csv_text",
    "defuse",
    "read_csv_text",
    "undefuse",
]

BOM = "\ufeff"
MEDIA_TYPE = "text/csv; charset=utf-8"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: Any) -> Any:
    """A cell as written: None → empty, text that would start a formula → ``'`` + text;
    numbers and booleans unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def undefuse(text: str) -> str:
    """The text of a cell :func:`defuse` wrote (``'=x`` → ``=x``); other text unchanged."""
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_START:
        return text[1:]
    return text


def csv_text(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    trailer: Iterable[str] = (),
) -> str:
    """The whole file as text, starting with the BOM (encode it as plain ``utf-8``)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([defuse(v) for v in row])
    for line in trailer:
        out.write("# " + " ".join(line.split()) + "\r\n")
    return out.getvalue()


def read_csv_text(data: bytes | str, *, max_bytes: int) -> str:
    """Text of an uploaded CSV, without its BOM; ``UnicodeDecodeError`` for bytes that are
    not UTF-8 and ``ValueError`` for a file over ``max_bytes`` (callers word both)."""
    if isinstance(data, bytes):
        if len(data) > max_bytes:
            raise ValueError(f"the CSV file is over {max_bytes // 1024 // 1024} MB")
        data = data.decode("utf-8-sig")
    return data.removeprefix(BOM)
