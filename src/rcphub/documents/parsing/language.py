"""Which of the six UN languages a text is in.

Script first, because it is exact and free: among en fr es ru ar zh, Cyrillic letters can
only be Russian, Arabic letters only Arabic and Han characters only Chinese. Only Latin text
needs statistics: it goes to lingua restricted to the Latin-script members of the six
(English, French, Spanish; adding the other three changes no answer for Latin text, since
lingua filters by script too). Measured here: building the detector with preloaded models
takes ~0.7 s and ~40 MB (all six preloaded: 2.2 s, ~100 MB; six lazily loaded: the first call
takes 1.3 s), then a passage takes ~0.2 ms.

"und" comes back for text with fewer than :data:`MIN_LETTERS` letters (:data:`MIN_HAN` Han
characters: each carries more), and for Latin text where lingua's best guess is not clearly
ahead (:data:`MIN_CONFIDENCE`).

The detector is built lazily, once, under a lock, so any thread may call
:func:`detect_language` first.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

MIN_LETTERS = 20
MIN_HAN = 6
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 4000
PASSAGE_SAMPLE_CHARS = 600

_SCRIPTS = (
    ("ru", re.compile("[\u0400-\u04ff]")),
    ("ar", re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefe]")),
    ("zh", re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")),
)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_MARKERS = re.compile(r"\[\^[^\]]*\]")

_detector: LanguageDetector | None = None
_lock = threading.Lock()


def _build_detector() -> LanguageDetector:
    global _detector
    with _lock:
        if _detector is None:
            from lingua import Language, LanguageDetectorBuilder

            _detector = (
                LanguageDetectorBuilder.from_languages(
                    Language.ENGLISH,
                    Language.FRENCH,
                    Language.SPANISH,
                )
                .with_preloaded_language_models()
                .build()
            )
        return _detector


_CODES = {"ENGLISH": "en", "FRENCH": "fr", "SPANISH": "es"}


def _by_script(sample: str) -> str | None:
    """The answer when script decides it, or ``None`` when lingua has to."""
    counts = {code: len(pattern.findall(sample)) for code, pattern in _SCRIPTS}
    latin = len(_LATIN.findall(sample))
    script, count = max(counts.items(), key=lambda item: item[1])
    if script == "zh" and count >= MIN_HAN and count >= latin / 4:
        return "zh"
    if count > latin:
        return script if count >= MIN_LETTERS else "und"
    if latin < MIN_LETTERS:
        return "und"
    return None


def _code(values: list) -> str:  # type: ignore[type-arg]
    if not values:
        return "und"
    best = values[0]
    code = _CODES.get(best.language.name)
    return "und" if code is None or best.value < MIN_CONFIDENCE else code


def detect_language(text: str) -> str:
    """ "en", "fr", "es", "ru", "ar", "zh", or "und" (see the module docs)."""
    sample = _MARKERS.sub("", text[:SAMPLE_CHARS])
    decided = _by_script(sample)
    if decided is not None:
        return decided
    detector = _detector or _build_detector()
    return _code(detector.compute_language_confidence_values(sample))


def detect_languages(texts: list[str], *, sample_chars: int = PASSAGE_SAMPLE_CHARS) -> list[str]:
    """:func:`detect_language` for many texts at once: the ones that need lingua go to it in
    one batch, which it spreads over all cores. Only the first ``sample_chars`` of each text
    are looked at (passages are long enough well before that)."""
    samples = [_MARKERS.sub("", text[:sample_chars]) for text in texts]
    answers = [_by_script(sample) for sample in samples]
    pending = [index for index, answer in enumerate(answers) if answer is None]
    if pending:
        detector = _detector or _build_detector()
        batch = detector.compute_language_confidence_values_in_parallel(
            [samples[index] for index in pending]
        )
        for index, values in zip(pending, batch, strict=True):
            answers[index] = _code(values)
    return [answer or "und" for answer in answers]
