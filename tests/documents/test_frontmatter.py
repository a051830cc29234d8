"""The title block of plain-text documents: title, type, date and place read from what each
front line says, in the six languages."""

from __future__ import annotations

import datetime as dt

import pytest

from rcphub.documents.parsing import parse_document, read_document
from rcphub.documents.parsing.frontmatter import choose_title, date_line, flat_title, is_caps
from rcphub.documents.parsing.titleblock import doc_type_of


def parse(text: str):
    return parse_document(read_document(text.encode("utf-8"), "doc.txt"))


def test_a_plain_title_line_is_the_title_not_preamble_paragraph_pp1() -> None:
    doc = parse(
        "Declaración de La Paz\n\nLos representantes de los Gobiernos, reunidos en La Paz los "
        "días 25 y 26 de noviembre de 2004, adoptan la siguiente Declaración:\n\n"
        "1. Reafirman su compromiso.\n\n2. Acuerdan seguir.\n"
    )
    assert doc.metadata.title == "Declaración de La Paz"
    assert doc.metadata.doc_type == "declaration"
    assert doc.passages[0].kind == "heading"
    assert doc.passages[0].text == "Declaración de La Paz"
    assert "pp1" not in doc.refs or doc.passage("pp1").text.startswith("Los representantes")


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("CONCLUSIONS DE LA PRÉSIDENCE", "chair-summary"),
        ("Chair's conclusions", "chair-summary"),
        ("Заключение Председателя Алматинского процесса", "chair-summary"),
        ("بيان رئيس المنتدى", "chair-summary"),
        ("Comunicado conjunto", "joint-communique"),
        ("JOINT COMMUNIQUÉ", "joint-communique"),
        ("Совместное коммюнике", "joint-communique"),
        ("البيان المشترك", "joint-communique"),
        ("联合公报", "joint-communique"),
        ("Declaración de La Paz", "declaration"),
        ("Нью-Йоркская декларация о беженцах и мигрантах", "declaration"),
        ("Recommendations of the MIDSA Conference", "conclusions"),
        ("Conclusiones y recomendaciones", "conclusions"),
        ("Plan de acción de Rabat", "action-plan"),
        ("خطة عمل القاهرة", "action-plan"),
        ("Resolution adopted by the General Assembly", "resolution"),
        ("人权理事会通过的决议", "resolution"),
        ("ОБЗОРНЫЙ ДОКЛАД О ПРОЦЕССЕ КОНФЕРЕНЦИИ", "report"),
        ("Migration, a shared responsibility", None),
    ],
)
def test_types_in_six_languages(title: str, doc_type: str | None) -> None:
    assert doc_type_of(title) == doc_type


def test_a_resolution_by_its_number_line() -> None:
    doc = parse(
        "Human Rights Council Twenty-ninth session\n\nAgenda item 3\n\n"
        "Resolution adopted by the Human Rights Council on 2 July 2015\n\n"
        "29/2. Protection of the human rights of migrants: migrants in\n\ntransit\n\n"
        "The Human Rights Council,\n\nReaffirming the Universal Declaration of Human Rights,\n"
    )
    assert doc.metadata.title == "Protection of the human rights of migrants: migrants in transit"
    assert doc.metadata.doc_type == "resolution"
    assert doc.metadata.date == dt.date(2015, 7, 2)


def test_title_block_in_one_block_of_lines() -> None:
    doc = parse(
        "Fifteenth SAARC Summit\nColombo, 2-3 August 2008\nDeclaration\n"
        "Partnership for Growth for Our People\nThe President of the Islamic Republic of\n"
        "Afghanistan and the Prime Minister of the Republic of India met at the Fifteenth\n"
        "Summit held in Colombo, Sri Lanka on August 2-3, 2008.\n"
    )
    assert doc.metadata.title == "Declaration: Partnership for Growth for Our People"
    assert doc.metadata.date == dt.date(2008, 8, 3)
    assert doc.metadata.place == "Colombo"


def test_the_body_says_what_it_adopts() -> None:
    doc = parse(
        "XXI RCM\n\nNovember 18, 2016\n\nMIGRATION, A SHARED RESPONSIBILITY\n\n"
        "The Vice-Ministers gathered at the XXI Vice-Ministerial Meeting held in San Pedro Sula "
        "on November 17-18, 2016, and the following declaration was approved:\n"
    )
    assert doc.metadata.doc_type == "declaration"
    assert doc.metadata.title == "MIGRATION, A SHARED RESPONSIBILITY"
    assert doc.metadata.date == dt.date(2016, 11, 18)


@pytest.mark.parametrize(
    ("line", "date", "place"),
    [
        ("Asunción, Paraguay, 4 y 5 de Mayo de 2006", dt.date(2006, 5, 5), "Asunción"),
        ("Washington, DC, March 24, 2000", dt.date(2000, 3, 24), "Washington, DC"),
        ("(Bruxelles, le 13 décembre 2010)", dt.date(2010, 12, 13), "Bruxelles"),
        ("г. Вена, 29 – 30 июня 2005 г.", dt.date(2005, 6, 30), "Вена"),
        ("22 сентября 2015 года, г. Астана, Казахстан", dt.date(2015, 9, 22), "Астана"),
        ("(17 سبتمبر 2025، ليان يون قانغ، جيانغسو، الصين)", dt.date(2025, 9, 17), "ليان يون قانغ"),
        ("Sucre – , 22nd and 23rd November 2018", dt.date(2018, 11, 23), "Sucre"),
        ("23 October 2017", dt.date(2017, 10, 23), None),
    ],
)
def test_place_and_date_lines(line: str, date: dt.date, place: str | None) -> None:
    assert date_line(line) == (date, place)


def test_running_text_is_no_date_line() -> None:
    assert date_line("Resolution adopted by the Human Rights Council on 2 July 2015 after a "
                     "long debate on the protection of migrants in transit") is None  # fmt: skip


def test_choose_title_skips_notes_and_the_masthead_date() -> None:
    lines = ["Final Version", "XXI RCM", "November 18, 2016", "[English translation of the "
             "original Spanish text]", "XXI REGIONAL CONFERENCE ON MIGRATION (RCM):",
             "MIGRATION, A SHARED RESPONSIBILITY"]  # fmt: skip
    assert choose_title(lines) == (
        "XXI REGIONAL CONFERENCE ON MIGRATION (RCM): MIGRATION, A SHARED RESPONSIBILITY"
    )
    assert (
        choose_title(["33/7.", "无人陪伴的移民儿童和少年与人权"])
        == "无人陪伴的移民儿童和少年与人权"
    )
    assert choose_title(["52/189 | Migrations internationales et développement | |"]) == (
        "Migrations internationales et développement"
    )


def test_titles_in_run_on_openings() -> None:
    assert (
        flat_title(
            "From A/60/509 (Report of the Third Committee) December 6, 2005 Protection of migrants "
            "The General Assembly, Reaffirming the Universal Declaration"
        )
        == "Protection of migrants"
    )
    assert (
        flat_title(
            "IX CONFERENCIA SUDAMERICANA SOBRE MIGRACIONES Quito, 21 y 22 de Septiembre de 2009 "
            "DECLARACIÓN DE QUITO Los Representantes de la República Argentina"
        )
        == "DECLARACIÓN DE QUITO"
    )
    assert flat_title("The ministers met and talked about many things at length.") is None


def test_paragraphs_in_a_script_without_case_are_running_text_not_title_lines() -> None:
    """Arabic has no capitals: a paragraph ending a sentence is body, not a title in capitals
    (taken for one, it was a heading and never searchable by meaning)."""
    doc = parse(
        "اليوم الدولي للمهاجرين\n\n"
        "في 4 كانون الأول/ديسمبر 2000، أعلنت الجمعية العامة يوم 18 كانون الأول/ديسمبر يوما "
        "دوليا للمهاجرين بعد الأخذ بعين الاعتبار الأعداد الكبيرة والمتزايدة للمهاجرين في "
        "العالم.\n\n"
        "الدول الأعضاء، وكذلك المنظمات الحكومية الدولية والمنظمات غير الحكومية، جميعهم مدعون "
        "إلى الاحتفال باليوم الدولي للمهاجرين بعدة طرق.\n"
    )
    assert [p.kind for p in doc.passages] == ["heading", "text", "text"]
    assert doc.metadata.title == "اليوم الدولي للمهاجرين"


@pytest.mark.parametrize(
    ("text", "caps"),
    [
        ("DECLARACIÓN DE QUITO", True),
        ("ОБЗОРНЫЙ ДОКЛАД", True),
        ("Declaración de Quito", False),
        ("اليوم الدولي للمهاجرين", False),
        ("关于难民和移民的纽约宣言", False),
        ("أعلنت المفوضية (UNHCR) اليوم ترحيبها بالإعلان", False),
    ],
)
def test_capitals_only_in_scripts_with_case(text: str, caps: bool) -> None:
    assert is_caps(text) is caps
