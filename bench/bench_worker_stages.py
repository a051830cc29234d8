"""CPU per passage of one ingest worker, stage by stage, and the stages' outputs for comparing
two versions of the code.

One process runs what an ``rcphub ingest`` worker runs per file
(``rcphub.documents.ingest._prepare_in_worker``: read, parse with language identification,
link, candidates, filing suggestions, the shared embedding, theme tagging) over the first
``--docs`` documents of ``bench_ingest.py``'s generated corpus, after one warm-up document.
Each stage is timed by wrapping its function with ``time.process_time`` (no profiler, so the
figures are CPU time as the worker spends it); the lingua detector, built once per worker
process, is built before the timed run and reported apart. ``--no-embed`` leaves out the
model and the tagger (the stages outside the model only).

``--dump FILE`` writes instead what the stages produce (documents, passages with their
languages, mentions, candidates, filing suggestions; the tagger's keyword bonus per passage
and concept, and its picks on fixed rows; the linker and the candidate finder in all six
languages on each passage) for the generated documents and the real text of the repository
(tests/realtext, the Lima summary in six languages, the bundled Russian summary).
``--compare A B`` says whether two dumps are equal. To check that a change keeps every
output, dump with each version of ``src`` first on the path::

    PYTHONPATH=/path/to/old/src .venv/bin/python bench/bench_worker_stages.py --dump old.pickle
    PYTHONPATH=src .venv/bin/python bench/bench_worker_stages.py --dump new.pickle
    .venv/bin/python bench/bench_worker_stages.py --compare old.pickle new.pickle

    .venv/bin/python bench/bench_worker_stages.py [--docs 100] [--corpus DIR] [--no-embed]
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if "PYTHONPATH" not in os.environ:  # else the caller chose which src to measure
    sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))


def _corpus(args: argparse.Namespace) -> Path:
    if args.corpus:
        return Path(args.corpus)
    from bench_ingest import generate

    folder = Path(tempfile.mkdtemp(prefix="rcphub-bench-stages-"))
    generate(folder, args.docs, seed=7, workers=2)
    return folder


def _worker(embed: bool):  # type: ignore[no-untyped-def]
    """A worker's state, as ``_start_worker`` makes it, on a scratch database."""
    from bench_ingest import _scratch_database

    from rcphub.documents import ingest

    database, directory = _scratch_database()
    ingestor = ingest.Ingestor(database, tag=True, embed=True)
    gazetteer, concepts = ingestor._gazetteer(), ingestor._concepts()
    database.dispose()
    shutil.rmtree(directory, ignore_errors=True)
    ingest._start_worker(gazetteer, 500, embed, concepts)
    return ingest, gazetteer, concepts


def measure(args: argparse.Namespace) -> None:
    from rcphub.documents.parsing import language, structure
    from rcphub.linking import candidates
    from rcphub.themes import tagger

    corpus = _corpus(args)
    ingest, _gazetteer, _concepts = _worker(not args.no_embed)
    spent: dict[str, float] = defaultdict(float)

    def timed(owner, name: str, label: str) -> None:  # type: ignore[no-untyped-def]
        function = getattr(owner, name)

        def wrapper(*a, **k):  # type: ignore[no-untyped-def]
            start = time.process_time()
            try:
                return function(*a, **k)
            finally:
                spent[label] += time.process_time() - start

        setattr(owner, name, wrapper)

    timed(ingest, "read_document", "read")
    timed(ingest, "parse_document", "parse (with languages)")
    timed(structure, "detect_languages", "  of which languages")
    timed(ingest, "_link", "link")
    timed(candidates.CandidateFinder, "find", "candidates")
    timed(ingest, "suggest_filing", "filing suggestions")
    timed(ingest, "embed_prepared", "embedding (model)")
    timed(ingest, "tag_prepared", "tagging")
    timed(tagger.Tagger, "scores", "  of which scores")

    files = sorted(corpus.iterdir())[: args.docs]
    data = [(path.read_bytes(), path.name) for path in files]
    start = time.process_time()
    language._detector or language._build_detector()
    lingua = time.process_time() - start
    ingest._prepare_in_worker(*data[0])
    spent.clear()
    passages = 0
    start = time.process_time()
    for item in data[1:]:
        prepared = ingest._prepare_in_worker(*item)
        passages += len(prepared.passages)
    total = time.process_time() - start
    print(f"{len(data) - 1} documents, {passages} passages: {total / passages * 1000:.3f} ms CPU")
    print(f"per passage in all (lingua detector built once per process: {lingua:.2f} s)")
    order = ["read", "parse (with languages)", "  of which languages", "link", "candidates",
             "filing suggestions", "embedding (model)", "tagging", "  of which scores"]  # fmt: skip
    for label in order:
        seconds = spent.get(label, 0.0)
        print(f"  {label:26s} {seconds / passages * 1000:7.3f} ms/passage  ({seconds:.2f} s)")
    outside = sum(v for k, v in spent.items() if not k.startswith("  ") and "model" not in k)
    print(f"  {'outside the model':26s} {outside / passages * 1000:7.3f} ms/passage")


def _real_documents() -> list[tuple[str, bytes]]:
    import yaml

    tests = ROOT / "tests"
    found = []
    for path in sorted((tests / "realtext" / "openings").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text("utf-8")):
            found.append((item["id"] + ".txt", item["text"].encode()))
    for path in sorted((tests / "realtext" / "operative" / "excerpts").glob("*.yaml")):
        item = yaml.safe_load(path.read_text("utf-8"))
        text = "\n\n".join(p["text"] for p in item["paragraphs"])
        found.append((path.stem + ".txt", text.encode()))
    bundled = ROOT / "src" / "rcphub" / "refdata" / "data" / "documents"
    for path in [*sorted((tests / "linking" / "gold").glob("*.txt")), *bundled.glob("*.txt")]:
        found.append((path.name, path.read_bytes()))
    return found


def dump(args: argparse.Namespace) -> None:
    import numpy as np

    from rcphub.config import LANGUAGES
    from rcphub.linking import EntityLinker
    from rcphub.themes.tagger import PassageInput, Tagger

    corpus = _corpus(args)
    ingest, gazetteer, concepts = _worker(False)
    linker = EntityLinker(gazetteer)
    finder = ingest.candidate_finder(linker)

    class NoModel:
        name, dims = "none", 8

    keyword_tagger = Tagger(concepts, NoModel())
    keyword_tagger._vectors = np.zeros((len(concepts), 8), dtype=np.float32)
    documents = [(p.name, p.read_bytes()) for p in sorted(corpus.iterdir())[: args.docs]]
    documents += _real_documents()
    rng = random.Random(5)
    out = {}
    for name, data in documents:
        prepared = ingest.prepare_document(data, name, linker, max_pages=500)
        spans = prepared.mention_spans()
        inputs = [
            PassageInput(p["text"], p["language"], p["kind"], tuple(spans.get(i, ())))
            for i, p in enumerate(prepared.passages)
        ]
        bonus = keyword_tagger.scores(inputs, np.zeros((len(inputs), 8), dtype=np.float32))
        rows = [np.asarray([rng.random() for _ in concepts], dtype=np.float32) for _ in range(3)]
        everywhere = []
        for passage in prepared.passages[:200]:
            text = passage["text"][:4000]
            for lang in LANGUAGES:
                mentions = linker.find(text, lang)
                known = [(m.start, m.end) for m in mentions]
                everywhere.append((lang, mentions, finder.find(text, lang, known)))
        out[name] = {
            "document": prepared.document,
            "passages": prepared.passages,
            "mentions": prepared.mentions,
            "candidates": prepared.candidates,
            "suggestions": prepared.suggestions,
            "keyword bonus": bonus.tolist(),
            "picks": [keyword_tagger.pick(row) for row in rows],
            "linker and candidates in six languages": everywhere,
        }
    Path(args.dump).write_bytes(pickle.dumps(out))
    passages = sum(len(v["passages"]) for v in out.values())
    print(f"{len(out)} documents, {passages} passages -> {args.dump}")


def compare(first: str, second: str) -> int:
    a = pickle.loads(Path(first).read_bytes())
    b = pickle.loads(Path(second).read_bytes())
    differing = [
        (name, key)
        for name in a
        for key in a[name]
        if name not in b or a[name][key] != b[name][key]
    ]
    counts = {
        "passages": sum(len(v["passages"]) for v in a.values()),
        "mentions": sum(len(v["mentions"]) for v in a.values()),
        "candidates": sum(len(v["candidates"]) for v in a.values()),
        "keyword matches": sum(x > 0 for v in a.values() for r in v["keyword bonus"] for x in r),
    }
    print(f"{len(a)} documents ({', '.join(f'{n:,} {k}' for k, n in counts.items())})")
    if a.keys() != b.keys() or differing:
        print("DIFFERENT:", sorted(set(a) ^ set(b)), differing[:20])
        return 1
    print("identical")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--corpus", help="a folder of bench_ingest.py documents (else generated)")
    parser.add_argument("--no-embed", action="store_true", help="the stages outside the model")
    parser.add_argument("--dump", help="write the stages' outputs to this file")
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.dump:
        dump(args)
    else:
        measure(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
