"""Highlighting: a passage's text, HTML-escaped, with ``<mark>`` around the words that match
the query's terms (whatever their form: a query for ``migration`` marks ``migrations``;
Chinese terms are marked wherever they occur)."""

from __future__ import annotations

from collections.abc import Set
from html import escape

from rcphub.search.analysis import WORD, Analyzer, is_han, script_of


def highlight(analyzer: Analyzer, text: str, language: str, terms: Set[str]) -> str:
    """``text`` escaped for HTML, matched spans wrapped in ``<mark>…</mark>``; nothing else
    of the text is ever interpreted as markup."""
    if not terms:
        return escape(text)
    han_terms = [term for term in terms if script_of(term) == "han"]
    found: list[tuple[int, int]] = []
    if len(han_terms) < len(terms):
        text_term = analyzer.text_term
        for match in WORD.finditer(text):
            word = match.group()
            if not is_han(word[0]) and text_term(word, language) in terms:
                found.append(match.span())
    # A Han term is its own surface: find it (segmenting the passage again costs ~1 ms).
    for term in han_terms:
        start = text.find(term)
        while start >= 0:
            found.append((start, start + len(term)))
            start = text.find(term, start + len(term))
    found.sort()
    spans: list[tuple[int, int]] = []
    for start, end in found:  # jieba's compounds overlap the words inside them: merge
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    out: list[str] = []
    cursor = 0
    for start, end in spans:
        if start < cursor:
            start = cursor
        if end <= start:
            continue
        out.append(escape(text[cursor:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)
