"""Language identification on real sentences in the six languages."""

from __future__ import annotations

import csv
import threading
import unicodedata
from pathlib import Path

import pytest

from rcphub.documents.parsing import detect_language

SDG = Path(__file__).resolve().parents[2] / "src/rcphub/refdata/data/sdg/sdg_targets.csv"
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")


def _targets() -> list[dict[str, str]]:
    with SDG.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("language", LANGUAGES)
def test_sdg_targets_are_recognised(language: str) -> None:
    texts = [unicodedata.normalize("NFC", row[f"title_{language}"]) for row in _targets()]
    right = sum(detect_language(text) == language for text in texts)
    assert right / len(texts) >= 0.95, (language, right, len(texts))


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Migration", "Лима", "ليما", "利马", "A/68/50.", "Distr.: General", "2013", "1."],
)
def test_short_text_is_undetermined(text: str) -> None:
    assert detect_language(text) == "und"


def test_markers_and_mixed_scripts() -> None:
    assert detect_language("Участники выразили глубокую признательность[^1] (IOM, ICMPD)") == "ru"
    assert detect_language("与会者包括区域协商进程（RCPs）主席和秘书处的代表") == "zh"
    assert detect_language("Los participantes destacaron las siguientes cuestiones") == "es"
    assert detect_language("Les participants ont souligné les questions essentielles") == "fr"


def test_threads_share_one_detector() -> None:
    results: list[str] = []

    def work() -> None:
        results.append(detect_language("Participants highlighted the following key issues"))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["en"] * 8
