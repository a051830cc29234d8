"""The numbers behind a chart, as a table and as CSV or XLSX downloads.

A page builds one :class:`Table` per chart from the same rows it draws, so the download holds
exactly what the chart shows. CSV: as every CSV of the hub (:mod:`rcphub.csvfile`: UTF-8 with
a BOM, a header row, then the rows); the source and notes follow as trailing lines starting
with ``#`` (``pandas.read_csv(..., comment="#")`` skips them). XLSX: one sheet per table,
then a sheet ``source`` with the title, source and notes.
Text cells that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``) are kept as
text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from rcphub.csvfile import csv_text

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Column:
    key: str  # stable identifier of the column (``origin``, ``stock``)
    header: str  # the header in the page language
    kind: str = "text"  # text | int | float | share (0..1) | index (0..1) | year


@dataclass
class Table:
    name: str  # file and sheet name: ``corridors``
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    source: str
    notes: list[str] = field(default_factory=list)

    def column(self, key: str) -> list[Any]:
        index = [c.key for c in self.columns].index(key)
        return [plain(row[index]) for row in self.rows]

    @property
    def row_header(self) -> int:
        """The column that names each row (the first ``*_name`` column, else the first)."""
        return next((i for i, c in enumerate(self.columns) if c.key.endswith("_name")), 0)


def plain(value: Any) -> Any:
    """A cell as a value: text labels (:class:`rcphub.charts.Label`) become their text."""
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else value


def _csv_cell(value: Any, kind: str) -> Any:
    value = plain(value)
    if value is None:
        return ""
    return str(value) if kind == "text" else value


def to_csv(table: Table) -> str:
    return csv_text(
        [c.header for c in table.columns],
        (
            [_csv_cell(value, c.kind) for value, c in zip(row, table.columns, strict=True)]
            for row in table.rows
        ),
        trailer=[table.source, *table.notes],
    )


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub("-", name)[:31] or "data"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f"-{number}"
        candidate = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def _clean(value: Any) -> Any:
    value = plain(value)
    return _ILLEGAL.sub("", value) if isinstance(value, str) else value


def to_xlsx(tables: Table | Sequence[Table], *, right_to_left: bool = False) -> bytes:
    """A workbook with a sheet per table and a ``source`` sheet."""
    tables = [tables] if isinstance(tables, Table) else list(tables)
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = {"source"}
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.name, taken))
        sheet.sheet_view.rightToLeft = right_to_left
        sheet.append([_clean(c.header) for c in table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append([None if v is None else _clean(v) for v in row])
            for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
                if column.kind == "text" and isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            longest = max(
                [len(str(column.header))]
                + [len(str(plain(r[index - 1]) or "")) for r in table.rows]
            )
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = min(60, max(8, longest + 2))
    source = workbook.create_sheet("source")
    source.sheet_view.rightToLeft = right_to_left
    for table in tables:
        source.append([_clean(table.title)])
        source[source.max_row][0].font = bold
        source.append([_clean(table.source)])
        for note in table.notes:
            source.append([_clean(note)])
        source.append([])
    source.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
