"""Calibrate the theme tagger: the threshold per scheme that maximises F1 on the calibration
sentences (``src/rcphub/themes/data/calibration.yaml``), never on the evaluation set.

Prints, per scheme, the best threshold and the P/R/F1 there; copy the thresholds into
``themes/data/rules.yaml``. Needs a database with the reference data (``rcphub load``).

    .venv/bin/python bench/calibrate_tagger.py [--data-dir var]
"""

from __future__ import annotations

import argparse
from importlib import resources

import numpy as np
import yaml

from rcphub.config import Settings
from rcphub.db import Database
from rcphub.themes.evaluation import score_scheme
from rcphub.themes.tagger import PassageInput, Tagger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="var")
    args = parser.parse_args()
    database = Database(Settings(data_dir=args.data_dir))
    with database.session() as session:
        tagger = Tagger.from_session(session)
    text = resources.files("rcphub.themes").joinpath("data/calibration.yaml").read_text("utf-8")
    items = yaml.safe_load(text)
    passages = [PassageInput(item["text"], item["lang"]) for item in items]
    gold = [item["tags"] for item in items]
    # the vectors the tagger uses: the passages' shared embeddings (clause by clause, names
    # blanked out), as stored in passage_vectors
    vectors = tagger.passage_embedder.embed_passages([p.text for p in passages])
    scores = tagger.scores(passages, vectors)
    for scheme, rule in tagger.rules.schemes.items():
        best = None
        for threshold in np.arange(0.30, 0.90, 0.01):
            rule.threshold = float(threshold)
            predicted = [[s.tag for s in tagger.pick(row)] for row in scores]
            result = score_scheme(scheme, gold, predicted)
            if best is None or result.f1 > best[1].f1 + 1e-9:
                best = (float(threshold), result)
        assert best is not None
        print(f"{scheme:8} threshold {best[0]:.2f}  {best[1]}")


if __name__ == "__main__":
    main()
