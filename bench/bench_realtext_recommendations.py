"""Recommendation detection on real outcome documents: precision and recall per half.

Runs the hand-labelled excerpts of ``tests/realtext/operative`` (README there) through the
upload path's reader and parser and the detector, and prints precision, recall and kind
accuracy on the tuning and held-out halves, per language, and (with ``--errors``) every false
proposal and miss. ``--detector-from REV`` measures the detector of another git revision
instead (its ``src/rcphub/followup/detect.py`` must import nothing from rcphub), e.g. the
figures before the real-text work::

    .venv/bin/python bench/bench_realtext_recommendations.py
    .venv/bin/python bench/bench_realtext_recommendations.py --errors
    .venv/bin/python bench/bench_realtext_recommendations.py --detector-from 8c2dedd

Offline, a few seconds.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.realtext.operative.evaluation import HALVES, evaluate  # noqa: E402


def detector_from(revision: str) -> Any:
    """``detect_recommendations`` as it was at a git revision."""
    source = subprocess.run(
        ["git", "show", f"{revision}:src/rcphub/followup/detect.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    module = types.ModuleType(f"detect_at_{revision}")
    module.__dict__["__name__"] = module.__name__
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, f"{revision}:detect.py", "exec"), module.__dict__)
    return module.detect_recommendations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every FP and FN")
    parser.add_argument("--detector-from", metavar="REV", help="measure a git revision's detector")
    args = parser.parse_args()
    kwargs = {"detector": detector_from(args.detector_from)} if args.detector_from else {}
    print(f"detector: {args.detector_from or 'working tree'}")
    print("| half | precision | recall | tp | fp | fn | kind right |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    details = []
    for half in (*HALVES, None):
        score, by_language = evaluate(half, **kwargs)
        name = half or "all"
        print(
            f"| {name} | {score.precision:.2f} | {score.recall:.2f} | {score.tp} | {score.fp} "
            f"| {score.fn} | {score.kind_accuracy:.2f} |"
        )
        if half:
            details.append((name, score, by_language))
    for name, score, by_language in details:
        print(f"\n{name} by language:")
        for lang, part in sorted(by_language.items()):
            positives = part.tp + part.fn
            proposed = part.tp + part.fp
            precision = f"{part.precision:.2f}" if proposed else "–"
            recall = f"{part.recall:.2f}" if positives else "–"
            print(
                f"  {lang}: precision {precision} recall {recall} "
                f"({positives} labelled, {proposed} proposed)"
            )
        if args.errors:
            for error in score.errors:
                print(f"  {error}")


if __name__ == "__main__":
    main()
