"""How the hub names a meeting and a document when it cites them, in the reader's language: the
same words on the document pages, in search results, feeds, digests and synthesis reports.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from rcphub import registry
from rcphub.documents.schemas import DocumentSummary
from rcphub.errors import NotFound
from rcphub.registry.schemas import MeetingOut
from rcphub.wording import labels
from rcphub.wording.tools import PageTools


def meeting_short_title(tools: PageTools, meeting: MeetingOut) -> Markup:
    """The meeting's series and year in the interface language ("Global RCP meeting 2013"),
    as HTML (an untranslated series is marked as English); ``.striptags()`` gives the text. A
    process's own meeting goes by its title and date, as its series says little."""
    if meeting.series == "process":
        title = tools.pick(meeting.names)
        when = meeting.start_date.isoformat() if meeting.start_date else str(meeting.year)
        return escape(f"{title.text if title else meeting.id} ({when})")
    return escape(tools.gettext("%(series)s %(year)s")) % {
        "series": tools.label("series_short", meeting.series),
        "year": tools.year(meeting.year),
    }


def designation(tools: PageTools, document: DocumentSummary, meetings: list[MeetingOut]) -> str:
    """How a citation names the document: "Chair's summary, Global RCP meeting 2013
    (A/68/190)" — its type, the meeting it belongs to (else its date), its symbol."""
    _ = tools.gettext
    if document.type in labels.DOC_TYPES and document.type != "other":
        text = _(labels.DOC_TYPES[document.type])
    else:
        text = document.title or document.filename
    by_id = {m.id: m for m in meetings}
    meeting = next(
        (by_id[t[8:]] for t in document.links if t.startswith("meeting:") and t[8:] in by_id),
        None,
    )
    if meeting is not None:
        text = _("%(document)s, %(meeting)s") % {
            "document": text,
            "meeting": meeting_short_title(tools, meeting).striptags(),
        }
    elif document.date is not None:
        text = _("%(document)s, %(date)s") % {"document": text, "date": tools.date(document.date)}
    if document.symbol:
        text = f"{text} ({document.symbol})"
    return text


def linked_meetings(session: Session, targets: set[str]) -> list[MeetingOut]:
    """The meetings among ``meeting:<id>`` link targets (a meeting removed since is left out)."""
    meetings = []
    for target in sorted(targets):
        if target.startswith("meeting:"):
            try:
                meetings.append(registry.get_meeting(session, target.partition(":")[2]))
            except NotFound:
                continue
    return meetings
