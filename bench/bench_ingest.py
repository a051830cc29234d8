"""Ingest throughput: parse + link + store of a generated corpus, passages/s and peak memory.

Generates ``--docs`` multi-page outcome documents, the six UN languages in turn, with the
generator of ``bench_parse.py`` (UN masthead, titles, numbered paragraphs, lettered
sub-paragraphs, footnotes, page breaks cutting paragraphs, signature, annex; sentences from
the SDG target texts and the Lima Chair's summary). A third of the sentences of each language
carry names of states, processes and organisations from the gazetteer in that language
(templates of ``bench_linking.py``), so the linker has work to do. Formats: 85 % .txt, 5 %
each .md, .html and .docx. Generation is not timed: the files are written to a temporary
folder first.

Then, each in a child process of its own (so that its peak memory is its own), on a freshly
prepared database (migrated, reference data loaded, Lima ingested: not timed):

- ``parallel``: ``Ingestor.ingest_paths(files, workers=--workers)`` over the whole corpus;
- ``serial``: the same with one process, over the first ``--serial-docs`` documents;
- ``profile``: a serial run of ``--profile-docs`` documents under cProfile (CPU time), for
  the split of the time between read, parse, link and store;
- ``postgresql``: the parallel run again on PostgreSQL when ``--database-url`` is given (a
  database of its own is created on that server and dropped afterwards; ``--pg-docs``).

Figures are wall clock over the whole ``ingest_paths`` call (embeddings are not part of
ingest), with the CPU time of the ingesting process and its workers beside them (passages per
CPU-second depend less on what else the machine runs) and the load average before and after.
Peak memory is ``ru_maxrss``: of the ingesting process and of its largest worker.

    .venv/bin/python bench/bench_ingest.py [--docs 10000] [--workers N] [--serial-docs 2000]
        [--profile-docs 300] [--database-url postgresql+psycopg://...] [--pg-docs 1000]
        [--keep DIR] [--json out.json]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from itertools import pairwise
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from bench_linking import TEMPLATES  # noqa: E402
from bench_parse import LANGUAGES, _sentences, make_spec  # noqa: E402

FORMATS = ("txt",) * 17 + ("md", "html", "docx")  # 85 % .txt, 5 % each of the others
MIN_PARAGRAPHS, MAX_PARAGRAPHS = 14, 28  # about 33 to 60 passages a document
NAMED_SHARE = 3  # one sentence in NAMED_SHARE carries names

# --- corpus -------------------------------------------------------------------------------------

_POOLS: dict[str, list[str]] = {}


def sentence_pools(seed: int) -> dict[str, list[str]]:
    """bench_parse's sentences per language, a third of them with three names added."""
    from rcphub.linking import Gazetteer

    database, directory = _scratch_database()
    try:
        with database.session() as session:
            gazetteer = Gazetteer.from_session(session)
    finally:
        database.dispose()
        shutil.rmtree(directory, ignore_errors=True)
    rng = random.Random(seed)
    pools = _sentences()
    for language in LANGUAGES:
        names = [
            values[0]
            for entry in gazetteer.entries
            if (values := entry.names.get(language)) and entry.kind in ("state", "process", "org")
        ]
        pool = pools[language]
        for index, text in enumerate(pool):
            if index % NAMED_SHARE == 0:
                a, b, c = rng.sample(names, 3)
                pool[index] = TEMPLATES[language].format(text=text.rstrip(".。"), a=a, b=b, c=c)
    return pools


def _scratch_database():  # type: ignore[no-untyped-def]
    from rcphub.config import Settings
    from rcphub.db import Database
    from rcphub.refdata import load_reference_data

    directory = Path(tempfile.mkdtemp(prefix="rcphub-bench-gaz-"))
    database = Database(
        Settings(database_url=f"sqlite:///{directory / 'g.sqlite3'}", data_dir=directory)
    )
    database.migrate()
    with database.session() as session:
        load_reference_data(session)
    return database, directory


def _init_generator(pools: dict[str, list[str]]) -> None:
    _POOLS.update(pools)


def _render_one(job: tuple[int, int, str]) -> tuple[str, int]:
    from tests.documents.render import render

    index, seed, folder = job
    rng = random.Random(seed * 1_000_003 + index)
    language = LANGUAGES[index % len(LANGUAGES)]
    fmt = FORMATS[(index // len(LANGUAGES)) % len(FORMATS)]
    paragraphs = rng.randint(MIN_PARAGRAPHS, MAX_PARAGRAPHS)
    spec = make_spec(language, _POOLS[language], rng, paragraphs)
    data = render(spec, language, fmt)
    name = f"doc{index:05d}.{language}.{fmt}"
    (Path(folder) / name).write_bytes(data)
    return fmt, len(data)


def generate(folder: Path, docs: int, seed: int, workers: int) -> dict[str, object]:
    """Write ``docs`` documents to ``folder``; return what was written."""
    pools = sentence_pools(seed)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(index, seed, str(folder)) for index in range(docs)]
    formats: dict[str, int] = {}
    size = 0
    with ProcessPoolExecutor(workers, initializer=_init_generator, initargs=(pools,)) as pool:
        for fmt, length in pool.map(_render_one, jobs, chunksize=64):
            formats[fmt] = formats.get(fmt, 0) + 1
            size += length
    return {"documents": docs, "formats": formats, "megabytes": round(size / 2**20, 1)}


def describe(folder: Path, docs: int) -> dict[str, object]:
    """What :func:`generate` returns, for a corpus generated before (``--keep``)."""
    files = sorted(folder.iterdir())[:docs]
    formats: dict[str, int] = {}
    for path in files:
        formats[path.suffix[1:]] = formats.get(path.suffix[1:], 0) + 1
    size = sum(path.stat().st_size for path in files)
    return {"documents": docs, "formats": formats, "megabytes": round(size / 2**20, 1)}


# --- one measured run, in a child process -------------------------------------------------------


def _prepare(database_url: str | None, data_dir: Path):  # type: ignore[no-untyped-def]
    from rcphub.bootstrap import prepare_database
    from rcphub.config import Settings
    from rcphub.db import Database

    settings = Settings(
        data_dir=data_dir,
        database_url=database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}",
    )
    database = Database(settings)
    prepare_database(database)
    return database


def _counts(database) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from rcphub.db.models import Document, Mention, Passage

    with database.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Document)) or 0,
            session.scalar(select(func.count()).select_from(Passage)) or 0,
            session.scalar(select(func.count()).select_from(Mention)) or 0,
        )


def _database_bytes(database) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    if database.engine.url.get_backend_name() == "postgresql":
        with database.engine.connect() as connection:
            return int(connection.scalar(text("SELECT pg_database_size(current_database())")))
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    path = Path(database.engine.url.database)
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _cpu_seconds() -> tuple[float, float]:
    """User + system CPU time of this process, and of its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(args: argparse.Namespace) -> dict[str, object]:
    """Ingest the corpus once (the child side of :func:`run_child`)."""
    from rcphub.documents import Ingestor

    files = sorted(Path(args.corpus).iterdir())[: args.limit]
    data_dir = Path(args.data_dir)
    database = _prepare(args.database_url, data_dir)
    ingestor = Ingestor(database)
    before = _counts(database)
    # CPU time, not wall time: the split should not depend on what else the machine runs
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    kwargs = {"workers": args.workers} if args.workers != 1 else {}
    marks: list[float] = []  # when each outcome came: does it slow down as the database grows?

    def progress(_outcome: object) -> None:
        marks.append(time.perf_counter())

    load_before = os.getloadavg()[0]
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    outcomes = ingestor.ingest_paths(files, progress=progress, **kwargs)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    cpu_main, cpu_workers = (a - b for a, b in zip(_cpu_seconds(), cpu_before, strict=True))
    cpu = cpu_main + cpu_workers  # the workers count once the pool has shut down
    load_after = os.getloadavg()[0]
    after = _counts(database)
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    errors = [o.error for o in outcomes if o.error]
    result: dict[str, object] = {
        "backend": database.engine.url.get_backend_name(),
        "workers": args.workers,
        "documents": len(files),
        "created": sum(o.created for o in outcomes),
        "errors": len(errors),
        "first_errors": errors[:3],
        "passages": after[1] - before[1],
        "mentions": after[2] - before[2],
        "seconds": round(seconds, 2),
        "documents_per_s": round(len(files) / seconds, 1),
        "passages_per_s": round((after[1] - before[1]) / seconds),
        "cpu_seconds": round(cpu, 1),
        "cpu_seconds_main": round(cpu_main, 1),
        "passages_per_cpu_s": round((after[1] - before[1]) / cpu),
        "load_average": [round(load_before, 1), round(load_after, 1)],
        "peak_rss_mb": round(self_peak),
        "peak_rss_worker_mb": round(child_peak),
        "database_mb": round(_database_bytes(database) / 2**20, 1),
        "files_mb": round(_tree_bytes(database.settings.files_dir) / 2**20, 1),
    }
    thousands = [started, *marks[999::1000]]
    result["seconds_per_1000_documents"] = [round(b - a, 1) for a, b in pairwise(thousands)]
    if profiler:
        result["split"] = _split(profiler, seconds)
    database.dispose()
    return result


# (file suffix, function) whose cumulative time is a phase of the ingest
PHASES = {
    "read": ("parsing/registry.py", "read_document"),
    "parse": ("parsing/structure.py", "parse_document"),
    "link": ("linking/linker.py", "find"),
    "store": ("documents/ingest.py", "_commit"),
}


def _split(profiler: cProfile.Profile, seconds: float) -> dict[str, float]:
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, _), (_, _, tt, _, _) in stats.items())
    shares: dict[str, float] = {}
    for phase, (suffix, function) in PHASES.items():
        cumulative = sum(
            ct
            for (filename, _, name), (_, _, _, ct, _) in stats.items()
            if name == function and filename.endswith(suffix)
        )
        shares[phase] = round(cumulative / total, 3)
    shares["other"] = round(1 - sum(shares.values()), 3)
    shares["cpu_seconds_profiled"] = round(total, 2)
    shares["wall_seconds"] = round(seconds, 2)
    return shares


def run_child(corpus: Path, work: Path, label: str, **options: object) -> dict[str, object]:
    """Run :func:`measure` in a fresh interpreter and return its result."""
    data_dir = work / f"data-{label}"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "_measure",
        "--corpus",
        str(corpus),
        "--data-dir",
        str(data_dir),
    ]
    for key, value in options.items():
        if value is True:
            command.append(f"--{key.replace('_', '-')}")
        elif value not in (None, False):
            command += [f"--{key.replace('_', '-')}", str(value)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{label} run failed ({done.returncode})")
    shutil.rmtree(data_dir, ignore_errors=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- PostgreSQL: a database of its own on the given server --------------------------------------


def _create_pg_database(server_url: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"rcphub_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(server_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# --- report -------------------------------------------------------------------------------------


def _row(label: str, result: dict[str, object]) -> str:
    return (
        f"| {label} | {result['backend']} | {result['workers']} | {result['documents']} | "
        f"{result['passages']} | {result['mentions']} | {result['seconds']} | "
        f"{result['documents_per_s']} | **{result['passages_per_s']}** | "
        f"{result['passages_per_cpu_s']} | "
        f"{result['peak_rss_mb']} / {result['peak_rss_worker_mb']} | "
        f"{result['database_mb']} | {result['errors']} | "
        f"{result['load_average'][0]} → {result['load_average'][1]} |"
    )


def report(results: dict[str, object]) -> None:
    corpus = results["corpus"]
    print(
        f"\ncorpus: {corpus['documents']} documents, {corpus['megabytes']} MB, "  # type: ignore[index]
        f"formats {corpus['formats']}, generated in {corpus['seconds']} s"  # type: ignore[index]
    )
    print(
        "\n| run | database | processes | documents | passages | mentions | s | documents/s "
        "| passages/s | passages/CPU-s | peak RSS MB (main / worker) | DB MB | errors "
        "| load avg |"
    )
    print(
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: "
        "| ---: | --- |"
    )
    for label in ("parallel", "serial", "postgresql"):
        if label in results:
            print(_row(label, results[label]))  # type: ignore[arg-type]
    if "profile" in results:
        split = results["profile"]["split"]  # type: ignore[index]
        print(
            f"\nsplit of a serial run of {results['profile']['documents']} documents under "  # type: ignore[index]
            f"cProfile (CPU time): read {split['read']:.0%}, parse {split['parse']:.0%}, "
            f"link {split['link']:.0%}, store {split['store']:.0%}, other {split['other']:.0%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--serial-docs", type=int, default=2000, help="0: no serial run")
    parser.add_argument("--profile-docs", type=int, default=300, help="0: no profile")
    parser.add_argument("--database-url", help="also run on this PostgreSQL server")
    parser.add_argument("--pg-docs", type=int, help="documents for PostgreSQL (default --docs)")
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="rcphub-bench-ingest-"))
    try:
        corpus = args.keep or work / "corpus"
        started = time.perf_counter()
        if args.keep and corpus.exists() and len(list(corpus.iterdir())) >= args.docs:
            summary = describe(corpus, args.docs)
        else:
            summary = generate(corpus, args.docs, args.seed, args.workers)
        summary["seconds"] = round(time.perf_counter() - started, 1)
        print(f"generated {summary}", flush=True)
        results: dict[str, object] = {
            "corpus": summary,
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        }
        runs = [("parallel", {"workers": args.workers, "limit": args.docs})]
        if args.serial_docs:
            runs.append(("serial", {"workers": 1, "limit": min(args.serial_docs, args.docs)}))
        if args.profile_docs:
            runs.append(("profile", {"workers": 1, "limit": args.profile_docs, "profile": True}))
        for label, options in runs:
            results[label] = run_child(corpus, work, label, **options)
            print(f"{label}: {results[label]}", flush=True)
        if args.database_url:
            name, url = _create_pg_database(args.database_url)
            try:
                results["postgresql"] = run_child(
                    corpus,
                    work,
                    "postgresql",
                    workers=args.workers,
                    limit=args.pg_docs or args.docs,
                    database_url=url,
                )
            finally:
                _drop_pg_database(args.database_url, name)
            print(f"postgresql: {results['postgresql']}", flush=True)
        report(results)
        if args.json:
            args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def child_main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command")
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--profile", action="store_true")
    result = measure(parser.parse_args())
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        child_main()
    else:
        main()
