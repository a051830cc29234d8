"""Bytes to text for plain-text formats: which encoding, decided in a fixed order.

1. A byte-order mark (UTF-32, UTF-8, UTF-16).
2. UTF-16 without a BOM: ASCII characters (spaces, digits, newlines) put NUL bytes at one
   parity only, whatever the script of the letters. This comes before UTF-8 because Cyrillic
   or Arabic UTF-16 is often valid (if absurd) UTF-8: "\x3e\x04" is two ASCII bytes.
3. Strict UTF-8: by far the most common, and invalid UTF-8 is easy to recognise.
4. charset-normalizer, restricted to the legacy code pages that outcome documents in the six
   UN languages actually come in: cp1251/KOI8-R (Cyrillic), cp1256/ISO-8859-6 (Arabic),
   GB18030 (a superset of GBK/GB2312, Chinese), Big5 (Chinese, traditional), cp1252/latin-1.

Text that is still mostly control characters is refused as "not a text file".
"""

from __future__ import annotations

import codecs

from .errors import DocumentReadError
from .normalize import control_ratio

LEGACY_ENCODINGS = (
    "cp1251",
    "koi8_r",
    "cp1256",
    "iso8859_6",
    "gb18030",
    "big5",
    "cp1252",
    "latin_1",
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
MAX_CONTROL_RATIO = 0.02


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:20000]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd_nuls > pairs * 0.02 and even_nuls * 4 < odd_nuls:
        return "utf-16-le"
    if even_nuls > pairs * 0.02 and odd_nuls * 4 < even_nuls:
        return "utf-16-be"
    return None


def detect_encoding(data: bytes) -> str:
    """The name of the encoding ``data`` is in (see the module docs for the order)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            data.decode(utf16)
        except UnicodeDecodeError:
            pass
        else:
            return utf16
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        return "latin_1"
    return best.encoding


def decode_text(data: bytes, filename: str) -> tuple[str, str, list[str]]:
    """Decode ``data`` to ``(text, encoding, warnings)``; refuses binary files."""
    warnings: list[str] = []
    if not data.strip():
        raise DocumentReadError(filename, "the file is empty")
    encoding = detect_encoding(data)
    bom = next((len(b) for b, name in _BOMS if name == encoding and data.startswith(b)), 0)
    body = data[bom:]
    try:
        text = body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        text = body.decode(encoding, errors="replace")
        warnings.append(f"some bytes are not valid {encoding} and were replaced")
    if "\x00" in text or control_ratio(text) > MAX_CONTROL_RATIO:
        raise DocumentReadError(filename, "not a text file (it is full of control characters)")
    return text, encoding, warnings
