"""What the hub proposes to file a document under, read from its text, for the uploader to
confirm: the processes its title and opening lines name, and the meeting it reports on.

Pure functions over plain data (the passages and mentions of a parsed or stored document), so
the same rules serve ingest, the upload result page, the document page and ``ingest --json``.

- A process is suggested when the title names it ("Report and Recommendations of the MIDSA
  Conference" → ``process:midsa``), or a heading above the body ("QUINTA CONFERENCIA
  SUDAMERICANA SOBRE MIGRACIONES"), or the first lines of the first paragraph; a process merely
  cited further down (a participant, an earlier meeting) is not.
- A meeting is suggested when the text names a series the registry holds meetings of (the
  Global Meeting of Chairs and Secretariats of RCPs, the GFMD, the High-level Dialogue and the
  International Migration Review Forum) and a meeting of that series exists in the year of the
  document's date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

OPENING_CHARS = 300
"""How far into the first paragraph a process counts as named in the opening lines."""

_SERIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "grcp",
        re.compile(
            r"global (?:rcp )?meeting of (?:the )?chairs and secretariats|"
            r"réunion mondiale des présidents et (?:des )?secrétariats|"
            r"reunión mundial de (?:los )?presidentes y secretarías|"
            r"глобальн\w+ (?:встреч|совещани)\w* председателей и секретариатов|"
            r"الاجتماع العالمي لرؤساء وأمانات|全球.{0,6}主席和秘书处会议",
            re.IGNORECASE,
        ),
    ),
)
_PROCESS_SERIES = {"process:gfmd": "gfmd", "process:un-hld-imrf": ("hld", "imrf")}


@dataclass(frozen=True, slots=True)
class PassageText:
    ref: str
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class MentionRef:
    passage: str  # the passage ref
    entity: str
    surface: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One thing to file the document under, and why: ``title``, ``heading`` or ``opening``
    (where the text names it), or ``series`` (a meeting of a series the text names)."""

    target: str  # process:<id> | meeting:<id>
    reason: str
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class FilingSuggestions:
    processes: list[Suggestion] = field(default_factory=list)
    meetings: list[Suggestion] = field(default_factory=list)

    @property
    def process_ids(self) -> list[str]:
        return [s.target for s in self.processes]


def suggest_filing(
    title: str | None,
    passages: Sequence[PassageText],
    mentions: Iterable[MentionRef],
    *,
    date: dt.date | None = None,
    meeting_ids: Iterable[str] = (),
) -> FilingSuggestions:
    """Processes and meetings to propose for a document (see the module docs)."""
    mentions = [m for m in mentions if m.entity.startswith("process:")]
    front_refs: set[str] = set()
    first_body: str | None = None
    for passage in passages:
        if passage.kind == "heading" and first_body is None:
            front_refs.add(passage.ref)
        elif passage.kind in ("paragraph", "preamble", "text", "annex-paragraph"):
            first_body = passage.ref
            break
    opening = {m.passage for m in mentions if m.passage == first_body}
    processes: dict[str, Suggestion] = {}
    title_folded = (title or "").casefold()
    for mention in mentions:
        if mention.entity in processes:
            continue
        if title_folded and mention.surface.casefold() in title_folded:
            processes[mention.entity] = Suggestion(mention.entity, "title", mention.surface)
    for mention in mentions:
        if mention.entity not in processes and mention.passage in front_refs:
            processes[mention.entity] = Suggestion(mention.entity, "heading", mention.surface)
    if first_body in opening:
        body_text = next((p.text for p in passages if p.ref == first_body), "")
        for mention in mentions:
            if mention.entity in processes or mention.passage != first_body:
                continue
            position = body_text.find(mention.surface)
            if 0 <= position < OPENING_CHARS:
                processes[mention.entity] = Suggestion(mention.entity, "opening", mention.surface)
    return FilingSuggestions(
        processes=list(processes.values()),
        meetings=_meetings(passages, mentions, date, set(meeting_ids)),
    )


def _meetings(
    passages: Sequence[PassageText],
    mentions: list[MentionRef],
    date: dt.date | None,
    meeting_ids: set[str],
) -> list[Suggestion]:
    if date is None or not meeting_ids:
        return []
    series: dict[str, str] = {}
    head = " ".join(p.text for p in passages[:12])[:6000]
    for name, pattern in _SERIES:
        match = pattern.search(head)
        if match:
            series[name] = match.group(0)
    for mention in mentions:
        found = _PROCESS_SERIES.get(mention.entity)
        for name in (found,) if isinstance(found, str) else found or ():
            series.setdefault(name, mention.surface)
    suggestions = []
    for name, evidence in series.items():
        ident = f"{name}-{date.year}"
        if ident in meeting_ids:
            suggestions.append(Suggestion(f"meeting:{ident}", "series", evidence))
    return suggestions


__all__ = [
    "FilingSuggestions",
    "MentionRef",
    "PassageText",
    "Suggestion",
    "suggest_filing",
]
