"""A minimal PDF writer for tests: positioned text in any BMP script, no font files.

Text is drawn with a Type0 font whose character codes are the Unicode code points (Identity-H)
and whose ToUnicode CMap maps them back, which is all a text extractor needs. Two fonts: F1
(regular) and F2 (its BaseFont name says Bold, as real PDFs do). Arabic can be written the
way naive PDF producers do: shaped into presentation forms and in visual (reversed) order.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    size: float
    text: str
    rise: float = 0.0
    bold: bool = False


def pdf_bytes(pages: list[list[Text]], *, compress: bool = True) -> bytes:
    """A PDF with one page (A4) per list of positioned texts."""
    objects: list[bytes] = []

    def add(body: bytes | None) -> int:
        objects.append(body or b"")
        return len(objects)

    chars = sorted({ord(c) for page in pages for item in page for c in item.text} | {32})
    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(chars), 100):
        chunk = chars[start : start + 100]
        cmap.append(f"{len(chunk)} beginbfchar")
        cmap.extend(f"<{c:04X}> <{c:04X}>" for c in chunk)
        cmap.append("endbfchar")
    cmap += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    cmap_bytes = "\n".join(cmap).encode()
    catalog = add(None)
    pages_id = add(None)
    to_unicode = add(b"<< /Length %d >>\nstream\n" % len(cmap_bytes) + cmap_bytes + b"\nendstream")
    fonts = []
    for name in (b"TestSans", b"TestSans-Bold"):
        descriptor = add(
            b"<< /Type /FontDescriptor /FontName /%s /Flags 32 /FontBBox [0 -200 1000 900] "
            b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>" % name
        )
        cid = add(
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry "
            b"(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 500 >>"
            % (name, descriptor)
        )
        fonts.append(
            add(
                b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "
                b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (name, cid, to_unicode)
            )
        )
    kids = []
    for page in pages:
        operations = []
        for item in page:
            hexed = "".join(f"{ord(c):04X}" for c in item.text)
            font = "F2" if item.bold else "F1"
            operations.append(
                f"BT /{font} {item.size:g} Tf {item.rise:g} Ts "
                f"1 0 0 1 {item.x:.2f} {item.y:.2f} Tm "
                f"<{hexed}> Tj ET"
            )
        content = "\n".join(operations).encode()
        if compress:
            content = zlib.compress(content)
            header = b"<< /Length %d /Filter /FlateDecode >>" % len(content)
        else:
            header = b"<< /Length %d >>" % len(content)
        stream = add(header + b"\nstream\n" + content + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font "
                b"<< /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, fonts[0], fonts[1], stream)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


# --- Arabic as naive PDF producers write it --------------------------------------------------


@cache
def _forms() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    letters: dict[str, dict[str, str]] = {}
    ligatures: dict[str, dict[str, str]] = {}
    for code in range(0xFE70, 0xFEFD):
        char = chr(code)
        name = unicodedata.name(char, "")
        base = unicodedata.normalize("NFKC", char)
        form = name.rsplit(" ", 2)[-2].lower() if name.endswith("FORM") else ""
        if not form:
            continue
        if name.startswith("ARABIC LIGATURE LAM WITH ALEF"):
            ligatures.setdefault(base, {})[form] = char
        elif name.startswith("ARABIC LETTER") and len(base) == 1:
            letters.setdefault(base, {})[form] = char
    return letters, ligatures


def shape_arabic(text: str) -> str:
    """Logical Arabic to presentation forms (contextual forms, lam-alef ligatures)."""
    letters, ligatures = _forms()

    def dual(char: str) -> bool:
        return char == "\u0640" or "initial" in letters.get(char, {})

    def joins(char: str) -> bool:
        return char == "\u0640" or char in letters

    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        previous = text[index - 1] if index else ""
        if char == "ل" and text[index + 1 : index + 2] in ("ا", "أ", "إ", "آ"):
            pair = ligatures.get(char + text[index + 1], {})
            form = "final" if dual(previous) else "isolated"
            out.append(pair.get(form, char + text[index + 1]))
            index += 2
            continue
        forms = letters.get(char)
        if not forms:
            out.append(char)
            index += 1
            continue
        following = text[index + 1] if index + 1 < len(text) else ""
        before = dual(previous)
        after = dual(char) and joins(following)
        form = (
            "medial"
            if before and after
            else "final"
            if before
            else "initial"
            if after
            else "isolated"
        )
        out.append(forms.get(form) or forms.get("isolated") or char)
        index += 1
    return "".join(out)


_LTR = re.compile(r"\[\^[^\]]+\]|[A-Za-z0-9](?:[A-Za-z0-9./,:%\-]*[A-Za-z0-9])?")
_MIRROR = str.maketrans("()[]«»", ")(][»«")


def visual_order(text: str) -> str:
    """What a renderer lays out left to right for a right-to-left line."""
    tokens: list[str] = []
    position = 0
    for match in _LTR.finditer(text):
        tokens.extend(text[position : match.start()])
        tokens.append(match.group())
        position = match.end()
    tokens.extend(text[position:])
    return "".join(t if len(t) > 1 else t.translate(_MIRROR) for t in reversed(tokens))
