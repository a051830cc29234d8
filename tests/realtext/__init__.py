"""Real outcome documents nobody on the team wrote, labelled by hand (see each folder's
README), and :func:`paragraphs` for tests that want real text in the six languages."""

from __future__ import annotations

from pathlib import Path

import yaml

TESTS = Path(__file__).resolve().parents[1]


def paragraphs() -> list[tuple[str, str]]:
    """``(paragraph, language)``: the Lima summary in six languages (tests/linking/gold) and
    the real openings of tests/realtext/openings."""
    found: list[tuple[str, str]] = []
    for path in sorted((TESTS / "linking" / "gold").glob("lima-2013.*.txt")):
        language = path.name.split(".")[1]
        found += [(p, language) for p in path.read_text("utf-8").split("\n\n") if p.strip()]
    for path in sorted((TESTS / "realtext" / "openings").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text("utf-8")):
            found += [(p, item["language"]) for p in item["text"].split("\n\n") if p.strip()]
    return found
