"""Literal prefilters for regular expressions: strings at least one of which every match
contains, so that a search can be skipped when none of them is in the text.

The theme tagger searches each passage for ~37 concepts' keyword patterns and the candidate
finder for ~29 listed bodies' patterns; most passages contain the literals of very few, and a
substring test (``literal in text``) costs a fraction of a search over the passage. Skipping
changes no result: the literals are read from the pattern's parse tree (:mod:`re._parser`),
choosing only what every match must contain.
"""

from __future__ import annotations

import re
from typing import Any


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings at least one of which every match of ``pattern`` contains, read from its parse
    tree; ``None`` when no such set is known (a case-insensitive pattern, a branch that may
    match without a literal, an unreadable pattern).

    When none of them occurs in a text, ``pattern.search(text)`` cannot match: a caller
    may skip the search.

    Sound by construction: a match of a sequence contains a match of each of its mandatory
    items, and a run of consecutive literal items matches that exact string; a branch
    matches one of its alternatives; a group or a repeat of at least once matches its
    body. Items that may match without a fixed string (character sets, ``.``, optional
    parts, look-arounds, groups with their own flags) are never chosen."""
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        from re import _parser

        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # a private module of the standard library: never fail on it
        return None
    return _sequence_literals(list(parsed))


def _sequence_literals(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """:func:`required_literals` of a concatenation: the most selective set one of its
    mandatory items offers (the longest shortest literal)."""
    from re import _constants as sre

    best: frozenset[str] | None = None

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and all(found) and (best is None or _selectivity(found) > _selectivity(best)):
            best = found

    run: list[str] = []
    for op, value in items:
        if op is sre.LITERAL:
            run.append(chr(value))
            continue
        if run:
            consider(frozenset({"".join(run)}))
            run = []
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, body = value
            if not add_flags and not del_flags:
                consider(_sequence_literals(list(body)))
        elif op is sre.ATOMIC_GROUP:
            consider(_sequence_literals(list(value)))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _high, body = value
            if low >= 1:
                consider(_sequence_literals(list(body)))
        elif op is sre.BRANCH:
            alternatives = [_sequence_literals(list(branch)) for branch in value[1]]
            if all(alternatives):
                consider(frozenset().union(*alternatives))  # type: ignore[arg-type]
    if run:
        consider(frozenset({"".join(run)}))
    return best


def _selectivity(literals: frozenset[str]) -> tuple[int, int]:
    return min(map(len, literals)), -len(literals)


def may_match(literals: frozenset[str] | None, text: str) -> bool:
    """False only when ``text`` contains none of ``literals`` (the pattern cannot match)."""
    return literals is None or any(map(text.__contains__, literals))
