"""The entity linker: a token trie per language over the gazetteer's match keys.

Building: every name, acronym and blocker phrase of every entry is tokenised and keyed as text
will be (:mod:`rcphub.linking.normalise`) and inserted into the trie of its language; a word
with several keys (several Russian lemmas) branches. Finding: for each text token that starts
some name, walk the trie with the keys of the following tokens and keep the longest form whose
conditions hold; then keep non-overlapping matches, longest first (``Papua New Guinea`` over
``Guinea``, ``Budapest Process`` over nothing else, a blocker such as ``Gulf of Guinea`` over
``Guinea``). Two entities on one path at the same length are ambiguous and link to nothing.

Conditions checked on a match:

- acronyms: matched by exact case (their keys are ``#`` + the word) and not next to a word in
  capitals that is no acronym (in the heading ``PLEASE ADD EU FUNDS`` ``EU`` is a word);
- capital initial: single-word names, all state names and the ``capitalised`` forms of a cased
  language need a capital on their first word (``Перу``, ``Того``, ``Мали``, ``Turkey``);
- context rules of gazetteer.yaml (``Того, что``; Arabic ``مالي``).

The linker is immutable after construction (its per-language caches of token keys only grow)
and safe to share between threads. ``collisions`` lists the forms that two entities share
(``Saint-Martin``: MAF and SXM), which therefore link to nothing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter

from rcphub.linking.gazetteer import Gazetteer
from rcphub.linking.model import ContextRule, Mention
from rcphub.linking.normalise import (
    CASED_LANGUAGES,
    LANGUAGES,
    TOKEN,
    Analyzer,
    acronym_key,
    is_word,
    symbol_key,
    tokenize,
)

_END = 0  # trie key of a node's forms (token keys are never the integers 0 and 1)
_RULE = 1  # trie key of a node's context rule
_CACHE_LIMIT = 500_000  # distinct token surfaces kept per language
_LEAD = re.compile(r"(\w+)(\s+|['’])$")


@dataclass(frozen=True, slots=True)
class _Form:
    ref: str | None  # None: a blocker phrase
    form: str
    acronym: bool
    capital: bool
    lead: str | None = None  # a leading article that belongs to the name ('El Salvador')


@dataclass(frozen=True, slots=True, eq=False)  # eq by identity: `None in infos` stays in C
class _TokenInfo:
    """What a text token offers in one language (cached per distinct surface)."""

    keys: tuple[str, ...]
    starts: bool  # some name begins with one of its keys
    word: bool
    surface: str


class EntityLinker:
    """Finds mentions of gazetteer entities in text of one of the six UN languages."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._analyzers = {lang: Analyzer(lang) for lang in LANGUAGES}
        self._tries: dict[str, dict] = {lang: {} for lang in LANGUAGES}
        self._acronym_words: set[str] = set()
        self._token_cache: dict[str, dict[str, _TokenInfo]] = {lang: {} for lang in LANGUAGES}
        self.collisions: dict[str, list[tuple[str, list[str]]]] = {lang: [] for lang in LANGUAGES}
        rules = gazetteer.rules
        self._preceding: dict[ContextRule, frozenset[str]] = {
            rule: frozenset(
                key
                for value in rule.preceded_by
                if " " not in value
                for key in (value, *self._analyzers[rule.language].name_keys(value))
            )
            for rule in rules.context
            if rule.language in self._analyzers
        }
        for entry in gazetteer.entries:
            for lang in LANGUAGES:
                capitalised = rules.capitalised.get(lang, frozenset())
                for name in entry.names.get(lang, ()):
                    capital = lang in CASED_LANGUAGES and (
                        entry.kind == "state" or name in capitalised
                    )
                    self._insert(lang, name, entry.ref, False, capital)
                for acronym in entry.acronyms.get(lang, ()):
                    self._insert(lang, acronym, entry.ref, True, False)
        for lang, phrases in rules.blockers.items():
            for phrase in phrases:
                self._insert(lang, phrase, None, False, False)
        for rule in rules.context:
            # a rule holds for every form written the same way (the same trie node)
            for node in self._nodes(rule.language, rule.form, acronym=False):
                node[_RULE] = rule
        self._find_collisions()

    # -- building ----------------------------------------------------------------------------
    def _insert(self, lang: str, form: str, ref: str | None, acronym: bool, capital: bool) -> None:
        nodes = self._nodes(lang, form, acronym=acronym)
        if not nodes:
            return
        analyzer = self._analyzers[lang]
        words = [t.surface for t in tokenize(form) if t.kind != "sym"]
        if not words[0][:1].isupper():
            capital = False  # the form itself is written lower-case ('the former Yugoslav ...')
        lead = None
        if not acronym and words[0][:1].isupper() and not analyzer.name_keys(words[0]):
            lead = words[0].lower()  # 'El Salvador': the article is part of the name
        if lang in CASED_LANGUAGES and not acronym and len(words) - bool(lead) == 1:
            capital = True
        entry = _Form(ref, form, acronym, capital, lead)
        for node in nodes:
            forms = node.setdefault(_END, [])
            if entry not in forms:
                forms.append(entry)

    def _nodes(self, lang: str, form: str, *, acronym: bool) -> list[dict]:
        """The trie nodes a form leads to (created as needed); none for a form of no word."""
        analyzer = self._analyzers[lang]
        paths: list[tuple[str, ...]] = []
        words = 0
        for token in tokenize(form):
            if token.kind == "sym":
                paths.append((symbol_key(token.surface),))
                continue
            if acronym:
                paths.append((acronym_key(token.surface),))
                self._acronym_words.add(token.surface)
            else:
                keys = analyzer.name_keys(token.surface)
                if not keys:
                    continue
                paths.append(keys)
            words += 1
        if not words:
            return []
        nodes = [self._tries[lang]]
        for keys in paths:
            nodes = [node.setdefault(key, {}) for node in nodes for key in keys]
        return nodes

    def _find_collisions(self) -> None:
        for lang, trie in self._tries.items():
            stack = [trie]
            while stack:
                node = stack.pop()
                forms = node.get(_END)
                if forms:
                    refs = sorted({f.ref or "(blocker)" for f in forms})
                    if len(refs) > 1:
                        self.collisions[lang].append((forms[0].form, refs))
                stack.extend(child for key, child in node.items() if isinstance(key, str))

    # -- finding -----------------------------------------------------------------------------
    def find(self, text: str, language: str) -> list[Mention]:
        """Mentions in ``text``: non-overlapping, sorted by start, spans exact."""
        trie = self._tries.get(language)
        if trie is None:
            raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
        # The per-token work is done by C loops (map, compress) over the cache: most passages
        # are all known tokens, and many have no token that starts a name.
        matches = list(TOKEN.finditer(text))
        surfaces = list(map(_SURFACE, matches))
        infos = list(map(self._token_cache[language].get, surfaces))
        if None in infos:
            infos = [
                info or self._token_info(language, surface)
                for info, surface in zip(infos, surfaces, strict=True)
            ]
        starters = list(compress(range(len(infos)), map(_STARTS, infos)))
        if not starters:
            return []
        candidates: list[tuple[int, int, int, str | None]] = []
        count = len(infos)
        for i in starters:
            nodes = [trie]
            best: tuple[int, str | None, frozenset[str]] | None = None
            j = i
            while j < count:
                keys = infos[j].keys
                if not keys:  # an article: 'Organisation des États' = 'de les États'
                    j += 1
                    continue
                if len(keys) == 1 and len(nodes) == 1:  # the common case, made fast
                    child = nodes[0].get(keys[0])
                    if child is None:
                        break
                    nodes = [child]
                    ends = _END in child
                else:
                    nodes = [node[key] for node in nodes for key in keys if key in node]
                    if not nodes:
                        break
                    if len(nodes) > 1:  # two readings of a word may reach the same node
                        nodes = list({id(node): node for node in nodes}.values())
                    ends = any(_END in node for node in nodes)
                if ends:
                    chosen = self._choose(nodes, text, matches, infos, i, j)
                    if chosen is not None:
                        best = (j, *chosen)
                j += 1
            if best is not None:
                end_index, ref, leads = best
                start, end = matches[i].start(), matches[end_index].end()
                if leads:
                    lead = _LEAD.search(text, max(0, start - 24), start)
                    if lead and lead.group(1).lower() in leads:
                        start = lead.start()
                candidates.append((end - start, start, end, ref))
        return _select(candidates, text)

    def _token_info(self, language: str, surface: str) -> _TokenInfo:
        keys = self._analyzers[language].compute_text_keys(surface)
        trie = self._tries[language]
        info = _TokenInfo(keys, any(key in trie for key in keys), is_word(surface), surface)
        cache = self._token_cache[language]
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        cache[surface] = info
        return info

    def _choose(
        self,
        nodes: list[dict],
        text: str,
        matches: list[re.Match[str]],
        infos: list[_TokenInfo],
        i: int,
        j: int,
    ) -> tuple[str | None, frozenset[str]] | None:
        """What the forms at these nodes give for tokens i..j: (ref, leading articles of the
        name) — ref None for a blocker —, or None when no form holds or two entities do."""
        holding: list[_Form] = []
        for node in nodes:
            rule = node.get(_RULE)
            if rule is not None and not self._context_holds(rule, text, matches, infos, i, j):
                continue
            holding.extend(f for f in node.get(_END, ()) if self._holds(f, infos, i, j))
        refs = {form.ref for form in holding}
        if not refs:
            return None
        if None in refs or len(refs) > 1:  # a blocker, or two entities: the span links nothing
            return None, frozenset()
        return refs.pop(), frozenset(f.lead for f in holding if f.lead)

    def _holds(self, form: _Form, infos: list[_TokenInfo], i: int, j: int) -> bool:
        if form.capital and not infos[i].surface[:1].isupper():
            return False
        return not (form.acronym and (self._shouting(infos, i - 1) or self._shouting(infos, j + 1)))

    def _context_holds(
        self,
        rule: ContextRule,
        text: str,
        matches: list[re.Match[str]],
        infos: list[_TokenInfo],
        i: int,
        j: int,
    ) -> bool:
        if rule.not_followed_by:
            end = matches[j].end()
            after = text[end : end + 40].lstrip()
            if any(_starts_with(after, phrase) for phrase in rule.not_followed_by):
                return False
        if rule.preceded_by:
            start = matches[i].start()
            before = text[max(0, start - 80) : start].rstrip()
            if not before:
                return False
            chunk = before.split()[-1]
            keys = {chunk, chunk[-1], *self._analyzers[rule.language].text_keys(chunk)}
            phrases = (p for p in rule.preceded_by if " " in p)
            if not keys & self._preceding[rule] and not any(
                _ends_with(before, phrase) for phrase in phrases
            ):
                return False
        return True

    def _shouting(self, infos: list[_TokenInfo], index: int) -> bool:
        """Whether the token at ``index`` is a capitalised word that is no known acronym
        (a heading in capitals, where acronym-shaped words are ordinary words)."""
        if not 0 <= index < len(infos) or not infos[index].word:
            return False
        surface = infos[index].surface
        return (
            len(surface) > 1
            and surface.isupper()
            and surface.isalpha()
            and surface not in self._acronym_words
        )


_SURFACE = re.Match.group
_STARTS = attrgetter("starts")


def _starts_with(text: str, phrase: str) -> bool:
    """Whether ``text`` starts with ``phrase`` (any case) as whole words."""
    if text[: len(phrase)].lower() != phrase.lower():
        return False
    return len(text) == len(phrase) or not phrase[-1].isalnum() or not text[len(phrase)].isalnum()


def _ends_with(text: str, phrase: str) -> bool:
    """Whether ``text`` ends with ``phrase`` as whole words."""
    if not text.endswith(phrase):
        return False
    cut = len(text) - len(phrase)
    return cut == 0 or not phrase[0].isalnum() or not text[cut - 1].isalnum()


def _select(candidates: list[tuple[int, int, int, str | None]], text: str) -> list[Mention]:
    """Non-overlapping matches, the longest first; blockers take their place and vanish."""
    candidates.sort(key=lambda c: (-c[0], c[1]))
    starts: list[int] = []  # of the matches taken, sorted; they never overlap
    taken: list[tuple[int, int, str | None]] = []
    for _, start, end, ref in candidates:
        index = bisect.bisect_left(starts, start)
        if index > 0 and taken[index - 1][1] > start:
            continue
        if index < len(taken) and taken[index][0] < end:
            continue
        starts.insert(index, start)
        taken.insert(index, (start, end, ref))
    return [Mention(ref, s, e, text[s:e]) for s, e, ref in taken if ref is not None]
