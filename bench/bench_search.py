"""Search: index build time and size, query latency (keyword / semantic / hybrid), server RSS,
and tantivy as a peer for keyword queries, at 10k / 100k / 1M passages.

Corpus: the Lima Chair's summary in its six language versions (ingested for real: parsed,
linked, stored), plus generated documents of ~40 passages each. A generated passage joins
one to three texts of one language from a pool made of the bundled SDG targets and goals, the
GCM objectives and the Lima paragraphs, a third of them naming three states in the language's
own names (``..., as stressed by Peru, Mexico and Chile``); mentions come from running the
real entity linker over the pool once. Documents get a type, a year (2000-2025) and links to
one or two processes. Generation is deterministic: the 10k corpus is the start of the 100k one.

Embeddings: computed once with the real model and cached under ``--workdir`` (passages/s is
reported); the index build then reads them through the ``Embedder`` interface, so the build
time is analysis + postings + vectors + HNSW. Query embeddings are computed for real on every
query (the service's query cache is cleared before each).

Queries: 51 in the six languages (words, phrases, OR, exclusions, filters); after one untimed
round (the index pages come into memory), each mode runs
``--rounds`` times, in a child process that only opens the index (its RSS is the server's
figure). Latency is the whole ``SearchService.search`` call: parse, match, rank, facets over
the full match set, hits fetched from SQLite with highlights and citations. tantivy (same
analyzers: Snowball stemmers per language, ASCII folding, jieba-segmented Chinese; AND by
default) answers the keyword queries (top 20 + count) in the same child.

    .venv/bin/python bench/bench_search.py [--sizes 10000,100000] [--rounds 3]
        [--workdir /tmp/rcphub-bench-search] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))

from rcphub.config import LANGUAGES, Settings  # noqa: E402

DATA = ROOT / "src/rcphub/refdata/data"
LIMA_FILES = [DATA / "documents/lima-2013-chairs-summary.ru.txt"] + [
    ROOT / f"tests/linking/gold/lima-2013.{lang}.txt" for lang in ("en", "fr", "es", "ar", "zh")
]
TEMPLATES = {
    "en": "{text}, as stressed by {a}, {b} and {c}.",
    "fr": "{text}, comme l'ont souligné {a}, {b} et {c}.",
    "es": "{text}, como destacaron {a}, {b} y {c}.",
    "ru": "{text}, как подчеркнули {a}, {b} и {c}.",
    "ar": "{text}، كما أكدت {a} و{b} و{c}.",
    "zh": "{text}，正如{a}、{b}和{c}所强调的。",
}
DOC_TYPES = ("chair-summary", "declaration", "action-plan", "report", "letter", "note-verbale")
PASSAGES_PER_DOC = 40
EMBED_LIMIT = 100_000
"""Generated passages beyond this many get approximated vectors (see approximate_vectors)."""
SEED = 20131

QUERIES = [
    "migration", "labour mobility", '"regional consultative processes"', "migrant workers rights",
    "trafficking OR smuggling", "remittances lang:en", "climate change", "cooperation -regional",
    "migration", "mobilité de la main-d'œuvre", '"processus consultatifs régionaux"',
    "droits des travailleurs migrants", "traite OR trafic", "envois de fonds",
    "changements climatiques", "coopération lang:fr",
    "migración", "movilidad laboral", '"procesos consultivos regionales"',
    "derechos de los trabajadores migrantes", "trata OR tráfico", "remesas",
    "cambio climático", "cooperación year:2010..2020",
    "миграция", "трудовая мобильность", '"региональные консультативные процессы"',
    "права трудящихся-мигрантов", "торговля людьми", "денежные переводы", "изменение климата",
    "сотрудничество lang:ru",
    "الهجرة", "تنقل اليد العاملة", "العمال المهاجرين", "الاتجار بالأشخاص", "التحويلات المالية",
    "تغير المناخ", "التعاون الإقليمي", "حقوق المهاجرين",
    "移民", "劳动力流动", "区域协商进程", "移徙工人权利", "贩运人口", "汇款", "气候变化",
    "区域合作",
    "migration process:bali-process", "state:PER", "poverty type:declaration",
]  # fmt: skip


# -- corpus ----------------------------------------------------------------------------------
def _pool(session) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from rcphub.db.models import State

    pool: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    with (DATA / "sdg/sdg_targets.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for lang in LANGUAGES:
                pool[lang].append(row[f"title_{lang}"])
    with (DATA / "sdg/sdg_goals.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for lang in LANGUAGES:
                pool[lang].append(row[f"title_{lang}"])
    with (DATA / "gcm/gcm_objectives.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for lang in ("en", "fr", "es"):
                if row.get(f"title_{lang}"):
                    pool[lang].append(row[f"title_{lang}"])
    for path in LIMA_FILES:
        lang = path.name.split(".")[-2]
        lang = "ru" if "chairs-summary" in path.name else lang
        pool[lang].extend(
            line.strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if len(line.strip()) > 80
        )
    names: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for state in session.scalars(select(State).where(State.un_status == "member")):
        for lang in LANGUAGES:
            if state.names.get(lang):
                names[lang].append(state.names[lang])
    rng = random.Random(SEED)
    for lang in LANGUAGES:
        base = list(pool[lang])
        for text in base[: len(base) // 2]:
            a, b, c = rng.sample(names[lang], 3)
            pool[lang].append(TEMPLATES[lang].format(text=text.rstrip("."), a=a, b=b, c=c))
    return pool


def _document(
    index: int, pool, mentions, processes, with_picks: bool = False
) -> tuple[dict, list[dict], list[tuple]]:  # type: ignore[no-untyped-def]
    rng = random.Random(SEED * 1_000_003 + index)
    lang = LANGUAGES[index % 6]
    doc_id = hashlib.sha256(f"bench-{index}".encode()).hexdigest()[:16]
    year = rng.randint(2000, 2025)
    doc = {
        "id": doc_id,
        "language": lang,
        "year": year,
        "doc_type": rng.choice(DOC_TYPES),
        "links": rng.sample(processes, rng.randint(1, 2)),
    }
    passages, passage_mentions = [], []
    items = pool[lang]
    for position in range(PASSAGES_PER_DOC):
        picks = rng.sample(range(len(items)), rng.randint(1, 3))
        sep = "" if lang == "zh" else " "
        text, found, offset = "", [], 0
        for pick in picks:
            if text:
                text += sep
                offset = len(text)
            text += items[pick]
            found.extend((e, s + offset, t + offset, sf) for e, s, t, sf in mentions[lang][pick])
        passage = {"ref": str(position + 1), "position": position, "text": text}
        if with_picks:
            passage["picks"] = picks
        passages.append(passage)
        passage_mentions.append(found)
    return doc, passages, passage_mentions


def build_corpus(database, size: int) -> int:  # type: ignore[no-untyped-def]
    """Lima in six languages (real ingest) plus generated documents up to ``size`` passages."""
    from datetime import date

    from sqlalchemy import func, insert, select

    from rcphub.db.models import Body, Document, DocumentLink, Mention, Passage, Work
    from rcphub.documents import Ingestor
    from rcphub.linking import EntityLinker, Gazetteer

    ingestor = Ingestor(database)
    for path in LIMA_FILES:
        ingestor.ingest_bytes(path.read_bytes(), path.name)
    with database.session() as session:
        have = session.scalar(select(func.count()).select_from(Passage)) or 0
        pool = _pool(session)
        linker = EntityLinker(Gazetteer.from_session(session))
        processes = sorted(
            session.scalars(select(Body.id).where(Body.kind.in_(("rcp", "irf", "global"))))
        )
    mentions = {lang: [[(m.entity, m.start, m.end, m.surface) for m in linker.find(t, lang)]
                       for t in pool[lang]] for lang in LANGUAGES}  # fmt: skip
    documents = (size - have + PASSAGES_PER_DOC - 1) // PASSAGES_PER_DOC
    chunk = 250
    for first in range(0, documents, chunk):
        with database.session() as session:
            numbers = range(first, min(first + chunk, documents))
            batch = [_document(i, pool, mentions, processes) for i in numbers]
            works = session.scalars(
                insert(Work).returning(Work.id, sort_by_parameter_order=True),
                [{"title": f"Generated {d['doc_type']} {d['id']}"} for d, _, _ in batch],
            ).all()
            session.execute(insert(Document), [
                {"id": d["id"], "content_hash": d["id"] * 4, "work_id": work, "title":
                 f"Generated {d['doc_type']} {d['id']}", "language": d["language"],
                 "date": date(d["year"], 6, 1), "doc_type": d["doc_type"], "filename": "gen.txt",
                 "source_format": "txt", "size_bytes": 0, "passage_count": len(p),
                 "warnings": [], "ingested_at": "2026-01-01T00:00:00"}
                for (d, p, _), work in zip(batch, works, strict=True)
            ])  # fmt: skip
            session.execute(insert(DocumentLink), [
                {"document_id": d["id"], "target": f"process:{t}"} for d, _, _ in batch
                for t in d["links"]
            ])  # fmt: skip
            rows = [
                {"document_id": d["id"], "ref": p["ref"], "position": p["position"],
                 "kind": "paragraph", "language": d["language"], "text": p["text"],
                 "footnote_refs": []}
                for d, ps, _ in batch for p in ps
            ]  # fmt: skip
            ids = session.scalars(
                insert(Passage).returning(Passage.id, sort_by_parameter_order=True), rows
            ).all()
            found = [m for _, _, ms in batch for m in ms]
            mention_rows = [
                {"passage_id": pid, "document_id": row["document_id"], "entity": e,
                 "start": s, "end": t, "surface": sf}
                for pid, row, ms in zip(ids, rows, found, strict=True) for e, s, t, sf in ms
            ]  # fmt: skip
            if mention_rows:
                session.execute(insert(Mention), mention_rows)
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Passage)) or 0


# -- embeddings ------------------------------------------------------------------------------
class PrecomputedEmbedder:
    """Vectors computed earlier (keyed by text), the real model for anything else."""

    def __init__(self, inner, table: dict[int, np.ndarray]) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.table = inner, table
        self.name, self.dims = inner.name, inner.dims

    def embed(self, texts):  # type: ignore[no-untyped-def]
        return self.inner.embed(texts)  # queries

    def embed_passages(self, texts):  # type: ignore[no-untyped-def]
        from rcphub.search.embedding import embed_by_clauses
        from rcphub.search.segment import text_key

        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        missing = []
        for i, text in enumerate(texts):
            vector = self.table.get(text_key(text))
            if vector is None:
                missing.append(i)
            else:
                out[i] = vector
        if missing:
            out[missing] = embed_by_clauses(
                self.inner.embed, [texts[i] for i in missing], self.dims
            )
        return out


EMBED_WORKERS = 2
_worker_model = None


def _embed_init() -> None:
    global _worker_model
    from rcphub.search import UseEmbedder

    _worker_model = UseEmbedder(threads=1)


def _embed_chunk(texts: list[str]) -> np.ndarray:
    assert _worker_model is not None
    from rcphub.search.embedding import embed_by_clauses

    return embed_by_clauses(_worker_model.embed, texts, 512).astype(np.float16)


def cached_vectors(
    database, workdir: Path, inner, extra: dict | None = None
) -> tuple[dict[int, np.ndarray], float]:  # type: ignore[no-untyped-def]
    """Embed every passage not yet in the cache (nor in ``extra``); returns the table and
    passages/s measured."""
    from sqlalchemy import select

    from rcphub.db.models import Passage
    from rcphub.search.segment import text_key

    # (vectors are clause means: see rcphub.search.embedding.embed_by_clauses)
    keys_path, vecs_path = workdir / "clause_vec_keys.npy", workdir / "clause_vec_values.npy"
    keys = np.load(keys_path) if keys_path.exists() else np.zeros(0, dtype=np.uint64)
    values = np.load(vecs_path) if vecs_path.exists() else np.zeros((0, 512), dtype=np.float16)
    known = set(keys.tolist()) | set(extra or ())
    todo: list[tuple[int, str]] = []
    with database.session() as session:
        for (text,) in session.execute(select(Passage.text)):
            key = text_key(text)
            if key not in known:
                known.add(key)
                todo.append((key, text))
    rate = 0.0
    if todo:
        from concurrent.futures import ProcessPoolExecutor

        print(f"embedding {len(todo)} passages with {EMBED_WORKERS} processes ...", flush=True)
        started = time.perf_counter()
        new_keys, new_values = [], []
        chunks = [todo[i : i + 1000] for i in range(0, len(todo), 1000)]
        with ProcessPoolExecutor(EMBED_WORKERS, initializer=_embed_init) as pool:
            done = 0
            embedded = pool.map(_embed_chunk, ([t for _, t in c] for c in chunks))
            for part, vectors in zip(chunks, embedded, strict=True):
                new_values.append(vectors)
                new_keys.extend(k for k, _ in part)
                done += len(part)
                elapsed = time.perf_counter() - started
                print(f"  {done}/{len(todo)} {done / elapsed:.0f}/s", flush=True)
                if done % 50_000 < 1000 or done == len(todo):  # checkpoint
                    keys = np.concatenate([keys, np.array(new_keys, dtype=np.uint64)])
                    values = np.concatenate([values, *new_values])
                    new_keys, new_values = [], []
                    np.save(keys_path, keys)
                    np.save(vecs_path, values)
        rate = len(todo) / (time.perf_counter() - started)
    table = dict(zip(keys.tolist(), values, strict=True))
    if extra:
        for key, vector in extra.items():
            table.setdefault(key, vector)
    return table, rate


def approximate_vectors(database, workdir: Path, inner, size: int) -> dict[int, np.ndarray]:  # type: ignore[no-untyped-def]
    """For corpora above ``--embed-limit``: every generated passage past the limit gets the
    normalised sum of the embeddings of the pool texts it joins (each pool text embedded for
    real), so the vectors have the corpus's real distribution without hours of embedding."""
    from sqlalchemy import select

    from rcphub.db.models import Body
    from rcphub.search.segment import text_key

    with database.session() as session:
        pool = _pool(session)
        processes = sorted(
            session.scalars(select(Body.id).where(Body.kind.in_(("rcp", "irf", "global"))))
        )
    pool_cache = workdir / "clause_pool_vectors.npz"
    if pool_cache.exists():
        loaded = np.load(pool_cache)
        pool_vectors = {lang: loaded[lang] for lang in LANGUAGES}
    else:
        from rcphub.search.embedding import embed_by_clauses

        pool_vectors = {
            lang: embed_by_clauses(inner.embed, pool[lang], inner.dims) for lang in LANGUAGES
        }
        np.savez(pool_cache, **pool_vectors)
    no_mentions = {lang: [[] for _ in pool[lang]] for lang in LANGUAGES}
    documents = (size + PASSAGES_PER_DOC - 1) // PASSAGES_PER_DOC
    out: dict[int, np.ndarray] = {}
    for index in range(EMBED_LIMIT // PASSAGES_PER_DOC, documents):
        doc, passages, _ = _document(index, pool, no_mentions, processes, with_picks=True)
        vectors = pool_vectors[doc["language"]]
        for passage in passages:
            vector = vectors[passage["picks"]].sum(axis=0)
            out[text_key(passage["text"])] = (vector / np.linalg.norm(vector)).astype(np.float16)
    return out


# -- phases ----------------------------------------------------------------------------------
def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory now (``VmHWM``: its peak) — per process image, unlike ``ru_maxrss``,
    which Linux carries over from the parent across ``exec``."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def build(size: int, workdir: Path, corpus_only: bool = False) -> dict:
    from rcphub.db import Database
    from rcphub.refdata import load_reference_data
    from rcphub.search import SearchService, UseEmbedder

    directory = workdir / f"n{size}"
    database = Database(
        Settings(database_url=f"sqlite:///{directory / 'bench.sqlite3'}", data_dir=directory)
    )
    result: dict = {"size": size}
    if not (directory / "corpus.done").exists():
        database.migrate()
        with database.session() as session:
            load_reference_data(session)
        started = time.perf_counter()
        result["passages"] = build_corpus(database, size)
        result["corpus_seconds"] = round(time.perf_counter() - started, 1)
        (directory / "corpus.done").write_text(str(result["passages"]))
    result["passages"] = int((directory / "corpus.done").read_text())
    if corpus_only:
        return result
    inner = UseEmbedder(threads=1)
    extra = None
    if size > EMBED_LIMIT:
        extra = approximate_vectors(database, workdir, inner, size)
        result["approximated_vectors"] = len(extra)
    table, rate = cached_vectors(database, workdir, inner, extra)
    del extra
    if rate:
        result["embed_per_second"] = round(rate, 1)
    service = SearchService.from_settings(database.settings, PrecomputedEmbedder(inner, table))
    del table
    started = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 30 or done == total:
            last[0] = time.perf_counter()
            print(f"  indexed {done}/{total}", flush=True)

    with database.session() as session:
        service.rebuild(session, progress, reuse_vectors=False)
    result["build_seconds"] = round(time.perf_counter() - started, 1)
    result["index_mb"] = round(service.store.size_bytes() / 1e6, 1)
    result["build_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    started = time.perf_counter()
    build_tantivy(database, directory / "tantivy")
    result["tantivy_build_seconds"] = round(time.perf_counter() - started, 1)
    result["tantivy_mb"] = round(
        sum(p.stat().st_size for p in (directory / "tantivy").iterdir()) / 1e6, 1
    )
    database.dispose()
    return result


def _tantivy_schema():  # type: ignore[no-untyped-def]
    import tantivy

    builder = tantivy.SchemaBuilder()
    for lang in LANGUAGES:
        builder.add_text_field(f"text_{lang}", stored=False, tokenizer_name=f"rcp_{lang}")
    builder.add_integer_field("pid", stored=True, indexed=True, fast=True)
    builder.add_text_field("lang", stored=False, tokenizer_name="raw")
    builder.add_text_field("type", stored=False, tokenizer_name="raw")
    builder.add_integer_field("year", indexed=True, fast=True)
    for name in ("process", "state", "org"):
        builder.add_text_field(name, stored=False, tokenizer_name="raw")
    return builder.build()


def _tantivy_index(path: Path, create: bool):  # type: ignore[no-untyped-def]
    import tantivy

    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(_tantivy_schema(), path=str(path), reuse=not create)
    stems = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian", "ar": "arabic"}
    for lang in LANGUAGES:
        if lang == "zh":
            analyzer = (
                tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
                .filter(tantivy.Filter.lowercase())
                .build()
            )
        else:
            analyzer = (
                tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                .filter(tantivy.Filter.remove_long(64))
                .filter(tantivy.Filter.lowercase())
                .filter(tantivy.Filter.stemmer(stems[lang]))
                .filter(tantivy.Filter.ascii_fold())
                .build()
            )
        index.register_tokenizer(f"rcp_{lang}", analyzer)
    return index


def _zh_segment(text: str) -> str:
    from rcphub.search.analysis import han_words

    return " ".join(w for w, _start, _end in han_words(text) if w.strip())


def build_tantivy(database, path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    import tantivy

    from rcphub.search.source import iter_rows

    shutil.rmtree(path, ignore_errors=True)
    index = _tantivy_index(path, create=True)
    writer = index.writer(heap_size=500_000_000, num_threads=2)
    with database.session() as session:
        for rows in iter_rows(session, batch=5000):
            for row in rows:
                lang = row.language if row.language in LANGUAGES else "en"
                text = _zh_segment(row.text) if lang == "zh" else row.text
                fields = {f"text_{lang}": text, "pid": row.passage_id, "lang": row.language,
                          "type": row.doc_type, "year": row.year or 0}  # fmt: skip
                for name in ("process", "state", "org"):
                    values = getattr(row, name)
                    if values:
                        fields[name] = values
                writer.add_document(tantivy.Document(**fields))
    writer.commit()
    writer.wait_merging_threads()


def _tantivy_query(index, query: str):  # type: ignore[no-untyped-def]
    """The same query for tantivy: words in every language field (Chinese segmented), filters
    as required terms."""
    from rcphub.search.analysis import script_of

    words, filters = [], []
    for part in query.split():
        if ":" in part and part.split(":")[0] in ("lang", "process", "state", "type", "year"):
            name, value = part.split(":", 1)
            if name == "year" and ".." in value:
                low, high = value.split("..")
                filters.append(f"+year:[{low} TO {high}]")
            else:
                filters.append(f'+{name}:"{value}"')
        elif script_of(part.strip('"-')) == "han":
            words.append(_zh_segment(part))
        else:
            words.append(part)
    text = " ".join(words)
    fields = [f"text_{lang}" for lang in LANGUAGES]
    parsed = (
        index.parse_query_lenient(text, fields, conjunction_by_default=True)[0] if text else None
    )
    if filters:
        import tantivy

        clauses = [(tantivy.Occur.Must, index.parse_query(f[1:], [])) for f in filters]
        if parsed is not None:
            clauses.append((tantivy.Occur.Must, parsed))
        return tantivy.Query.boolean_query(clauses)
    return parsed


def _percentiles(values: list[float]) -> dict[str, float]:
    arr = np.array(values) * 1000
    return {f"p{q}": round(float(np.percentile(arr, q)), 1) for q in (50, 95, 99)}


def query_phase(size: int, workdir: Path, rounds: int) -> dict:
    from rcphub.db import Database
    from rcphub.search import SearchQuery, SearchService
    from rcphub.search.analysis import han_words

    directory = workdir / f"n{size}"
    database = Database(
        Settings(database_url=f"sqlite:///{directory / 'bench.sqlite3'}", data_dir=directory)
    )
    service = SearchService.from_settings(database.settings)
    result: dict = {"rss_start_mb": round(rss_mb())}
    service.embedder.embed_query("warm up")
    list(han_words("移民"))
    with database.session() as session:
        service.search(session, SearchQuery(q="migration", mode="hybrid"))  # opens the index
    totals: dict[str, int] = {}
    for mode in ("keyword", "semantic", "hybrid"):  # one untimed round: pages of the index in
        for q in QUERIES:
            with database.session() as session:
                service.search(session, SearchQuery(q=q, mode=mode, limit=20))
    result["rss_warm_mb"] = round(rss_mb())
    for mode in ("keyword", "semantic", "hybrid"):
        times: list[float] = []
        for _ in range(rounds):
            for q in QUERIES:
                service.embedder._cache.clear()
                with database.session() as session:
                    started = time.perf_counter()
                    found = service.search(session, SearchQuery(q=q, mode=mode, limit=20))
                    times.append(time.perf_counter() - started)
                if mode == "keyword":
                    totals[q] = found.total
        result[mode] = _percentiles(times)
    engine_times = []
    for _ in range(rounds):
        for q in QUERIES:
            parsed = service.parse(SearchQuery(q=q))
            started = time.perf_counter()
            snapshot = service.snapshot()
            parts = snapshot.keyword(parsed)
            from rcphub.search.service import _ranked

            _ranked(parts, 20, by_score=True)
            engine_times.append(time.perf_counter() - started)
    result["keyword_engine"] = _percentiles(engine_times)
    result["rss_mb"] = round(rss_mb())
    result["peak_rss_mb"] = round(rss_mb("VmHWM"))

    index = _tantivy_index(directory / "tantivy", create=False)
    index.reload()
    searcher = index.searcher()
    peer_times, peer_totals = [], {}
    for _ in range(rounds):
        for q in QUERIES:
            started = time.perf_counter()
            query = _tantivy_query(index, q)
            if query is None:
                continue
            hits = searcher.search(query, 20)
            count = hits.count
            for _score, address in hits.hits:
                searcher.doc(address)
            peer_times.append(time.perf_counter() - started)
            peer_totals[q] = count
    result["tantivy_keyword"] = _percentiles(peer_times)
    peer = result["tantivy_keyword"]
    for name, ours, q in (("keyword_p50", "keyword", "p50"), ("keyword_p95", "keyword", "p95"),
                          ("engine_p50", "keyword_engine", "p50"),
                          ("engine_p95", "keyword_engine", "p95")):  # fmt: skip
        result[f"ratio_{name}"] = round(result[ours][q] / max(peer[q], 0.01), 1)
    result["totals"] = {q: [totals.get(q), peer_totals.get(q)] for q in QUERIES}
    database.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/rcphub-bench-search"))
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--embed-limit",
        type=int,
        default=100_000,
        help="passages that get the real model's vectors; past it, sums of pool vectors",
    )
    parser.add_argument("--query-only", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--corpus-only", action="store_true", help="only generate the corpora")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    global EMBED_LIMIT
    EMBED_LIMIT = args.embed_limit
    if args.query_only:
        print(json.dumps(query_phase(args.query_only, args.workdir, args.rounds)))
        return
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"== {size} passages", flush=True)
        result = build(size, args.workdir, corpus_only=args.corpus_only)
        print(json.dumps(result), flush=True)
        if args.corpus_only:
            continue
        child = subprocess.run(
            [sys.executable, __file__, "--query-only", str(size), "--workdir", str(args.workdir),
             "--rounds", str(args.rounds)],
            capture_output=True, text=True, check=True, env={**os.environ},
        )  # fmt: skip
        result.update(json.loads(child.stdout.strip().splitlines()[-1]))
        print(json.dumps(result, ensure_ascii=False), flush=True)
        results.append(result)
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
