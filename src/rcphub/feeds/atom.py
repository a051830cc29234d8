"""Atom 1.0 (RFC 4287) documents from plain data.

The serialiser knows nothing of the hub: it writes what it is given, with ``xml:lang`` on every
text whose language differs from the feed's (``""`` when the language is unknown, as XML
allows). Entry and feed IDs are ``tag:`` URIs (RFC 4151) made by :func:`tag_uri` from the hub's
host name, so they stay the same for as long as the hub keeps its name.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPE = "application/atom+xml"
TAG_DATE = "2025"
"""The date part of the hub's ``tag:`` URIs (the year rcphub began minting them)."""

# Characters XML 1.0 cannot carry (C0 controls but tab, newline, carriage return; surrogates;
# U+FFFE/U+FFFF): dropped rather than letting them make the whole feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Text:
    """A text construct (``type="text"``) in a known language (``None``: the feed's)."""

    value: str
    lang: str | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    title: Text
    updated: datetime
    link: str
    summary: Text | None = None
    content: Text | None = None
    published: datetime | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[tuple[str, str | None, str | None], ...] = ()  # (term, scheme, label)


@dataclass(frozen=True)
class Feed:
    id: str
    title: Text
    updated: datetime
    self_link: str
    alternate_link: str
    lang: str
    subtitle: Text | None = None
    authors: tuple[str, ...] = ()
    generator: tuple[str, str, str] | None = None  # (name, uri, version)
    icon: str | None = None
    entries: list[Entry] = field(default_factory=list)


def tag_uri(authority: str, specific: str) -> str:
    """``tag:hub.example.org,2025:rcphub/document/605e52dfd9fa3d4d``."""
    return f"tag:{authority.lower()},{TAG_DATE}:rcphub/{specific}"


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC, to the second: ``2026-11-28T01:28:57Z``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render(feed: Feed) -> bytes:
    """The feed as UTF-8 XML with a declaration."""
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: feed.lang})
    ET.SubElement(root, "id").text = feed.id
    _text(root, "title", feed.title, feed.lang)
    if feed.subtitle is not None:
        _text(root, "subtitle", feed.subtitle, feed.lang)
    ET.SubElement(root, "updated").text = timestamp(feed.updated)
    ET.SubElement(root, "link", {"rel": "self", "type": MEDIA_TYPE, "href": feed.self_link})
    ET.SubElement(
        root, "link", {"rel": "alternate", "type": "text/html", "href": feed.alternate_link}
    )
    for name in feed.authors:
        ET.SubElement(ET.SubElement(root, "author"), "name").text = _clean(name)
    if feed.generator is not None:
        name, uri, version = feed.generator
        ET.SubElement(root, "generator", {"uri": uri, "version": version}).text = name
    if feed.icon:
        ET.SubElement(root, "icon").text = feed.icon
    for entry in feed.entries:
        _entry(root, entry, feed.lang)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(parent: ET.Element, entry: Entry, lang: str) -> None:
    node = ET.SubElement(parent, "entry")
    ET.SubElement(node, "id").text = entry.id
    _text(node, "title", entry.title, lang)
    ET.SubElement(node, "updated").text = timestamp(entry.updated)
    if entry.published is not None:
        ET.SubElement(node, "published").text = timestamp(entry.published)
    ET.SubElement(node, "link", {"rel": "alternate", "type": "text/html", "href": entry.link})
    for name in entry.authors:
        ET.SubElement(ET.SubElement(node, "author"), "name").text = _clean(name)
    for term, scheme, label in entry.categories:
        attrs = {"term": term}
        if scheme:
            attrs["scheme"] = scheme
        if label:
            attrs["label"] = _clean(label)
        ET.SubElement(node, "category", attrs)
    if entry.summary is not None:
        _text(node, "summary", entry.summary, lang)
    if entry.content is not None:
        _text(node, "content", entry.content, lang)


def _text(parent: ET.Element, tag: str, text: Text, lang: str) -> None:
    attrs = {"type": "text"}
    if text.lang is not None and text.lang != lang:
        attrs[XML_LANG] = text.lang
    ET.SubElement(parent, tag, attrs).text = _clean(text.value)


def _clean(value: str) -> str:
    return _NOT_XML.sub("", value)
