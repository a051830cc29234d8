"""Which of the six UN languages a text is in.

Three steps, cheapest first:

1. Script, because it is exact and free: among en fr es ru ar zh, Cyrillic letters can only be
   Russian, Arabic letters only Arabic and Han characters only Chinese.
2. Function words, for Latin text: English, French and Spanish each have short words the other
   two never use (``the which been`` / ``les des avec`` / ``los del para``, see
   :data:`FUNCTION_WORDS`). When one language has at least :data:`MIN_FUNCTION_WORDS` of them
   and :data:`FUNCTION_WORD_MARGIN` times as many as either other, that is the answer. In
   :func:`detect_languages` the answer must also be the document's own (the one most passages
   give), so a passage in another language, or a mixed one, still goes to lingua.
3. lingua, for the rest of the Latin text, restricted to the Latin-script members of the six
   (English, French, Spanish; adding the other three changes no answer for Latin text, since
   lingua filters by script too). Measured here: building the detector with preloaded models
   takes ~0.7 s and ~40 MB (all six preloaded: 2.2 s, ~100 MB; six lazily loaded: the first
   call takes 1.3 s), then a passage takes ~0.5-0.8 ms: half of all parsing time, before
   step 2 took ~95 % of passages away from it.

Steps 1 and 2 change no answer that lingua alone gave, measured on the 55,483 passages of
1,200 generated documents (bench/bench_ingest.py, all six languages), the SDG targets, the
Lima summary and its translations in tests/linking/gold, and the test corpus of
tests/documents in every format. On 3,000 sentences spliced from two languages, step 2
declined three times in four and differed from lingua on 8 of the 787 it decided: halves of
two languages, where lingua's own answer is close to a coin toss.

"und" comes back for text with fewer than :data:`MIN_LETTERS` letters (:data:`MIN_HAN` Han
characters: each carries more), and for Latin text where lingua's best guess is not clearly
ahead (:data:`MIN_CONFIDENCE`).

The detector is built lazily, once, under a lock, so any thread may call
:func:`detect_language` first.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

MIN_LETTERS = 20
MIN_HAN = 6
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 4000
PASSAGE_SAMPLE_CHARS = 600
MIN_FUNCTION_WORDS = 3
PARALLEL_FROM = 16
"""Fewer texts than this go to lingua one by one: its thread pool costs more than it saves on
a handful (several times more when the cores are busy, as in ingest's worker processes)."""
FUNCTION_WORD_MARGIN = 5

FUNCTION_WORDS = {
    "en": "the of and to with for that which by is are was were be been this these those its "
    "their from at into through will would should shall has have had not also such other",
    "fr": "le les des du et au aux pour dans sur par est sont une qui avec ce cette ces leur "
    "leurs ont été être il elle ils nous vous ne pas aussi dont ainsi",
    "es": "el los las del y por para con una es su sus al lo como más sobre también está "
    "están han ser fue sido muy cual cuales este esta estos estas",
}
"""Words of one of the three that the other two do not use (``de la en que un se a``, shared,
and ``an on or son ha``, words elsewhere, are left out)."""

_SCRIPT_RANGES = (
    ("ru", "\u0400-\u04ff"),
    ("ar", "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefe"),
    ("zh", "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"),
)
# Runs rather than single characters: the same counts, a tenth of the matches.
_SCRIPTS = tuple((code, re.compile(f"[{chars}]+")) for code, chars in _SCRIPT_RANGES)
_ANY_SCRIPT = re.compile(f"[{''.join(chars for _, chars in _SCRIPT_RANGES)}]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_ENOUGH_LATIN = re.compile(rf"(?:[^A-Za-z\u00c0-\u024f]*[A-Za-z\u00c0-\u024f]){{{MIN_LETTERS}}}")
_MARKERS = re.compile(r"\[\^[^\]]*\]")
_WORD = re.compile(r"[^\W\d_]+")
_WORD_LANGUAGE = {word: code for code, words in FUNCTION_WORDS.items() for word in words.split()}

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


def _letters(pattern: re.Pattern[str], sample: str) -> int:
    return sum(map(len, pattern.findall(sample)))


def _by_script(sample: str) -> str | None:
    """The answer when script decides it, or ``None`` when the text is Latin."""
    if _ANY_SCRIPT.search(sample) is None:  # no letter of the three: the common case, fast
        return None if _ENOUGH_LATIN.match(sample) else "und"
    counts = {code: _letters(pattern, sample) for code, pattern in _SCRIPTS}
    latin = _letters(_LATIN, sample)
    script, count = max(counts.items(), key=lambda item: item[1])
    if script == "zh" and count >= MIN_HAN and count >= latin / 4:
        return "zh"
    if count > latin:
        return script if count >= MIN_LETTERS else "und"
    if latin < MIN_LETTERS:
        return "und"
    return None


def _by_function_words(sample: str) -> str | None:
    """The answer for Latin text when its function words leave no doubt, else ``None``."""
    counts = Counter(map(_WORD_LANGUAGE.get, _WORD.findall(sample.lower())))
    counts.pop(None, None)
    ranked = counts.most_common(2)
    if not ranked:
        return None
    code, first = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    if first >= MIN_FUNCTION_WORDS and first >= FUNCTION_WORD_MARGIN * second:
        return code
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
    decided = _by_script(sample) or _by_function_words(sample)
    if decided is not None:
        return decided
    detector = _detector or _build_detector()
    return _code(detector.compute_language_confidence_values(sample))


def detect_languages(texts: list[str], *, sample_chars: int = PASSAGE_SAMPLE_CHARS) -> list[str]:
    """:func:`detect_language` for many texts at once: when at least :data:`PARALLEL_FROM`
    need lingua, they go to it in one batch, which it spreads over all cores. Only the first
    ``sample_chars`` of each text are looked at (passages are long enough well before that)."""
    samples = [_MARKERS.sub("", text[:sample_chars]) for text in texts]
    answers = [_by_script(sample) for sample in samples]
    latin = [index for index, answer in enumerate(answers) if answer is None]
    by_words = {index: _by_function_words(samples[index]) for index in latin}
    found = Counter(code for code in by_words.values() if code is not None)
    if found:
        own = found.most_common(1)[0][0]  # the document's language
        for index, code in by_words.items():
            if code == own:
                answers[index] = code
    pending = [index for index, answer in enumerate(answers) if answer is None]
    if pending:
        detector = _detector or _build_detector()
        texts = [samples[index] for index in pending]
        if len(texts) >= PARALLEL_FROM:
            batch = detector.compute_language_confidence_values_in_parallel(texts)
        else:
            batch = [detector.compute_language_confidence_values(text) for text in texts]
        for index, values in zip(pending, batch, strict=True):
            answers[index] = _code(values)
    return [answer or "und" for answer in answers]
