"""UN DESA International Migrant Stock 2020 (bilateral, 1990-2020) into the database.

The table is replaced as a whole when the bundled files change (75,600 rows: comparing them row
by row buys nothing); a checksum in ``load_records`` says whether they did.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from sqlalchemy import Table, delete
from sqlalchemy.orm import Session

from rcphub.db.models import LoadRecord, MigrantStock, MigrantTotal
from rcphub.db.versioning import note_write
from rcphub.refdata.files import checksum, read_text

FILES = (
    "migrant_stock/undesa_ims2020_bilateral_stock_1990_2020.csv",
    "migrant_stock/totals_by_country.csv",
)
RECORD = "migrant-stock"
SOURCE = (
    "United Nations Department of Economic and Social Affairs, Population Division (2020). "
    "International Migrant Stock 2020 (POP/DB/MIG/Stock/Rev.2020). CC BY 3.0 IGO."
)


def _int(value: str) -> int | None:
    return int(value) if value not in ("", None) else None


def _bulk_insert(session: Session, table: Table, rows: list[tuple]) -> None:
    """Bulk load through the driver: COPY on PostgreSQL, one executemany on SQLite. Both take
    well under a second for the 75k rows, where ORM or Core inserts take several."""
    note_write(session)
    connection = session.connection()
    columns = ", ".join(column.name for column in table.columns)
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in table.columns)
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({columns}) VALUES ({placeholders})",  # noqa: S608 - the model's own names
        rows,
    )


def _rows(name: str) -> Iterator[dict[str, str]]:
    reader = csv.reader(read_text(name).splitlines())
    header = next(reader)
    for values in reader:
        yield dict(zip(header, values, strict=True))


def migrant_stock_is_current(session: Session) -> bool:
    record = session.get(LoadRecord, RECORD)
    return record is not None and record.checksum == checksum(*FILES)


def load_migrant_stock(session: Session, loaded_at: str) -> tuple[int, int]:
    """Replace the migrant stock tables if the bundled files changed; return (deleted,
    inserted) row counts, (0, 0) when nothing changed."""
    digest = checksum(*FILES)
    record = session.get(LoadRecord, RECORD)
    if record is not None and record.checksum == digest:
        return 0, 0
    deleted = session.execute(delete(MigrantStock)).rowcount or 0
    deleted += session.execute(delete(MigrantTotal)).rowcount or 0
    stock = [
        (
            int(row["year"]),
            row["origin_iso3"],
            row["destination_iso3"],
            int(row["stock"]),
            _int(row["stock_male"]),
            _int(row["stock_female"]),
        )
        for row in _rows(FILES[0])
    ]
    totals = [
        (
            int(row["year"]),
            row["iso3"],
            int(row["immigrant_stock_total"]),
            int(row["emigrant_stock_total"]),
        )
        for row in _rows(FILES[1])
    ]
    _bulk_insert(session, MigrantStock.__table__, stock)
    _bulk_insert(session, MigrantTotal.__table__, totals)
    if record is None:
        session.add(LoadRecord(name=RECORD, checksum=digest, loaded_at=loaded_at))
    else:
        record.checksum, record.loaded_at = digest, loaded_at
    return deleted, len(stock) + len(totals)
