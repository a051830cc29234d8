"""The interface catalogues: complete in the five other UN languages, placeholders intact, in
sync with the templates and code, loaded from the .po files without a compile step; and the
choice of language from a request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from rcphub.wording import i18n
from rcphub.wording.i18n import negotiate_language, parse_accept_language

PACKAGE_DIR = Path(i18n.__file__).parent.parent  # src/rcphub: babel.cfg's paths start here
WEB_DIR = PACKAGE_DIR / "web"
TRANSLATIONS = WEB_DIR / "translations"
TRANSLATED = ("fr", "es", "ru", "ar", "zh")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def load_template() -> Catalog:
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        return read_po(handle)


def load_catalog(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def message_ids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.fixture(scope="module")
def template() -> Catalog:
    return load_template()


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(template: Catalog, lang: str) -> None:
    catalog = load_catalog(lang)
    assert message_ids(catalog) == message_ids(template), "run pybabel update (README)"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s and s.strip() for s in strings):
            problems.append(message.id)
        if message.pluralizable:
            assert len(strings) == catalog.num_plurals, message.id
    assert not problems, f"untranslated or fuzzy in {lang}: {problems}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_match(lang: str) -> None:
    for message in load_catalog(lang):
        if not message.id:
            continue
        if not message.pluralizable:
            assert placeholders(message.string) == placeholders(message.id), message.id
            continue
        expected = placeholders(message.id[0]) | placeholders(message.id[1])
        for index, form in enumerate(message.string):
            found = placeholders(form)
            assert found <= expected, (message.id, form)
            # the count may be spelt out only where a form stands for one number
            # (Arabic 0, 1 and 2); every other placeholder stays
            optional = {"num"} if lang == "ar" and index <= 2 else set()
            assert expected - optional <= found, (message.id, form)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_survive_formatting(lang: str) -> None:
    """Jinja's new-style gettext formats every string with %, so a stray % must not crash."""
    for message in load_catalog(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        values = {name: "1" for text in ids for name in placeholders(text)}
        for text in strings:
            assert isinstance(text % values, str)  # raises on a malformed format string


def test_catalogue_is_in_sync_with_templates_and_code(template: Catalog) -> None:
    with (WEB_DIR / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    extracted = {
        message_id if isinstance(message_id, str) else message_id[0]
        for _, _, message_id, _, _ in extract_from_dir(
            str(PACKAGE_DIR), method_map, options_map, keywords=keywords
        )
    }
    pot = message_ids(template)
    assert not extracted - pot, f"new strings missing from messages.pot: {extracted - pot}"
    assert not pot - extracted, f"messages.pot has strings no longer used: {pot - extracted}"


def test_catalogues_load_without_compiled_files() -> None:
    assert not list(TRANSLATIONS.rglob("*.mo")), "the .po files are the catalogues; no .mo"
    expected = {
        "fr": "Processus",
        "es": "Procesos",
        "ru": "Процессы",
        "ar": "العمليات",
        "zh": "进程",
        "en": "Processes",
    }
    for lang, word in expected.items():
        assert i18n.load_translations(lang).gettext("Processes") == word


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("ru", 1, "1 совещание"),
        ("ru", 3, "3 совещания"),
        ("ru", 5, "5 совещаний"),
        ("ru", 21, "21 совещание"),
        ("ru", 112, "112 совещаний"),
        ("ar", 0, "لا توجد اجتماعات"),
        ("ar", 1, "اجتماع واحد"),
        ("ar", 2, "اجتماعان"),
        ("ar", 7, "7 اجتماعات"),
        ("ar", 27, "27 اجتماعًا"),
        ("ar", 100, "100 اجتماع"),
        ("fr", 0, "0 réunion"),
        ("fr", 2, "2 réunions"),
        ("es", 1, "1 reunión"),
        ("zh", 27, "27次会议"),
    ],
)
def test_plural_forms(lang: str, count: int, expected: str) -> None:
    translations = i18n.load_translations(lang)
    text = translations.ngettext("%(num)s meeting", "%(num)s meetings", count)
    assert text % {"num": count} == expected


# ---------------------------------------------------------------------------- negotiation


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, []),
        ("", []),
        ("fr", ["fr"]),
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", ["fr", "en"]),
        ("zh-CN,zh;q=0.9", ["zh"]),
        ("zh-Hant-TW", ["zh"]),
        ("ar-EG;q=0.5, es;q=0.6", ["es", "ar"]),
        ("en;q=0, ru", ["ru"]),
        ("ru;q=2, es", ["es"]),
        ("ru;q=abc, es;q=0.1", ["es"]),
        ("EN-gb", ["en"]),
        ("de, it, pt-BR", []),
    ],
)
def test_parse_accept_language(header: str | None, expected: list[str]) -> None:
    assert parse_accept_language(header) == expected


def test_negotiation_order() -> None:
    choice = negotiate_language("ar", "fr", "ru", "en")
    assert (choice.lang, choice.source, choice.direction) == ("ar", "query", "rtl")
    choice = negotiate_language(None, "fr", "ru", "en")
    assert (choice.lang, choice.source) == ("fr", "cookie")
    choice = negotiate_language("xx", "klingon", "ru-RU", "en")
    assert (choice.lang, choice.source) == ("ru", "header")
    choice = negotiate_language(None, None, "de", "es")
    assert (choice.lang, choice.source, choice.direction) == ("es", "default", "ltr")
    assert negotiate_language("zh-Hans", None, None, "en").lang == "zh"
