"""Tokenisation and per-language match keys, shared by the gazetteer side and the text side.

A text is cut into tokens that keep their character offsets into the original string:

- a *word* (letters, digits and combining marks; an apostrophe or a hyphen ends it and is
  dropped, so ``l'OIM`` gives ``l`` + ``OIM`` and ``Guinea-Bissau`` gives ``Guinea`` +
  ``Bissau``, and ``Guinea Bissau`` matches the same name);
- a single *Han character* (Chinese names are matched character by character, longest first);
- a single *symbol* (``+ ( ) , . ;`` ...), kept so that ``5+5`` is a name and punctuation
  breaks a multi-word name.

Each token gets a tuple of *keys*; a name matches where the keys of its tokens meet the keys of
consecutive text tokens. Keys per language:

- ``en fr es``: the Snowball stem of the lower-cased word with accents folded afterwards; for
  stems shorter than 4 letters the whole folded word (``=mali``), so ``Malí`` never meets ``mal``;
  articles (``the``, ``le la les l``, ``el la los las``) give no token at all and ``du des d``,
  ``del`` read as ``de`` — ``Organisation des États américains`` and ``de los Estados`` meet.
- ``ru``: every lemma pymorphy3 offers for the word (``Балийского`` → ``балийский``,
  ``Лиги`` → ``лига``), ``ё`` read as ``е``. On the gazetteer side a capitalised word with a
  geographic/name reading keeps only that reading, so the name ``Того`` means Togo, not ``тот``.
- ``ar``: diacritics and tatweel removed, ``أ إ آ ٱ`` → ``ا``, ``ى`` → ``ي``, ``ة`` → ``ه``; on the
  text side also the word without a leading conjunction (``و ف``), preposition (``ب ل ك``) or
  with ``لل`` read as ``ال`` — ``والمنظمة``, ``بالمنظمة``, ``للهجرة`` meet ``المنظمة``, ``الهجرة``.
- ``zh``: the character itself (NFKC, so full-width brackets meet ASCII ones).

Acronyms are case-sensitive: their key is ``#`` + the exact word, which a text word only offers
when it has an upper-case letter or a digit, so ``oim`` inside ``zoim`` or lower-case ``oim``
never meets ``OIM``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rcphub.config import LANGUAGES

CASED_LANGUAGES = frozenset({"en", "fr", "es", "ru"})

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0640\u00ad\u200c\u200d"
_SKIPPED = "'’ʼ‘`´\\-‐‑‒–"
_LETTER = rf"[^\W_{_HAN}]"
_MARK = rf"[{_MARKS}]"
TOKEN = re.compile(
    rf"[{_HAN}]"
    rf"|{_LETTER}+(?:{_MARK}+{_LETTER}*)*|{_MARK}+(?:{_LETTER}+{_MARK}*)*"
    rf"|[^\s{_SKIPPED}]"
)
"""A word, a Han character or a symbol; apostrophes, hyphens and spaces only separate.

A word is a run of letters, digits and marks: ``(?:letter|mark)+``, written as runs of each
(a fifth faster: the engine repeats a single character set in one C loop)."""
_SYMBOLS = {"،": ",", "؛": ";", "—": "-", "―": "-"}

_STEMMERS = {"en": "english", "fr": "french", "es": "spanish"}
_SKIP_WORDS = {
    "en": frozenset({"the"}),
    "fr": frozenset({"le", "la", "les", "l"}),
    "es": frozenset({"el", "la", "los", "las"}),
}
_SAME_WORDS = {
    "fr": {"du": "de", "des": "de", "d": "de", "au": "à", "aux": "à"},
    "es": {"del": "de", "al": "a"},
}
_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                             "ی": "ي", "ک": "ك"})  # fmt: skip
_CACHE_LIMIT = 500_000


@dataclass(frozen=True, slots=True)
class Token:
    """A token of a text: its span, its exact surface and whether it is a word."""

    start: int
    end: int
    surface: str
    kind: str  # word | han | sym


def is_word(surface: str) -> bool:
    return surface[0].isalnum() or len(surface) > 1


def tokenize(text: str) -> list[Token]:
    """Words, Han characters and symbols of ``text``, with offsets; apostrophes and hyphens
    are dropped (they only separate words)."""
    return [
        Token(m.start(), m.end(), m.group(), "word" if is_word(m.group()) else "sym")
        for m in TOKEN.finditer(text)
    ]


def fold_accents(value: str) -> str:
    if value.isascii():  # NFKD leaves ASCII as it is, and it has no combining mark
        return value
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def has_acronym_shape(surface: str) -> bool:
    """Whether a text word may be (part of) an acronym: it has an upper-case letter or a digit."""
    return any(c.isupper() or c.isdigit() for c in surface)


def acronym_key(surface: str) -> str:
    return "#" + unicodedata.normalize("NFKC", surface).replace("\u00ad", "")


def symbol_key(surface: str) -> str:
    value = unicodedata.normalize("NFKC", surface)
    return _SYMBOLS.get(value, value)


class Analyzer:
    """Match keys of words in one language, for names (gazetteer side) and for text.

    Keys of text words are cached (the vocabulary of a corpus is small next to its length);
    the cache and the stemmers are safe to share between threads.
    """

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        self.language = language
        self._cache: dict[str, tuple[str, ...]] = {}
        self._local = threading.local()
        self._lock = threading.Lock()
        self._morph = _russian_morph() if language == "ru" else None
        self._text_keys: Callable[[str], tuple[str, ...]] = {
            "ru": self._ru_text,
            "ar": self._ar_text,
            "zh": self._zh,
        }.get(language, self._latin)

    # -- text side ---------------------------------------------------------------------------
    def text_keys(self, surface: str) -> tuple[str, ...]:
        """Keys a text token offers (empty: the word is skipped, as an article is); cached."""
        keys = self._cache.get(surface)
        if keys is None:
            keys = self.compute_text_keys(surface)
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            self._cache[surface] = keys
        return keys

    def compute_text_keys(self, surface: str) -> tuple[str, ...]:
        """:meth:`text_keys` without the cache."""
        if not is_word(surface):
            return (symbol_key(surface),)
        keys = self._text_keys(surface)
        if keys and has_acronym_shape(surface):  # an article ('El', 'The') stays skipped
            keys = (*keys, acronym_key(surface))
        return keys

    # -- gazetteer side ----------------------------------------------------------------------
    def name_keys(self, surface: str) -> tuple[str, ...]:
        """Keys a word of a name accepts (empty: the word is skipped)."""
        if self.language == "ru":
            return self._ru_name(surface)
        if self.language == "ar":
            return (self._ar_normal(surface),)
        return self._text_keys(surface)

    # -- languages ---------------------------------------------------------------------------
    def _stemmer(self):
        stemmer = getattr(self._local, "stemmer", None)
        if stemmer is None:
            import Stemmer

            stemmer = self._local.stemmer = Stemmer.Stemmer(_STEMMERS[self.language])
        return stemmer

    def _latin(self, surface: str) -> tuple[str, ...]:
        word = unicodedata.normalize("NFKC", surface).replace("\u00ad", "").lower()
        if word in _SKIP_WORDS.get(self.language, ()):
            return ()
        word = _SAME_WORDS.get(self.language, {}).get(word, word)
        stem = fold_accents(self._stemmer().stemWord(word))
        if len(stem) < 4:
            return ("=" + fold_accents(word),)
        return (stem,)

    def _ru_lemmas(self, word: str) -> list[tuple[str, bool]]:
        with self._lock:  # pymorphy3 makes no promise about threads
            parses = self._morph.parse(word)  # type: ignore[union-attr]
        return [
            (
                p.normal_form.replace("ё", "е"),
                bool({"Geox", "Name", "Surn", "Orgn", "Abbr"} & set(p.tag.grammemes)),
            )
            for p in parses
        ]

    def _ru_text(self, surface: str) -> tuple[str, ...]:
        word = surface.replace("\u00ad", "").lower().replace("ё", "е")
        return tuple(dict.fromkeys(lemma for lemma, _ in self._ru_lemmas(word)))

    def _ru_name(self, surface: str) -> tuple[str, ...]:
        word = surface.replace("\u00ad", "").lower().replace("ё", "е")
        lemmas = self._ru_lemmas(word)
        if surface[:1].isupper() and any(proper for _, proper in lemmas):
            lemmas = [(lemma, proper) for lemma, proper in lemmas if proper]
        return tuple(dict.fromkeys(lemma for lemma, _ in lemmas))

    @staticmethod
    def _ar_normal(surface: str) -> str:
        word = unicodedata.normalize("NFKC", surface)
        return _AR_DIACRITICS.sub("", word).translate(_AR_LETTERS).replace("\u00ad", "")

    def _ar_text(self, surface: str) -> tuple[str, ...]:
        word = self._ar_normal(surface)
        if not word:
            return ()
        if not ("\u0600" <= word[0] <= "\u06ff"):
            return (word.lower(),)
        bases = [word]
        if word[0] in "وف" and len(word) > 2:  # 'وفي' is 'و' + 'في'
            bases.append(word[1:])
        keys = list(bases)
        for base in bases:
            if base.startswith("لل") and len(base) > 3:
                keys.append("ال" + base[2:])
            if base[0] in "بلك" and len(base) > 3:
                keys.append(base[1:])
        return tuple(dict.fromkeys(keys))

    @staticmethod
    def _zh(surface: str) -> tuple[str, ...]:
        return (unicodedata.normalize("NFKC", surface).lower(),)


_MORPH = None
_MORPH_LOCK = threading.Lock()


def _russian_morph():
    """One pymorphy3 analyser per process: its dictionaries take a fifth of a second to load."""
    global _MORPH
    with _MORPH_LOCK:
        if _MORPH is None:
            import pymorphy3

            _MORPH = pymorphy3.MorphAnalyzer(lang="ru")
        return _MORPH
