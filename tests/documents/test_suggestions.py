"""Filing suggestions from a document's text: which processes and meetings, and why."""

from __future__ import annotations

import datetime as dt

from rcphub.documents.suggestions import MentionRef, PassageText, suggest_filing

PASSAGES = [
    PassageText("h1", "heading", "Report and Recommendations of the MIDSA Conference"),
    PassageText("h2", "heading", "Windhoek, 15 - 17 November 2010"),
    PassageText(
        "p1",
        "text",
        "The Fourth Global Meeting of Chairs and Secretariats of Regional Consultative Processes "
        "was recalled, as was the IGAD-RCP. " + "Text. " * 60 + "The Bali Process was cited.",
    ),
]
MENTIONS = [
    MentionRef("h1", "process:midsa", "MIDSA"),
    MentionRef("p1", "process:igad-rcp", "IGAD-RCP"),
    MentionRef("p1", "process:bali-process", "Bali Process"),
    MentionRef("p1", "state:PER", "Peru"),
]


def test_processes_named_in_the_title_and_opening_lines_only() -> None:
    found = suggest_filing("Report and Recommendations of the MIDSA Conference", PASSAGES, MENTIONS)
    assert [(s.target, s.reason, s.evidence) for s in found.processes] == [
        ("process:midsa", "title", "MIDSA"),
        ("process:igad-rcp", "opening", "IGAD-RCP"),
    ]
    assert found.process_ids == ["process:midsa", "process:igad-rcp"]


def test_a_heading_above_the_body_counts_without_a_title() -> None:
    found = suggest_filing(None, PASSAGES, MENTIONS)
    assert found.processes[0].target == "process:midsa"
    assert found.processes[0].reason == "heading"


def test_a_meeting_of_a_series_the_text_names_in_the_year_of_its_date() -> None:
    found = suggest_filing(
        None, PASSAGES, MENTIONS, date=dt.date(2013, 5, 23), meeting_ids={"grcp-2013", "gfmd-2013"}
    )
    assert [(s.target, s.reason) for s in found.meetings] == [("meeting:grcp-2013", "series")]
    assert suggest_filing(None, PASSAGES, MENTIONS, date=dt.date(2014, 1, 1),
                          meeting_ids={"grcp-2013"}).meetings == []  # fmt: skip
    assert suggest_filing(None, PASSAGES, MENTIONS, meeting_ids={"grcp-2013"}).meetings == []
