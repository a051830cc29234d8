"""Fixtures for synthesis reports: the Lima 2013 summary in its six languages (the Russian and
English versions grouped as one work, the others separate), tagged by the real tagger, with a
person's decisions on top: paragraph 10(a) confirmed for round table 3, round table 2 rejected
on paragraph 10(d), and the conclusion of paragraph 10(c) confirmed for follow-up with an
update."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from rcphub import followup, themes
from rcphub.accounts.policy import SYSTEM
from tests.followup.conftest import Lima, load_lima

TODAY = date(2025, 6, 1)


@dataclass
class ReportLima(Lima):
    item: int  # the tracked conclusion of paragraph 10(c)


@pytest.fixture(scope="module")
def lima(database_factory) -> ReportLima:  # type: ignore[no-untyped-def]
    loaded = load_lima(database_factory.new())
    with loaded.database.session() as session:
        themes.decide_tag(session, loaded.ids["en"], "10.a", "hld2013-rt3", "confirm", actor=SYSTEM)
        themes.decide_tag(session, loaded.ids["en"], "10.d", "hld2013-rt2", "reject", actor=SYSTEM)
        report = followup.detect_document(session, loaded.ids["ru"], actor=SYSTEM)
        item = next(i for i in report.proposed if i.ref == "10.c")
        followup.review_item(session, item.id, "confirm", actor=SYSTEM)
        followup.add_update(
            session,
            item.id,
            status="in_progress",
            progress=40,
            note="Regional perspectives presented to the GFMD.",
            day=date(2025, 3, 1),
            today=TODAY,
            actor=SYSTEM,
        )
    return ReportLima(loaded.database, loaded.ids, item.id)
