"""Unicode clean-up shared by all readers, and the repairs that PDF text needs.

Decisions, for the record:

* **NFC everywhere, NFKC only where it is safe.** Full NFKC would fold the fullwidth CJK
  punctuation that Chinese text uses on purpose (，：；（）), turn "…" into "...", the Spanish
  ordinal "1º" into "1o" and "½" into "1⁄2". So compatibility folding is applied to exactly these
  ranges: Latin ligatures (U+FB00–FB06), Arabic Presentation Forms-A and -B (U+FB50–FDFF,
  U+FE70–FEFE: PDF text layers are full of them), fullwidth digits and Latin letters (so that
  "１．" numbers a paragraph like "1."), and the exotic spaces (no-break, thin, ideographic...)
  which become a plain space. Superscript digits are *not* folded: readers turn them into
  footnote markers first.
* Invisible characters that only get in the way of matching are removed: soft hyphen, zero
  width space, BOM/ZWNBSP, word joiner and the bidi embedding/override/isolate controls.
  ZWJ/ZWNJ stay (they change how Arabic-script words are written).
* Other C0/C1 control characters are dropped; :func:`control_ratio` lets readers refuse
  "text" that is mostly control characters (a binary file with a .txt name).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_SPACES = "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_REMOVE = (
    "\u00ad\u200b\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_CONTROLS = "".join(chr(c) for c in range(32) if chr(c) not in "\n\f\t") + "".join(
    chr(c) for c in range(0x7F, 0xA0)
)
_NFKC_RANGES = (
    (0xFB00, 0xFB06),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFE),
    (0xFF10, 0xFF19),
    (0xFF21, 0xFF3A),
    (0xFF41, 0xFF5A),
)
_CONTROL_RE = re.compile(f"[{re.escape(_CONTROLS)}]")
_WS_RUN = re.compile(r"[ \t]+")
_SPACE_RUN = re.compile("  +")  # the same where there is no tab, and much faster


@cache
def _table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for start, end in _NFKC_RANGES:
        for code in range(start, end + 1):
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char)
            if folded != char:
                table[code] = folded
    for char in _SPACES:
        table[ord(char)] = " "
    for char in _REMOVE + _CONTROLS:
        table[ord(char)] = None
    table[ord("\t")] = " "
    table[ord("\r")] = "\n"
    table[0x2028] = "\n"
    table[0x2029] = "\n"
    table[0x0085] = "\n"
    return table


@cache
def _table_chars() -> re.Pattern[str]:
    """Matches any character :func:`_table` changes: most text has none, and ``translate``
    through a dict costs as much as the rest of reading a file."""
    return re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_table())) + "]")


def control_ratio(text: str) -> float:
    """Share of characters that are control characters other than tab, newline, CR, FF."""
    if not text:
        return 0.0
    sample = text[:20000]
    return len(_CONTROL_RE.findall(sample.replace("\r", ""))) / len(sample)


def normalize_text(text: str) -> str:
    """Clean one piece of text (see the module docs); keeps ``\\n`` and ``\\f``."""
    text = text.replace("\r\n", "\n")
    if _table_chars().search(text):
        text = text.translate(_table())
    text = unicodedata.normalize("NFC", text)
    # Runs of spaces and tabs become one space, spaces around a newline go. Each step is
    # skipped where it would change nothing: a regex pass over all the text is slow.
    if "\t" in text:
        text = _WS_RUN.sub(" ", text)
    elif "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _strip_around_newlines(text)
    return text


def _strip_around_newlines(text: str) -> str:
    r"""``re.sub(r" *\n *", "\n", text)``, line by line (several times faster)."""
    lines = text.split("\n")
    last = len(lines) - 1
    return "\n".join(
        line.rstrip(" ") if index == 0 else line.lstrip(" ") if index == last else line.strip(" ")
        for index, line in enumerate(lines)
    )


_WHITESPACE_RUN = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    """All runs of whitespace (newlines too) become one space; trimmed."""
    # the common case, a line already collapsed, checked by C scans without a list of words:
    # a printable text has no whitespace but U+0020 (every other one is of the categories
    # Separator or Other, which str.isprintable refuses)
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    if len(text) < 10_000:
        return " ".join(text.split())
    # a long text (a paragraph that is one 10 MB line) without a list of all its words, which
    # costs ~60 bytes a word; \s and str.split() agree on what is whitespace
    return _WHITESPACE_RUN.sub(" ", text).strip()


# --- sentence ends and continuation ---------------------------------------------------------

_TERMINAL = frozenset(".!?;:。！？；：…؟؛")
_CLOSERS = frozenset("\"'»”’)]）】」』›")


def ends_sentence(text: str) -> bool:
    """Does this text end with sentence-final (or list-final) punctuation?"""
    stripped = text.rstrip()
    index = len(stripped) - 1
    while index >= 0 and stripped[index] in _CLOSERS:
        index -= 1
    return index >= 0 and stripped[index] in _TERMINAL


def starts_lowercase(text: str) -> bool:
    """Does the text start (after spaces) with a lower-case letter?"""
    stripped = text.lstrip()
    return bool(stripped) and stripped[0].islower()


_WORD_TAIL = re.compile(r"(\w+)-$")
_WORD_HEAD = re.compile(r"^(\w+)")


def join_hyphenated(left: str, right: str, vocabulary: frozenset[str] | set[str]) -> str:
    """Join ``left`` (ending in a line-end hyphen) and ``right``.

    Removes the hyphen ("во-" + "просам" -> "вопросам") unless the document itself spells the
    hyphenated compound elsewhere ("государств-членов") and never the closed form.
    """
    tail = _WORD_TAIL.search(left[-64:])
    head = _WORD_HEAD.match(right[:64])
    if tail and head:
        closed = (tail.group(1) + head.group(1)).lower()
        hyphenated = f"{tail.group(1)}-{head.group(1)}".lower()
        if hyphenated in vocabulary and closed not in vocabulary:
            return left + right
        return left[:-1] + right
    return left + right


def keeps_hyphen(left: str, right: str, vocabulary: frozenset[str] | set[str]) -> bool:
    """Should the line-end hyphen of ``left`` stay when ``right`` is joined to it? Only when
    the document spells the hyphenated compound elsewhere and never the closed form."""
    tail = _WORD_TAIL.search(left[-64:])
    head = _WORD_HEAD.match(right[:64])
    if not (tail and head):
        return True
    closed = (tail.group(1) + head.group(1)).lower()
    hyphenated = f"{tail.group(1)}-{head.group(1)}".lower()
    return hyphenated in vocabulary and closed not in vocabulary


_VOCAB_RE = re.compile(r"\w+(?:-\w+)*")


def vocabulary(text: str) -> set[str]:
    """Lower-cased words and hyphenated compounds of a text, for :func:`join_hyphenated`."""
    words: set[str] = set()
    for match in _VOCAB_RE.finditer(text.lower()):
        token = match.group()
        words.add(token)
        if "-" in token:
            words.update(token.split("-"))
    return words


def ends_with_soft_hyphen(text: str) -> bool:
    """A letter followed by a hyphen at the very end: a word cut at the end of a line."""
    return len(text) >= 2 and text[-1] == "-" and text[-2].isalpha()


# --- Arabic in PDF text layers ------------------------------------------------------------------


@cache
def _arabic_forms() -> tuple[frozenset[str], frozenset[str]]:
    initial, final = set(), set()
    for start, end in ((0xFB50, 0xFDFF), (0xFE70, 0xFEFE)):
        for code in range(start, end + 1):
            name = unicodedata.name(chr(code), "")
            if name.endswith("INITIAL FORM"):
                initial.add(chr(code))
            elif name.endswith("FINAL FORM"):
                final.add(chr(code))
    return frozenset(initial), frozenset(final)


_ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefe]")
_LTR_RUN = re.compile(
    r"\[\^[^\]\s]{1,12}\]"
    r"|[A-Za-z0-9\u0660-\u0669](?:[A-Za-z0-9\u0660-\u0669./,:%\-]*[A-Za-z0-9\u0660-\u0669])?"
)
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")
_LEADING_FINAL_PUNCT = re.compile(r"^[.!:؟،؛]\S")


def is_visual_order_arabic(line: str) -> bool:
    """Is this line Arabic written in visual (left-to-right display) order?

    Two tests, both cheap. (1) With presentation forms still present, a word in logical order
    starts with an initial (or isolated) form and ends with a final form; reversed text does
    the opposite, so more reversed than logical words means the characters run backwards.
    (2) Without them, a line that *starts* with sentence-final punctuation glued to a word
    (".ةيمنتلا") but does not end with any is taken as reversed.
    """
    if len(_ARABIC_LETTER.findall(line)) < max(3, len(line.replace(" ", "")) // 3):
        return False
    initial, final = _arabic_forms()
    forward = backward = 0
    for word in line.split():
        letters = [c for c in word if c in initial or c in final]
        if len(letters) < 2:
            continue
        if letters[0] in initial and letters[-1] in final:
            forward += 1
        elif letters[0] in final and letters[-1] in initial:
            backward += 1
    if forward or backward:
        return backward > forward
    stripped = line.strip()
    return bool(_LEADING_FINAL_PUNCT.match(stripped)) and not ends_sentence(stripped)


def reverse_visual_line(line: str) -> str:
    """Put a visual-order RTL line back into logical order.

    The line is cut into runs: left-to-right runs (Latin words, numbers such as "2013" or
    "65/170", footnote markers ``[^1]``) are kept as they are, everything else is a single
    character; the runs are then
    reversed and the paired brackets mirrored, which is what a bidi renderer did to produce
    the visual order in the first place.
    """
    tokens: list[str] = []
    position = 0
    for match in _LTR_RUN.finditer(line):
        tokens.extend(line[position : match.start()])
        tokens.append(match.group())
        position = match.end()
    tokens.extend(line[position:])
    tokens.reverse()
    return "".join(token if len(token) > 1 else token.translate(_MIRROR) for token in tokens)


def repair_arabic_line(line: str) -> str:
    """Logical order and base letters for one line of Arabic from a PDF text layer."""
    if not _ARABIC_LETTER.search(line):
        return line
    if is_visual_order_arabic(line):
        line = reverse_visual_line(line)
    return normalize_text(line)
