"""Recommendation detection on the real Lima 2013 summary in six languages, against hand labels
(``lima/gold.yaml``, guidelines in its header), and on sentences that probe each rule."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from rcphub.documents.parsing import parse_document, read_document
from rcphub.followup import detect_recommendations, due_date_in
from rcphub.followup.detect import Candidate
from tests.followup.conftest import LANGS, LIMA_DIR

RUSSIAN = Path(__file__).parents[2] / "src/rcphub/refdata/data/documents"
GOLD = yaml.safe_load((LIMA_DIR / "gold.yaml").read_text(encoding="utf-8"))["recommendations"]

# Floors. The detector's patterns were written after the gold labels and the translations,
# but by the same hand and against this one document (≈30 passages, 6 positives per
# language), so a perfect score here says the rules encode the guidelines, not that they
# generalise. The floors leave room for one miss and one false alarm per language
# (6/7 ≈ 0.86 precision, 5/6 ≈ 0.83 recall) and the requirement is exact:
# every conclusion of paragraph 10 is found in every language.
PRECISION_FLOOR = 0.85
RECALL_FLOOR = 0.83


def lima_passages(lang: str):  # type: ignore[no-untyped-def]
    path = (
        RUSSIAN / "lima-2013-chairs-summary.ru.txt"
        if lang == "ru"
        else LIMA_DIR / f"lima-2013.{lang}.txt"
    )
    parsed = parse_document(read_document(path.read_bytes(), path.name))
    assert parsed.language == lang
    return parsed


def precision_recall(found: set[str], gold: set[str]) -> tuple[float, float]:
    hits = len(found & gold)
    return (hits / len(found) if found else 0.0), (hits / len(gold) if gold else 1.0)


@pytest.mark.parametrize("lang", LANGS)
def test_lima_precision_and_recall(lang: str) -> None:
    parsed = lima_passages(lang)
    found = {c.ref for c in detect_recommendations(parsed.passages, parsed.language)}
    gold = set(GOLD[lang])
    precision, recall = precision_recall(found, gold)
    print(f"\n{lang}: precision {precision:.2f} recall {recall:.2f} found {sorted(found)}")
    assert precision >= PRECISION_FLOOR, sorted(found - gold)
    assert recall >= RECALL_FLOOR, sorted(gold - found)
    conclusions = {ref for ref in gold if ref.startswith("10.")}
    assert conclusions <= found, sorted(conclusions - found)


@pytest.mark.parametrize("lang", LANGS)
def test_lima_paragraph_10_items_are_conclusions_and_its_lead_in_is_not(lang: str) -> None:
    parsed = lima_passages(lang)
    by_ref = {c.ref: c for c in detect_recommendations(parsed.passages, parsed.language)}
    assert "10" not in by_ref
    items = [c for ref, c in by_ref.items() if ref.startswith("10.")]
    assert len(items) == 5
    assert {c.kind for c in items} == {"conclusion"}
    assert all("10" in c.reasons[0] for c in items)


@pytest.mark.parametrize("lang", LANGS)
def test_lima_cited_calls_and_discussion_points_are_not_recommendations(lang: str) -> None:
    """Paragraph 9 quotes the General Assembly's call (in Russian with the finite verb
    "призывает", in Chinese "决议呼吁"); 8(b) and 8(e) say what "needs to" happen in a list of
    points highlighted; paragraph 6 stresses importance, not a need."""
    parsed = lima_passages(lang)
    found = {c.ref for c in detect_recommendations(parsed.passages, parsed.language)}
    assert not found & {"9", "8.b", "8.e", "6", "11", "p2"}


def test_the_cited_resolution_rule_is_what_keeps_paragraph_9_out() -> None:
    ru = lima_passages("ru")
    paragraph_9 = next(p for p in ru.passages if p.ref == "9")
    assert "призывает" in paragraph_9.text
    quoted = Passage("9", paragraph_9.text.replace("резолюциях", "документах"), "ru")
    assert [c.ref for c in detect_recommendations([quoted], "ru")] == ["9"]


class Passage:
    def __init__(self, ref: str, text: str, language: str, kind: str = "paragraph",
                 parent_ref: str | None = None, heading: str | None = None) -> None:  # fmt: skip
        self.ref, self.text, self.language, self.kind = ref, text, language, kind
        self.parent_ref, self.heading = parent_ref, heading


# (language, sentence, kind, due date). Decisions and commitments are kinds of their own since
# the real-text evaluation (tests/realtext/operative): "会议决定设立工作组" is a decision, no
# longer filed as a recommendation.
OPERATIVE = [
    ("en", "The participants recommended that States share data by 2015.", "recommendation",
     date(2015, 12, 31)),
    ("en", "The meeting calls upon IOM to publish a report.", "recommendation", None),
    ("fr", "Les participants encouragent les États à échanger des données d'ici à 2016.",
     "recommendation", date(2016, 12, 31)),
    ("es", "Los participantes instan a los Estados a cooperar antes de 2017.", "recommendation",
     date(2017, 12, 31)),
    ("ru", "Участники рекомендовали государствам обмениваться данными до 2018 года.",
     "recommendation", date(2018, 12, 31)),
    ("ar", "وأوصى المشاركون الدول بتبادل البيانات بحلول عام 2019.", "recommendation",
     date(2019, 12, 31)),
    ("zh", "与会者呼吁各国在2020年之前交流数据。", "recommendation", date(2020, 12, 31)),
    ("zh", "会议决定设立工作组。", "decision", None),
    ("es", "Acuerdan establecer un grupo de trabajo sobre migración laboral.", "decision", None),
    ("es", "Se comprometen a intercambiar información antes de 2026.", "commitment",
     date(2026, 12, 31)),
    ("es", "Encomiendan a la Secretaría Técnica preparar un informe.", "request", None),
    ("fr", "Les ministres décident de créer un groupe de travail.", "decision", None),
    ("en", "The Ministers requested the Secretariat to circulate the report.", "request", None),
    ("ru", "Поручить Исполнительному комитету подготовить доклад.", "request", None),
    ("ar", "يقرر المجلس إنشاء فريق عامل.", "decision", None),
]  # fmt: skip

NOT_OPERATIVE = [
    ("en", "Participants highlighted the importance of dialogue."),
    ("en", "Recalling General Assembly resolution 67/219, which calls upon Member States to act."),
    ("fr", "Les participants ont reconnu le rôle de l'OIM."),
    ("es", "Los participantes reconocieron el papel de la OIM."),
    ("ru", "Участники признали роль МОМ в обсуждении программы на период после 2015 года."),
    ("ar", "أقر المشاركون بدور المنظمة الدولية للهجرة."),
    ("zh", "与会者确认移民组织的作用。"),
]


@pytest.mark.parametrize(("lang", "text", "kind", "due"), OPERATIVE)
def test_operative_sentences_in_six_languages(
    lang: str, text: str, kind: str, due: date | None
) -> None:
    (candidate,) = detect_recommendations([Passage("1", text, lang)], lang)
    assert candidate.kind == kind
    assert candidate.due_date == due
    assert candidate.reasons
    assert candidate.reasons[0].startswith("operative language")


@pytest.mark.parametrize(("lang", "text"), NOT_OPERATIVE)
def test_statements_are_not_recommendations(lang: str, text: str) -> None:
    assert detect_recommendations([Passage("1", text, lang)], lang) == []


def test_a_recommendations_section_and_a_recommendations_list() -> None:
    passages = [
        Passage("4", "Participants discussed the following:", "en"),
        Passage("4.a", "data exchange;", "en", kind="subparagraph", parent_ref="4"),
        Passage("5", "The hub should be maintained.", "en", heading="Recommendations"),
        Passage("6", "The Meeting adopted the following recommendations:", "en"),
        Passage("6.a", "share data;", "en", kind="subparagraph", parent_ref="6"),
    ]
    found = detect_recommendations(passages, "en")
    assert [(c.ref, c.kind) for c in found] == [
        ("5", "recommendation"),
        ("6.a", "recommendation"),
    ]
    assert isinstance(found[0], Candidate)


def test_post_2015_is_not_a_due_date() -> None:
    assert due_date_in("the post-2015 development agenda", "en") is None
    assert due_date_in("программы развития на период после 2015 года", "ru") is None
    assert due_date_in("2015年后发展议程", "zh") is None


NEVER = [
    ("en", "The VII Regional Conference on Migration took place in Antigua, Guatemala, with the "
     "participation of Belize, Canada and Mexico."),
    ("en", "The meeting thanked the Government of Ghana for hosting the conference."),
    ("fr", "Fait à Abuja, le 12 mai 2023, en trois exemplaires originaux."),
    ("es", "Hecho en San José, Costa Rica, el 23 de marzo de 2001."),
    ("ru", "Совершено в городе Казани 26 августа 2005 года в одном подлинном экземпляре."),
    ("en", "Recognizing the role of the International Organization for Migration,"),
    ("es", "Reconociendo la importancia de la cooperación regional,"),
    ("ar", "وإذ تشير إلى جميع قراراتها السابقة المتعلقة بحماية المهاجرين،"),
    ("ru", "3. Настоящее Решение вступает в силу с даты его подписания."),
    ("en", "They agreed to:"),
    ("es", "ACORDARON:"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text"), NEVER)
def test_attendance_thanks_place_date_recitals_and_lead_ins_are_never_proposed(
    lang: str, text: str
) -> None:
    assert detect_recommendations([Passage("1", text, lang)], lang) == []


def test_a_lead_in_gives_its_verb_to_its_items_but_not_to_a_note_or_thanks() -> None:
    passages = [
        Passage("p1", "Los Viceministros ACORDARON:", "es"),
        Passage("1", "Aceptar el informe financiero de la Secretaría Técnica.", "es"),
        Passage("2", "Tomar nota del informe de la Presidencia Pro-Témpore.", "es"),
        Passage("3", "Agradecer a Panamá por la organización de la reunión.", "es"),
        Passage("4", "Celebrar el próximo taller regional en Guatemala en 2026.", "es"),
        Passage("5", "The Council decided:", "en"),
        Passage("5.a", "the working group shall meet twice a year;", "en", "subparagraph", "5"),
        Passage("5.b", "to take note of the report;", "en", "subparagraph", "5"),
    ]
    found = {c.ref: c for c in detect_recommendations(passages, "es")}
    assert sorted(found) == ["1", "4", "5.a"]
    assert found["1"].kind == "decision"
    assert found["5.a"].kind == "decision"
    assert "5" in found["5.a"].reasons[0]
    assert found["4"].reasons == ["operative language: “Celebrar”"]


def test_a_cited_call_stays_out_but_the_meetings_own_call_counts() -> None:
    cited = "Recordando que la resolución 67/219 exhorta a los Estados a cooperar."
    own = "Los participantes exhortan a los Estados a cooperar."
    found = detect_recommendations([Passage("1", cited, "es"), Passage("2", own, "es")], "es")
    assert [c.ref for c in found] == ["2"]
