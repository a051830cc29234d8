"""Bounds on the work one input can cause, in one place.

No document, however it is made, may push memory or time without limit: a 10 MB text whose only
paragraph is one line, 50,000 numbered paragraphs, a DOCX holding 80 MB of paragraphs. Every
costly step reads at most a bounded part of each passage and of each document:

========================  =================================================================
step                      bound
========================  =================================================================
reading (DOCX)            :data:`DOCX_MAX_XML_BYTES` of unpacked text parts, else refused
language id               the first :data:`WORK_PASSAGES` passages; each on its first
                          :data:`~rcphub.documents.parsing.language.PASSAGE_SAMPLE_CHARS`
linking                   the first :data:`WORK_PASSAGES` passages, each on its first
                          :data:`WORK_PASSAGE_CHARS` characters
tagging                   the same passages and characters
embedding                 :data:`WORK_PASSAGE_CHARS` characters and
                          :data:`~rcphub.search.embedding.MAX_CLAUSES` clauses per passage,
                          :data:`EMBED_BATCH` texts per call of the model
recommendation detection  the first :data:`WORK_PASSAGES` passages, each on its first
                          :data:`WORK_PASSAGE_CHARS` characters
document page             :data:`PAGE_PASSAGES` passages per page of the document, each shown
                          up to :data:`PAGE_PASSAGE_CHARS` characters (the rest: the source)
search hit                :data:`HIT_PASSAGE_CHARS` characters of the passage (text and
                          highlight)
========================  =================================================================

Past a bound the full text is still stored, searchable by keyword and downloadable; only the
costly step takes the first part, and the document's warnings say so
(:func:`work_warnings`). The figures are well above real outcome documents (the longest
paragraph of the bundled Lima summary has ~1,000 characters; a long UN report has a few hundred
paragraphs), so they bite on hostile or broken input. The worst case they leave: ~8 million
characters embedded per document, ~100 s of the model on one core, with memory flat (the
model takes ~12 ms per 1,000 characters and a bounded batch).
"""

from __future__ import annotations

WORK_PASSAGE_CHARS = 4_000
"""Characters of one passage read by linking, tagging, embedding and recommendation
detection."""

WORK_PASSAGES = 2_000
"""Passages of one document (in reading order) that get language identification, linking,
tagging and recommendation detection; later ones take the document's language."""

EMBED_BATCH = 256
"""Texts handed to the embedding model in one call: its working memory grows with the batch."""

DOCX_MAX_XML_BYTES = 40 * 1024 * 1024
"""Unpacked size of the parts of a DOCX that are parsed (body, footnotes, numbering, styles):
python-docx builds a tree of every element, ~20 times the XML in memory."""

PAGE_PASSAGES = 1_000
"""Passages rendered on one page of a document; later ones are on the next pages."""

PAGE_PASSAGE_CHARS = 100_000
"""Characters of one passage rendered on the document page; the source file has the rest."""

HAN_RUN_CHARS = 1_000
"""Han characters given to the word segmenter at a time (:func:`rcphub.search.analysis.
han_words`). A run between two punctuation marks is rarely over 100 in real text; a longer one
(a text layer without punctuation, a hostile query) is cut there, a word at the cut split in
two."""

HIT_PASSAGE_CHARS = 20_000
"""Characters of one passage a search hit carries (text and highlight); the document has the
rest (``text_truncated`` says so)."""


def work_warnings(passages: list[str]) -> list[str]:
    """The warnings of a document whose passages (their texts, in order) go past the bounds
    of the costly steps: what was left out of them. Empty for any ordinary document."""
    found = []
    if len(passages) > WORK_PASSAGES:
        found.append(
            f"the document has {len(passages):,} passages: only the first {WORK_PASSAGES:,}"
            " were checked for language, linked to countries and processes, tagged with themes"
            " and checked for recommendations; all are stored and searchable by keyword"
        )
    long = sum(1 for text in passages[:WORK_PASSAGES] if len(text) > WORK_PASSAGE_CHARS)
    if long:
        found.append(
            f"{long:,} passage{'s are' if long > 1 else ' is'} longer than"
            f" {WORK_PASSAGE_CHARS:,} characters: only the first {WORK_PASSAGE_CHARS:,} of each"
            " were linked, tagged, embedded for search by meaning and checked for"
            " recommendations; the full text is stored and searchable by keyword"
        )
    return found


EMBED_TOKEN_ROWS = 16_384
"""Tokens whose per-token part of the embedding model is kept once computed
(:mod:`rcphub.search.use_encoder`), 15 KB each: at most ~250 MB per process that embeds, and
only as tokens are met. Text is Zipf-distributed: in the real openings of
tests/realtext/openings the 5,000 most frequent tokens are 95 % of all, and the 100-document
benchmark corpus has 10,000 distinct ones in all."""
