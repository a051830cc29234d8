"""Public delivery of what is new: Atom feeds per process, state, theme and search, and
iCalendar files of meetings.

::

    content     every read a feed or calendar makes, and the visibility rule   (content.py)
    schemas     the plain data content returns                                 (schemas.py)
    atom        Atom 1.0 serialiser                                            (atom.py)
    ical        iCalendar (RFC 5545) serialiser                                (ical.py)

The wording (titles in the reader's language) and HTTP caching are the web layer's
(:mod:`rcphub.web.feed_routes`).
"""

from rcphub.feeds.content import (
    FEED_LIMIT,
    SEARCH_DEPTH,
    NoDates,
    calendar_meeting,
    calendar_meetings,
    find_concept,
    process_feed,
    reference_stamp,
    search_feed,
    state_feed,
    theme_feed,
)
from rcphub.feeds.schemas import (
    DocumentItem,
    FeedContent,
    FeedItem,
    MeetingItem,
    PassageItem,
    ProcessUpdateItem,
    Snippet,
    UpdateItem,
)

__all__ = [
    "FEED_LIMIT",
    "SEARCH_DEPTH",
    "DocumentItem",
    "FeedContent",
    "FeedItem",
    "MeetingItem",
    "NoDates",
    "PassageItem",
    "ProcessUpdateItem",
    "Snippet",
    "UpdateItem",
    "calendar_meeting",
    "calendar_meetings",
    "find_concept",
    "process_feed",
    "reference_stamp",
    "search_feed",
    "state_feed",
    "theme_feed",
]
