"""Tagging quality on real text: the Lima 2013 Chair's summary, all six language versions,
labelled by hand (tests/themes/gold/, see its README)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rcphub.db.models import Passage
from rcphub.themes import document_tags
from rcphub.themes.evaluation import SchemeScore, score_scheme
from rcphub.themes.tagger import PassageInput, Tagger
from tests.themes.conftest import gold

FLOORS = {
    # scheme: (precision, recall)
    "hld2013": (0.60, 0.80),
    "gcm": (0.85, 0.35),
    "sdg": (0.20, 0.10),
}


def measure(lima) -> dict[str, SchemeScore]:
    labels = gold()
    wanted, found = [], []
    with lima.database.session() as session:
        for lang, document_id in lima.documents.items():
            by_ref = {refs[lang]: new for new, refs in labels["refs"].items() if lang in refs}
            kinds = dict(
                session.execute(
                    select(Passage.ref, Passage.kind).where(Passage.document_id == document_id)
                ).all()
            )
            languages = dict(
                session.execute(
                    select(Passage.ref, Passage.language).where(Passage.document_id == document_id)
                ).all()
            )
            for passage in document_tags(session, document_id).passages:
                probe = PassageInput("", languages[passage.ref], kinds[passage.ref])
                if not Tagger.taggable(probe):
                    continue
                paragraph = by_ref.get(passage.ref, passage.ref)
                wanted.append(labels["labels"].get(paragraph, []))
                found.append([t.tag for t in passage.tags])
    return {scheme: score_scheme(scheme, wanted, found) for scheme in FLOORS}


def test_precision_and_recall_per_scheme(lima, capsys):
    """Precision and recall per scheme over (passage, concept) pairs, on the 106 taggable
    passages of the six Lima versions (119 passages less signatures and dates), against 104
    gold pairs (49 HLD round table, 48 GCM, 7 SDG), with the tagger's thresholds calibrated
    on other text (themes/data/calibration.yaml).

    Measured when this test was written (both backends alike; the tagger is deterministic):
    hld2013 P 0.75 R 0.90, gcm P 0.95 R 0.42, sdg P 0.33 R 0.14. Since the round tables have
    titles in Chinese, Russian and Spanish too (i18n data, 2026-12): hld2013 P 0.85 R 0.84.

    Why these floors. The tags are suggestions a person confirms or rejects on the page, so
    precision matters more than recall where the tagger is trusted, and a floor must catch a
    regression without failing on the noise of one passage. Each floor sits about one or two
    passage-concept pairs of one language version below the measured figure (six versions of
    the same paragraph move together, so one changed decision moves a figure by up to 6/50):
    Since passages share one stored vector with the search index (clause by clause, names
    blanked out; issue 12) rather than being embedded whole for the tagger: hld2013 P 0.64
    R 0.90 (F1 0.81 → 0.75), gcm P 0.88 R 0.48 (F1 0.58 → 0.62), sdg unchanged; the calibrated
    thresholds did not move (bench/calibrate_tagger.py with the shared vectors), and the hld2013
    floor went from 0.65 to 0.60 with it.
    - hld2013 (4 concepts, 49 gold pairs): P >= 0.60, R >= 0.80. The round tables are broad
      and the embedding separates them well; the known errors are "partnerships" (RT3) on
      titles of the meeting.
    - gcm (23 concepts, 48 gold pairs): P >= 0.85, R >= 0.35. What is suggested is right;
      objective 23 (cooperation) is under-suggested relative to RT3, and objectives named
      only in passing (2, 5, 1, 19) are missed.
    - sdg (7 gold pairs, all but one target 10.7): P >= 0.20, R >= 0.10. The Lima summary
      predates the SDGs and mentions the post-2015 agenda in one paragraph; with 7 gold pairs
      one pair is 0.14 of recall, so this floor only guards against the SDG tagger going
      silent or noisy. It is not evidence that SDG tagging works; more labelled documents are
      needed for that.
    """
    scores = measure(lima)
    with capsys.disabled():
        print()
        for score in scores.values():
            print(f"  tagging quality on Lima 2013 (6 languages): {score}")
    failures = [
        f"{s.scheme}: P {s.precision:.2f} < {FLOORS[s.scheme][0]} or R {s.recall:.2f} < "
        f"{FLOORS[s.scheme][1]}"
        for s in scores.values()
        if s.precision < FLOORS[s.scheme][0] or s.recall < FLOORS[s.scheme][1]
    ]
    assert not failures, failures


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ru", "ar", "zh"])
def test_every_language_version_gets_the_cooperation_theme(lima, lang):
    """One model for all six languages: paragraph 8(c) (interregional engagement and
    cooperation with global dialogues) is tagged HLD round table 3 in every version."""
    with lima.database.session() as session:
        tags = {
            p.ref: [t.tag for t in p.tags]
            for p in document_tags(session, lima.documents[lang]).passages
        }
    assert "hld2013-rt3" in tags["8.c"]


def test_names_of_bodies_are_not_themes(lima):
    """Footnote 1 lists "the Bali Process on People Smuggling, Trafficking in Persons and
    Related Transnational Crime": a name, so no trafficking tag (mentions are blanked out)."""
    with lima.database.session() as session:
        tags = {
            p.ref: [t.tag for t in p.tags]
            for p in document_tags(session, lima.documents["en"]).passages
        }
    assert not any(t in tags["p2"] for t in ("gcm-10", "sdg-16.2", "sdg-8.7", "gcm-9"))
