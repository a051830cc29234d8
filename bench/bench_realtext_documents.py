"""Metadata from the text of real outcome documents: title, type, date, place, linking of known
entities, unknown bodies proposed as candidates, processes suggested — for the tuning and the
held-out halves of tests/realtext/openings/ (41 openings in six languages, labelled by hand).

Builds a fresh SQLite database with the reference data (for the entity linker), runs every
opening through the ingest pipeline's prepare_document as a .txt upload and prints the figures;
``--misses`` also lists every miss. Takes about half a minute (mostly the linker's build).

    .venv/bin/python bench/bench_realtext_documents.py [--misses] [--split heldout]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from rcphub.config import Settings  # noqa: E402
from rcphub.db import Database  # noqa: E402
from rcphub.linking import EntityLinker, Gazetteer  # noqa: E402
from rcphub.refdata import load_reference_data  # noqa: E402
from tests.documents.realtext import (  # noqa: E402
    SPLITS,
    evaluate,
    format_report,
    load_documents,
)


def build_linker(directory: Path) -> EntityLinker:
    database = Database(
        Settings(database_url=f"sqlite:///{directory / 'bench.sqlite3'}", data_dir=directory)
    )
    database.migrate()
    with database.session() as session:
        load_reference_data(session)
        gazetteer = Gazetteer.from_session(session)
    database.dispose()
    return EntityLinker(gazetteer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--split", choices=SPLITS, help="only this half")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        linker = build_linker(Path(directory))
    for split in (args.split,) if args.split else SPLITS:
        report = evaluate(load_documents(split), linker)
        print(format_report(split, report))
        if args.misses:
            for miss in report.misses:
                print("   -", miss)
        print()


if __name__ == "__main__":
    main()
