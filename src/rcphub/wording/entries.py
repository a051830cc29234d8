"""What is new, worded in one language: the items of :mod:`rcphub.feeds.content` as Atom
entries (title, link, summary, content, categories), which the feeds, the "What's new" page and
the e-mail digests all show.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from rcphub import feeds, urls
from rcphub.documents.parsing.language import detect_language
from rcphub.feeds import atom
from rcphub.registry.schemas import MeetingOut
from rcphub.wording import labels
from rcphub.wording.citations import designation, linked_meetings, meeting_short_title
from rcphub.wording.tools import PageTools


def plain_label(tools: PageTools, group: str, code: str) -> str:
    """A registry code's label as plain text (feeds are not HTML)."""
    message = labels.GROUPS[group].get(code)
    return tools.gettext(message) if message else code


def picked(tools: PageTools, names: dict[str, str], default: str) -> atom.Text:
    found = tools.pick(names)
    return atom.Text(found.text, found.lang) if found else atom.Text(default, "en")


def meeting_title(tools: PageTools, meeting: MeetingOut) -> atom.Text:
    found = tools.pick(meeting.names)
    if found is not None and not found.fallback:
        return atom.Text(found.text, found.lang)
    return atom.Text(meeting_short_title(tools, meeting).striptags(), tools.lang)


def meeting_place(tools: PageTools, meeting: MeetingOut) -> str:
    country = tools.pick(meeting.country_names)
    parts = [meeting.city, country.text if country else meeting.country]
    return ", ".join(p for p in parts if p)


class EntryWriter:
    """Turns the items of :mod:`rcphub.feeds.content` into Atom entries in one language."""

    def __init__(
        self, session: Session, tools: PageTools, base: str, host: str, items: Iterable
    ) -> None:
        items = list(items)
        self.tools = tools
        self.base = base
        self.host = host
        self.hub = tools.gettext("RCP Hub")
        targets = {t for item in items if hasattr(item, "document") for t in item.document.links}
        self.meetings = linked_meetings(session, targets)

    def entry(self, item: feeds.FeedItem) -> atom.Entry:
        if isinstance(item, feeds.DocumentItem):
            return self._document(item)
        if isinstance(item, feeds.PassageItem):
            return self._passage(item)
        if isinstance(item, feeds.UpdateItem):
            return self._update(item)
        if isinstance(item, feeds.ProcessUpdateItem):
            return self._process_update(item)
        return self._meeting(item)

    def _id(self, item: feeds.FeedItem) -> str:
        return atom.tag_uri(self.host, item.key)

    def _document(self, item: feeds.DocumentItem) -> atom.Entry:
        doc = item.document
        quoted = "\n\n".join(f"[{p.ref}] {p.text}" for p in item.passages)
        return atom.Entry(
            id=self._id(item),
            title=atom.Text(designation(self.tools, doc, self.meetings), self.tools.lang),
            updated=item.added,
            published=item.added,
            link=self.base + urls.document(doc.id),
            summary=atom.Text(quoted or (doc.title or doc.filename), doc.language),
            authors=(self.hub,),
            categories=(
                (
                    doc.type,
                    self.base + urls.documents(type=""),
                    plain_label(self.tools, "doc_type", doc.type),
                ),
            ),
        )

    def _passage(self, item: feeds.PassageItem) -> atom.Entry:
        cited = self.tools.gettext("%(document)s, %(passage)s") % {
            "document": designation(self.tools, item.document, self.meetings),
            "passage": self.tools.refs.full(item.passage.ref),
        }
        return atom.Entry(
            id=self._id(item),
            title=atom.Text(cited, self.tools.lang),
            updated=item.added,
            published=item.added,
            link=self.base + urls.document(item.document.id, ref=item.passage.ref),
            summary=atom.Text(item.passage.text, item.passage.language),
            authors=(self.hub,),
        )

    def _update(self, item: feeds.UpdateItem) -> atom.Entry:
        update = item.update
        title = self.tools.gettext(
            "Update on %(passage)s, %(document)s: %(status)s, %(progress)s%%"
        ) % {
            "passage": self.tools.refs.full(item.item_ref),
            "document": designation(self.tools, item.document, self.meetings),
            "status": plain_label(self.tools, "followup_status", update.status),
            "progress": self.tools.number(update.progress),
        }
        if update.note.strip():
            language = detect_language(update.note)
            summary = atom.Text(update.note, "" if language == "und" else language)
        else:
            summary = atom.Text(item.item_text, item.document.language)
        return atom.Entry(
            id=self._id(item),
            title=atom.Text(title, self.tools.lang),
            updated=item.added,
            published=item.added,
            link=self.base + urls.followup_item(item.item_id),
            summary=summary,
            authors=(update.created_by,),
        )

    def _process_update(self, item: feeds.ProcessUpdateItem) -> atom.Entry:
        update = item.update
        title = picked(self.tools, update.titles, str(update.id))
        body = self.tools.pick(update.bodies)
        process = picked(self.tools, item.process_names, update.process).value
        return atom.Entry(
            id=self._id(item),
            title=atom.Text(
                self.tools.gettext("%(process)s: %(title)s")
                % {"process": process, "title": title.value},
                title.lang,
            ),
            updated=item.added,
            published=item.added,
            link=self.base + urls.update(update.id),
            summary=atom.Text(body.text, body.lang) if body else None,
            authors=(process,),
            categories=(("update", None, self.tools.gettext("Update")),),
        )

    def _meeting(self, item: feeds.MeetingItem) -> atom.Entry:
        meeting = item.meeting
        when = (
            self.tools.date_range(meeting.start_date, meeting.end_date)
            if meeting.start_date
            else self.tools.year(meeting.year)
        )
        place = meeting_place(self.tools, meeting)
        return atom.Entry(
            id=self._id(item),
            title=meeting_title(self.tools, meeting),
            updated=item.added,
            link=self.base + urls.meeting(meeting.id),
            summary=atom.Text(", ".join(p for p in (when, place) if p), self.tools.lang),
            content=atom.Text(meeting.theme, "en") if meeting.theme else None,
            authors=(meeting.organisers or self.hub,),
            categories=(
                (
                    meeting.series,
                    self.base + urls.meetings(series=""),
                    plain_label(self.tools, "series_short", meeting.series),
                ),
            ),
        )


ITEM_KINDS = {
    feeds.DocumentItem: "document",
    feeds.PassageItem: "passage",
    feeds.UpdateItem: "followup",
    feeds.ProcessUpdateItem: "update",
    feeds.MeetingItem: "meeting",
}


def kind_label(tools: PageTools, item: feeds.FeedItem) -> str:
    _ = tools.gettext
    return {
        "document": _("Document"),
        "passage": _("Search result"),
        "followup": _("Follow-up update"),
        "update": _("Update"),
        "meeting": _("Meeting"),
    }[ITEM_KINDS[type(item)]]


def worded(session: Session, tools: PageTools, base: str, items: list[feeds.FeedItem]) -> list:  # type: ignore[type-arg]
    """Items as (kind label, Atom entry) pairs worded in ``tools``' language; links start with
    ``base`` (empty: relative links, for pages)."""
    host = "localhost"
    writer = EntryWriter(session, tools, base, host, items)
    return [(kind_label(tools, item), writer.entry(item)) for item in items]
