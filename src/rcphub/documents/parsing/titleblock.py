"""The masthead of UN and inter-state documents, in the six languages, line by line.

Each recogniser takes one line (whitespace collapsed) and returns what it says or ``None``.
The structure parser runs them over the front matter (everything before the first body
paragraph) and keeps the first answer of each kind. Language versions of UN documents keep
parts of the masthead in English ("Distr.: General", "28 June 2013", "Russian",
"Original: English" in a Russian document), so every recogniser accepts every language.
"""

from __future__ import annotations

import re

from .dates import parse_date_line
from .labels import ARABIC_SEQUENCE, CYRILLIC_SEQUENCE, letter_for
from .numerals import ordinal_value

LANGUAGE_NAMES: dict[str, str] = {}
for _code, _names in (
    (
        "en",
        "english anglais inglés ingles английский англ. الإنكليزية الإنجليزية الانكليزية 英文 英语",
    ),
    ("fr", "french français francais francés frances французский الفرنسية 法文 法语"),
    ("es", "spanish espagnol español espanol испанский الإسبانية الاسبانية 西班牙文 西班牙语"),
    ("ru", "russian russe ruso русский الروسية 俄文 俄语"),
    ("ar", "arabic arabe árabe арабский العربية 阿拉伯文 阿拉伯语"),
    ("zh", "chinese chinois chino китайский الصينية 中文 汉语"),
):
    for _name in _names.split():
        LANGUAGE_NAMES[_name] = _code

ORGANS: dict[str, str] = {}
for _organ, _names in (
    ("General Assembly", "general assembly|assemblée générale|asamblea general|генеральная ассамблея|الجمعية العامة|大会|联合国大会"),  # noqa: E501
    ("Security Council", "security council|conseil de sécurité|consejo de seguridad|совет безопасности|مجلس الأمن|安全理事会"),  # noqa: E501
    ("Economic and Social Council", "economic and social council|conseil économique et social|consejo económico y social|экономический и социальный совет|المجلس الاقتصادي والاجتماعي|经济及社会理事会"),  # noqa: E501
    ("Human Rights Council", "human rights council|conseil des droits de l'homme|consejo de derechos humanos|совет по правам человека|مجلس حقوق الإنسان|人权理事会"),  # noqa: E501
):  # fmt: skip
    for _name in _names.split("|"):
        ORGANS[_name] = _organ

SYMBOL_RE = re.compile(
    r"(?<![\w/])((?:A|S|E|ST|DP|TD|UNEP|HRC|CRC|CCPR|CERD|CEDAW|CMW|CAT|A/HRC|E/CN\.\d{1,2})"
    r"(?:/(?:[A-Z][A-Za-z]{0,9}(?:\.\d{1,4})?|\d{1,5}(?:/Add\.\d{1,3}|/Rev\.\d{1,3}|/Corr\.\d{1,3})?)){1,6})"
    r"(?![\w/])"
)
_DISTRIBUTION = re.compile(
    r"^distr(?:\.|ibution)?\s*[:.]?\s*(general|générale|generale|limited|limitée|limitee|limitada|"
    r"restricted|restreinte|reservada)\b",
    re.IGNORECASE,
)
_DISTRIBUTION_VALUES = {
    "general": "general", "générale": "general", "generale": "general", "limited": "limited",
    "limitée": "limited", "limitee": "limited", "limitada": "limited", "restricted": "restricted",
    "restreinte": "restricted", "reservada": "restricted",
}  # fmt: skip
_ORIGINAL = re.compile(
    r"^(?:original|оригинал|الأصل|الاصل|原文)\s*[:：]?\s*([^\s,;]+(?:\s[^\s,;]+)?)", re.IGNORECASE
)
_SESSION = (
    re.compile(r"^(.{3,40}?)\s+(?:regular\s+|ordinary\s+)?session$", re.IGNORECASE),
    re.compile(r"^(.{3,40}?)\s+session(?:\s+ordinaire)?$", re.IGNORECASE),
    re.compile(r"^(.{3,40}?)\s+período\s+(?:ordinario\s+)?de\s+sesiones$", re.IGNORECASE),
    re.compile(r"^(.{3,40}?)\s+сессия$", re.IGNORECASE),
    re.compile(r"^الدورة\s+(.{3,40})$"),
    re.compile(r"^第\s*([一二两三四五六七八九十百零\d]{1,6})\s*届会议$"),
)
_AGENDA = (
    re.compile(
        r"^(?:(?:provisional|preliminary)\s+)?(?:agenda\s+)?items?\s+(\d{1,3})\s*(\(\s*\w{1,3}\s*\)|\w\))?",
        re.IGNORECASE,
    ),
    re.compile(r"^points?\s+(\d{1,3})\s*(\(\s*\w{1,3}\s*\)|\w\))?", re.IGNORECASE),
    re.compile(r"^temas?\s+(\d{1,3})\s*(\(\s*\w{1,3}\s*\)|\w\))?", re.IGNORECASE),
    re.compile(r"^пункты?\s+(\d{1,3})\s*(\(\s*\w{1,3}\s*\)|\w\))?", re.IGNORECASE),
    re.compile(r"^البند\s+(\d{1,3})\s*(\(\s*[^)\s]{1,3}\s*\))?"),
    re.compile(r"^(?:临时|暂定)?(?:议程)?(?:项目清单)?项目\s*(\d{1,3})\s*([(（]\s*\w\s*[)）])?"),
)
_AGENDA_CONTEXT = re.compile(
    r"agenda|preliminary list|liste préliminaire|ordre du jour|lista preliminar|programa|"
    r"перечн|повестк|جدول الأعمال|القائمة الأولية|议程|清单",
    re.IGNORECASE,
)
# Cyrillic letters that look like Latin ones, for agenda items typed with the wrong keyboard.
_HOMOGLYPHS = str.maketrans("аесорху", "aecopxy")


def _agenda_letter(text: str) -> str:
    letter = text.strip("()（） ").strip()
    if not letter:
        return ""
    if letter.isascii():
        return letter.lower()
    folded = letter.lower().translate(_HOMOGLYPHS)
    if folded.isascii():
        return folded
    if letter in CYRILLIC_SEQUENCE:
        return letter_for(CYRILLIC_SEQUENCE.index(letter) + 1)
    arabic = "هـ" if letter in ("ه", "هـ") else letter
    if arabic in ARABIC_SEQUENCE:
        return letter_for(ARABIC_SEQUENCE.index(arabic) + 1)
    return letter.lower()


def distribution(line: str) -> str | None:
    match = _DISTRIBUTION.match(line)
    return _DISTRIBUTION_VALUES.get(match.group(1).lower()) if match else None


def original_language(line: str) -> str | None:
    match = _ORIGINAL.match(line)
    if not match:
        return None
    words = match.group(1).lower().split()
    for candidate in (" ".join(words), words[0]):
        code = LANGUAGE_NAMES.get(candidate.strip(".:"))
        if code:
            return code
    return None


def version_language(line: str) -> str | None:
    """A masthead line that is just a language name: the language of this version."""
    return LANGUAGE_NAMES.get(line.strip().lower()) if len(line) < 20 else None


def organ(line: str) -> str | None:
    return ORGANS.get(line.strip().lower().rstrip("."))


def symbol(line: str) -> str | None:
    """A document symbol on a short masthead line ("A/68/190", "A/CONF.231/3")."""
    if len(line) > 60:
        return None
    match = SYMBOL_RE.search(line)
    if not match or not any(char.isdigit() for char in match.group(1)):
        return None
    return match.group(1)


def session(line: str) -> int | None:
    if len(line) > 60:
        return None
    for pattern in _SESSION:
        match = pattern.match(line.strip())
        if match:
            value = ordinal_value(match.group(1))
            if value and value < 200:
                return value
    return None


def agenda_item(line: str) -> str | None:
    """ "21(e)" from "Item 21 (e) of the preliminary list", "Пункт 21(е) ...", "البند 21 (هـ)"."""
    if len(line) > 160:
        return None
    stripped = line.strip()
    for pattern in _AGENDA:
        match = pattern.match(stripped)
        if not match:
            continue
        if pattern.pattern.startswith(
            ("^points", "^temas", "^пункты")
        ) and not _AGENDA_CONTEXT.search(stripped):
            continue
        letter = _agenda_letter(match.group(2) or "")
        return f"{match.group(1)}({letter})" if letter else match.group(1)
    return None


_PERIOD = re.compile(r"\d\s*[-–—]\s*\d|\d\s+\w+\s*[-–—]\s*\d|\d\s+(?:to|au|al|по)\s+\d")


def masthead_fields(line: str) -> dict[str, object]:
    """Everything one masthead line says, as metadata field names and values."""
    found: dict[str, object] = {}
    for name, recogniser in (
        ("distribution", distribution),
        ("original_language", original_language),
        ("version_language", version_language),
        ("organ", organ),
        ("symbol", symbol),
        ("session", session),
        ("agenda_item", agenda_item),
        ("date", parse_date_line),
    ):
        value = recogniser(line)
        if name == "date" and value is not None and _PERIOD.search(line):
            found["period"] = value  # "6–23 June 2017": the session's dates, not the text's
            break
        if value is not None:
            found[name] = value
            if name != "symbol":
                break
    return found


# --- document types ----------------------------------------------------------------------------

DOC_TYPE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (doc_type, re.compile(words, re.IGNORECASE))
    for doc_type, words in (
        (
            "chair-summary",
            r"chair(?:'|’)?s?(?:man|person)?(?:'|’)?s? (?:summary|conclusions|statement)|"
            r"co-chairs?(?:'|’)?s? (?:summary|statement|conclusions)|"
            r"summary (?:by|of) the (?:co-)?chair|statement (?:by|of) the (?:co-)?chair|"
            r"résumé (?:du|de la) présiden|résumé de la présidence|"
            r"conclusions (?:du|de la) présiden|conclusions de la présidence|"
            r"resumen (?:de la|del) president|resumen de la presidencia|"
            r"conclusiones (?:de la|del) (?:presiden|president)|"
            r"резюме председател|заключени[ея] председател|выводы председател|"
            r"موجز (?:ال)?رئيس|ملخص (?:ال)?رئيس|بيان (?:ال)?رئيس|استنتاجات (?:ال)?رئيس|"
            r"主席(?:的)?(?:总结|摘要|概要|声明|结论)",
        ),
        (
            "action-plan",
            r"action plan|plan of action|programme of action|plan d(?:'|’)action|"
            r"programme d(?:'|’)action|plan de acción|programa de acción|план действий|"
            r"программа действий|خطة (?:ال)?عمل|برنامج (?:ال)?عمل|行动计划|行动纲领",
        ),
        (
            "declaration",
            r"declaration|déclaration|declaraci[óo]n|декларац|إعلان|宣言",
        ),
        (
            "joint-communique",
            r"communiqu[ée]|joint statement|joint press (?:statement|release)|"
            r"comunicado|коммюнике|совместное заявление|"
            r"بيان مشترك|البيان المشترك|البيان الختامي|البيان الصحفي|بيان صحفي|"
            r"联合公报|联合声明|新闻公报",
        ),
        (
            "conclusions",
            r"\bconclusions?\b|\brecommendations?\b|conclusiones|recomendaciones|"
            r"recommandations|заключени[еяй]|выводы|рекомендаци|استنتاجات|توصيات|结论|建议",
        ),
        (
            "resolution",
            r"resolution adopted|résolution adoptée|resolución aprobada|резолюция,? принятая|"
            r"^\W*resolution \d|^\W*r[ée]solution \d|^\W*resoluci[óo]n \d|^\W*резолюция \d|"
            r"проект резолюции|draft resolution|projet de résolution|proyecto de resolución|"
            r"قرار اتخذته|قرار اعتمده|مشروع قرار|通过的决议|大会决议|决议草案",
        ),
        (
            "report",
            r"\breport\b|\brapport\b|\binforme\b|доклад|отчет|تقرير|报告",
        ),
        (
            "letter",
            r"letter dated|lettre datée|carta de fecha|письмо|رسالة مؤرخة|^رسالة|的信|信函",
        ),
    )
)


def doc_type_of(text: str) -> str | None:
    """The document type a title or heading names, if any (first match in priority order)."""
    for doc_type, pattern in DOC_TYPE_WORDS:
        if pattern.search(text):
            return doc_type
    return None
