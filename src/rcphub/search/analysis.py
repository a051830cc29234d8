"""Analyzers: text → index terms with positions and character offsets, per language.

One analyzer serves the six UN languages, because the script of a word decides how it is
read far better than the language label of the passage it sits in:

- Latin words: NFKC, lower case, the Snowball stem of the passage's language (English for a
  Latin word inside a Russian, Arabic or Chinese passage), then accents folded, so ``États``,
  ``etats`` and ``état`` meet, and ``migración`` meets ``migracion``.
- Cyrillic words: lower case, ``ё`` read as ``е``, the Snowball Russian stem.
- Arabic words: diacritics and tatweel removed, ``أ إ آ ٱ`` → ``ا``, ``ى`` → ``ي``, a
  conjunction or preposition glued to the article (``وال بال فال كال``, ``لل``) read as the
  article, then the Snowball Arabic stem.
- Han text: jieba (:func:`han_words`) in search mode, so a compound (``劳动力``) is indexed
  with the dictionary words inside it (``劳动``, ``动力``): a query word found inside a longer
  document word still matches.
- Anything else (digits, other scripts): lower case, accents folded.

No stop words are dropped (phrases need them; queries are conjunctive, so they cost
only time). Positions count words; a Han run takes as many positions as it has characters and
a Han term sits at its first character, its *width* being its length, so a phrase is a chain
of terms where each starts where the previous ends.

Queries are analysed the same way, except that a Latin query word, whose language is
unknown, offers the stems of all three Latin languages as *variants* of one term.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from rcphub.config import LANGUAGES
from rcphub.limits import HAN_RUN_CHARS

LATIN_STEMMERS = {"en": "english", "fr": "french", "es": "spanish"}
_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0640\u00ad\u200c\u200d"
WORD = re.compile(rf"[{_HAN_CHARS}]+|(?:[^\W_{_HAN_CHARS}]|[{_MARKS}])+")
"""A run of Han characters, or a word (letters, digits, combining marks)."""

_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي",
                             "ک": "ك"})  # fmt: skip
_CACHE_LIMIT = 1_000_000
MAX_TERM_CHARS = 64


class Token(NamedTuple):
    """One index term of a text: the term, its position and width, its character span."""

    term: str
    position: int
    width: int
    start: int
    end: int


def is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def script_of(word: str) -> str:
    """``han``, ``cyrillic``, ``arabic``, ``latin`` or ``other``, from the first letter."""
    for char in word:
        if "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff":
            return "han"
        if "\u0400" <= char <= "\u04ff":
            return "cyrillic"
        if "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f":
            return "arabic"
        if char.isalpha():
            return "latin" if char.isascii() or "\u00c0" <= char <= "\u024f" else "other"
    return "other"


def fold_accents(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def han_words(run: str, *, search: bool = True) -> Iterator[tuple[str, int, int]]:
    """The words of a run of Han characters, ``(word, start, end)`` in characters of the run:
    jieba's search mode (each dictionary word inside a longer one too, before it), or its
    plain cut with ``search=False``. jieba through ``rjieba`` (the Rust port, jieba-rs, with
    the same dictionary and HMM: the same words, ~6 times faster, and no 1-2 s load).

    Bounded: the segmenter gets :data:`~rcphub.limits.HAN_RUN_CHARS` characters at a time,
    so a caller that stops early (the index keeps a passage's first terms) stops the work."""
    import rjieba

    mode = "search" if search else "default"
    for at in range(0, len(run), HAN_RUN_CHARS):
        for word, begin, end in rjieba.tokenize(run[at : at + HAN_RUN_CHARS], mode=mode):
            yield word, at + begin, at + end


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """A query word: the index terms that may stand for it, and its width in positions."""

    variants: tuple[str, ...]
    width: int
    surface: str


class Analyzer:
    """Turns passages and query words into index terms (thread-safe; caches word → term)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], str] = {}
        self._text_cache: dict[tuple[str, str], str] = {}
        self._local = threading.local()

    # -- words ---------------------------------------------------------------------------------
    def _stemmer(self, algorithm: str):  # type: ignore[no-untyped-def]
        stemmers = getattr(self._local, "stemmers", None)
        if stemmers is None:
            stemmers = self._local.stemmers = {}
        stemmer = stemmers.get(algorithm)
        if stemmer is None:
            import Stemmer

            stemmer = stemmers[algorithm] = Stemmer.Stemmer(algorithm)
        return stemmer

    def word_term(self, word: str, family: str) -> str:
        """The index term of one non-Han word read as ``family`` (a Latin language code,
        ``ru``, ``ar`` or ``plain``); cached."""
        key = (word, family)
        term = self._cache.get(key)
        if term is None:
            term = self._compute(word, family)[:MAX_TERM_CHARS]
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = term
        return term

    def _compute(self, word: str, family: str) -> str:
        word = unicodedata.normalize("NFKC", word).replace("\u00ad", "").lower()
        if family in LATIN_STEMMERS:
            return fold_accents(self._stemmer(LATIN_STEMMERS[family]).stemWord(word))
        if family == "ru":
            return self._stemmer("russian").stemWord(word.replace("ё", "е"))
        if family == "ar":
            word = _AR_DIACRITICS.sub("", word).translate(_AR_LETTERS)
            if len(word) > 4 and word[0] in "وفبك" and word[1:3] == "ال":
                word = word[1:]
            elif len(word) > 3 and word.startswith("لل"):
                word = "ال" + word[2:]
            return self._stemmer("arabic").stemWord(word) or word
        return fold_accents(word)

    @staticmethod
    def family(word: str, language: str) -> str:
        script = script_of(word)
        if script == "latin":
            return language if language in LATIN_STEMMERS else "en"
        if script == "cyrillic":
            return "ru"
        if script == "arabic":
            return "ar"
        return "plain"

    # -- texts ---------------------------------------------------------------------------------
    def text_term(self, word: str, language: str) -> str:
        """The index term of a non-Han word of a passage in ``language``; cached."""
        key = (word, language)
        term = self._text_cache.get(key)
        if term is None:
            term = self.word_term(word, self.family(word, language))
            if len(self._text_cache) > _CACHE_LIMIT:
                self._text_cache.clear()
            self._text_cache[key] = term
        return term

    def tokens(
        self, text: str, language: str, *, han: bool = True, words: bool = True
    ) -> Iterator[Token]:
        """Index terms of ``text`` (a passage in ``language``), in order of position.
        ``han=False`` / ``words=False`` skip Han runs / other words (positions stay right)."""
        position = 0
        for match in WORD.finditer(text):
            run = match.group()
            start = match.start()
            if "\u3400" <= run[0] <= "\u9fff" or "\uf900" <= run[0] <= "\ufaff":
                if han:
                    for word, begin, end in han_words(run):
                        yield Token(word, position + begin, end - begin, start + begin, start + end)
                position += len(run)
                continue
            if not words:
                position += 1
                continue
            term = self.text_term(run, language)
            if term:
                yield Token(term, position, 1, start, match.end())
                position += 1

    def terms(self, text: str, language: str, limit: int) -> list[tuple[str, int]]:
        """``(term, position)`` of the first ``limit`` tokens: what the index stores (the
        text is read no further). :meth:`tokens` without the spans, in one loop (the index
        analyses every passage: ~40 % faster)."""
        out: list[tuple[str, int]] = []
        append = out.append
        cache = self._text_cache
        position = 0
        for match in WORD.finditer(text):
            if len(out) >= limit:
                break
            run = match.group()
            if "\u3400" <= run[0] <= "\u9fff" or "\uf900" <= run[0] <= "\ufaff":
                for word, begin, _end in han_words(run):
                    if len(out) >= limit:
                        break
                    append((word, position + begin))
                position += len(run)
                continue
            term = cache.get((run, language)) or self.text_term(run, language)
            if term:
                append((term, position))
                position += 1
        return out[:limit]

    def query_terms(self, text: str) -> list[QueryTerm]:
        """The terms of a query word or phrase, in order; a Latin word offers the stems of
        English, French and Spanish as variants."""
        out: list[QueryTerm] = []
        for match in WORD.finditer(text):
            run = match.group()
            if "\u3400" <= run[0] <= "\u9fff" or "\uf900" <= run[0] <= "\ufaff":
                out.extend(
                    QueryTerm((word,), len(word), word)
                    for word, _start, _end in han_words(run, search=False)
                    if word
                )
                continue
            script = script_of(run)
            if script == "latin":
                families: tuple[str, ...] = ("en", "fr", "es")
            else:
                families = (self.family(run, "en"),)
            variants = tuple(dict.fromkeys(t for f in families if (t := self.word_term(run, f))))
            if variants:
                out.append(QueryTerm(variants, 1, run))
        return out


def passage_language(language: str | None, document_language: str | None) -> str:
    """The language a passage is analysed and filtered as: its own if it is one of the six,
    else its document's, else ``und``."""
    for candidate in (language, document_language):
        if candidate in LANGUAGES:
            return candidate  # type: ignore[return-value]
    return "und"
