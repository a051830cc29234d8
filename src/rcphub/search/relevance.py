"""What competes in ranking by meaning, and where a match ends.

**Content passages.** A short text without a sentence in it — a title line ("DECLARACIÓN DE
QUITO", "CO-CHAIRS' STATEMENT"), a date and place, a bare document symbol ("A/RES/71/1"), a
heading, a signature, a lead-in ("Los Países Miembros de la CSM:", "DECLARE:") — sits close to
almost every migration query in embedding space, and used to top the results. Only *content*
passages (:func:`is_content`) get an embedding; the others are found by their words alone. A
numbered or lettered paragraph is content even without a closing full stop (list items, the
SDG targets), unless it is a short line in capitals.

**The floor.** Cosine similarity from the multilingual model is a poor absolute measure, but on
real outcome documents, once titles and the like are out of the way, the passage a query is
about scores above what any passage scores for a query about an absent topic ("biometric
passports at airports" reaches ~0.28 on a migration corpus). A passage found by meaning is a
*match* at or above :data:`MATCH_FLOOR`, *related* below it down to :data:`RELATED_FLOOR`.
Words matching (every word of the query) always make a match.

The floor was calibrated on the tuning half of the real-text set in ``tests/realtext/search``
(never on the held-out half) as the highest similarity any tuning no-match query reached
(0.280) plus a margin of 0.02. One floor serves every language pair: on the tuning half the
same-language similarities of no-match queries (max 0.229) stayed below the cross-language ones
(max 0.280), so a separate same-language floor would change nothing there.
"""

from __future__ import annotations

import re

from rcphub.limits import WORK_PASSAGE_CHARS

NOT_SEMANTIC_KINDS = frozenset({"heading", "signature"})
"""Passage kinds never embedded, whatever their text."""

MATCH_FLOOR = 0.30
RELATED_FLOOR = 0.15
"""Below this, a passage is not even related. Low on purpose: a one- or two-word query across
languages scores 0.2 against the paragraphs it is about ("trata de personas" against the Bali
Process paragraphs on trafficking, "labour mobility" against the Lima paragraph 7), as low as
against unrelated ones, so no floor separates them; such paragraphs are offered as related
passages, marked as such, rather than dropped."""
RELATED_SHOWN = 5
"""Related passages offered when fewer than :data:`FEW_MATCHES` passages match."""
FEW_MATCHES = 3

MIN_WORDS = 6
"""A passage with fewer words (Han characters count as half a word) is not content."""
TITLE_CHARS = 220
"""An unnumbered passage shorter than this that ends without a sentence's closing punctuation
reads as a title line, a date line or a symbol, not a sentence; so does any passage this short
in capitals."""
LEAD_IN_CHARS = 300
"""A passage shorter than this that ends with a colon introduces what follows (a lead-in)."""

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CLOSING = ".。!！?？;；؛…"
_TRAILING = "\"'”’»)]）】」』 \u200f\u200e"


def _has_words(text: str, least: float) -> bool:
    """Whether ``text`` has at least ``least`` words, a Han character counting as half a word
    (a run of letters with Han characters in it counts its Han characters only); it reads no
    further than it must."""
    count = 0.0
    for match in _WORD.finditer(text):
        han = len(_HAN.findall(match.group()))
        count += han / 2 if han else 1
        if count >= least:
            return True
    return False


NUMBERED_KINDS = frozenset({"paragraph", "subparagraph", "annex-paragraph"})
"""Kinds the parser gives numbered or lettered paragraphs: content even without a closing
full stop (list items often have none; so do the SDG targets)."""


def is_content(kind: str | None, text: str) -> bool:
    """Whether a passage says something (a sentence, a clause of a list) rather than naming,
    dating or introducing: only content passages are ranked by meaning."""
    if kind in NOT_SEMANTIC_KINDS:
        return False
    # what decides is the start of a passage (a long one is content whatever its end): read
    # no more of it than the embedding does, so a 10 MB paragraph costs no list of its words
    flat = " ".join(text[:WORK_PASSAGE_CHARS].split())
    if not _has_words(flat, MIN_WORDS):
        return False
    end = flat.rstrip(_TRAILING)
    if end.endswith((":", "：")) and len(flat) < LEAD_IN_CHARS:
        return False
    if len(flat) < TITLE_CHARS:
        letters = [c for c in flat if c.isalpha()]
        if sum(c.isupper() for c in letters) > 0.6 * len(letters):
            return False  # A TITLE IN CAPITALS, numbered or not
    if kind in NUMBERED_KINDS:
        return True
    return len(flat) >= TITLE_CHARS or end.endswith(tuple(_CLOSING))
