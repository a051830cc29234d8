"""End to end, from ``rcphub ingest`` of a folder to every passage searchable by meaning.

Generates ``--docs`` outcome documents with ``bench_ingest.py``'s generator (the six languages
in turn, 33-60 passages each, names of states, processes and organisations in a third of the
sentences), prepares a fresh SQLite database (migrated, reference data, the bundled documents,
and a first ``rcphub index``: not timed), then times, as a user would run them:

1. ``rcphub ingest FOLDER`` (read, parse, link, embed and tag every passage in the worker
   processes, store; a thread of the command takes the stored documents into the node's index
   from the stored vectors as it goes, and the rest at the end);
2. ``rcphub index``, only if the ingest left documents out of the index (``--no-index``, or
   the baseline): the node's index takes them in.

After them every passage is in the index with its vector (checked: the index's live rows equal
the database's passages, and every passage that gets a vector has one stored). ``--baseline``
runs the path before issue 12 instead: ``rcphub ingest --no-embed`` (the tagger embeds in one
process) then ``rcphub index`` (which finds the stored vectors the tagger left), and
``--no-embed --no-tag`` leaves all embedding to the index.

    .venv/bin/python bench/bench_index.py [--docs 200] [--workers 2] [--baseline]
        [--no-tag] [--no-index] [--keep DIR] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from bench_ingest import describe, generate  # noqa: E402


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rcphub(data_dir: Path, *args: str) -> tuple[float, float]:
    """Run ``rcphub --data-dir DATA ARGS``; its wall-clock seconds and the CPU seconds of it
    and its worker processes."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(
        [sys.executable, "-m", "rcphub", "--data-dir", str(data_dir), *args],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started, _children_cpu() - cpu


def counts(data_dir: Path) -> dict[str, int]:
    from sqlalchemy import func, select

    from rcphub.config import Settings
    from rcphub.db import Database
    from rcphub.db.models import Document, Passage, PassageVector
    from rcphub.search.relevance import is_content
    from rcphub.search.source import NOT_SEMANTIC
    from rcphub.search.store import IndexStore

    database = Database(Settings(data_dir=data_dir))
    try:
        with database.session() as session:
            # passages the index embeds (content: rcphub.search.relevance.is_content) that
            # have no stored vector
            unembedded = sum(
                is_content(kind, text)
                for kind, text in session.execute(
                    select(Passage.kind, Passage.text)
                    .outerjoin(PassageVector, PassageVector.passage_id == Passage.id)
                    .where(Passage.kind.not_in(NOT_SEMANTIC), PassageVector.passage_id.is_(None))
                )
            )
            found = {
                "documents": session.scalar(select(func.count()).select_from(Document)) or 0,
                "passages": session.scalar(select(func.count()).select_from(Passage)) or 0,
                "vectors": session.scalar(select(func.count()).select_from(PassageVector)) or 0,
                "unembedded": unembedded or 0,
            }
    finally:
        database.dispose()
    store = IndexStore(data_dir / "search")
    manifest = store.read_manifest()
    found["indexed"] = store.open(manifest).live_rows if manifest else 0
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline", action="store_true", help="rcphub ingest --no-embed")
    parser.add_argument("--no-tag", action="store_true", help="rcphub ingest --no-tag")
    parser.add_argument(
        "--no-index", action="store_true", help="rcphub ingest --no-index, then rcphub index"
    )
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="rcphub-bench-index-"))
    corpus = args.keep or work / "corpus"
    try:
        if corpus.exists() and any(corpus.iterdir()):
            made = describe(corpus, args.docs)
        else:
            made = generate(corpus, args.docs, args.seed, args.workers)
        files = sorted(corpus.iterdir())[: args.docs]
        folder = work / "in"
        folder.mkdir()
        for path in files:
            (folder / path.name).symlink_to(path.resolve())
        data_dir = work / "data"
        rcphub(data_dir, "index")  # migrate, load, bundled documents, first index: untimed
        before = counts(data_dir)
        ingest_args = ["ingest", str(folder), "--workers", str(args.workers)]
        if args.baseline:
            ingest_args.append("--no-embed")
        if args.no_tag:
            ingest_args.append("--no-tag")
        if args.no_index:
            ingest_args.append("--no-index")
        load_before = os.getloadavg()
        ingest_s, ingest_cpu = rcphub(data_dir, *ingest_args)
        after = counts(data_dir)
        index_s = index_cpu = 0.0
        if after["indexed"] != after["passages"]:  # left to the node's indexer
            index_s, index_cpu = rcphub(data_dir, "index")
            after = counts(data_dir)
        load_after = os.getloadavg()
        passages = after["passages"] - before["passages"]
        total = ingest_s + index_s
        result = {
            "corpus": made,
            "mode": "baseline (--no-embed)" if args.baseline else "embed in workers",
            "tag": not args.no_tag,
            "index": "rcphub index after" if args.no_index else "alongside the ingest",
            "workers": args.workers,
            "documents": after["documents"] - before["documents"],
            "passages": passages,
            "ingest_s": round(ingest_s, 1),
            "index_s": round(index_s, 1),
            "total_s": round(total, 1),
            "passages_per_s": round(passages / total, 1),
            "cpu_s": round(ingest_cpu + index_cpu, 1),
            "passages_per_cpu_s": round(passages / (ingest_cpu + index_cpu), 1),
            "cores": len(os.sched_getaffinity(0)),
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in load_after],
            "all_indexed": after["indexed"] == after["passages"],
            "all_vectors_stored": after["unembedded"] == 0,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
