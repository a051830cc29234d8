"""The addresses of the hub's pages, built in one place.

Every link, form action and redirect to a page is built here, by the pages (a Jinja global,
``url``: ``{{ url.process(p.id) }}``), the page routes and the core modules that name a page
(webhook payloads, invitation mails, follows, search hits). Each path segment taken from data
is quoted whole (``quote(value, safe="")``: an identifier with a space, ``/``, ``?`` or ``#``
stays one segment), a query string is written by :func:`urllib.parse.urlencode` (a mapping or
a list of pairs; ``None`` values are left out) and a fragment is quoted too.

The results are paths, relative to the site: feeds, mails and webhooks put the configured
public base URL in front where they need an absolute address.
``tests/test_urls.py`` checks that every address built here is answered by a route of the app,
and that no hand-written page path comes back outside this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlencode

Query = Mapping[str, Any] | Iterable[tuple[str, Any]] | None

_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def anchor(ref: str) -> str:
    """The HTML id of a passage: ``8.b`` → ``p-8.b`` (dots are valid in HTML5 ids; anything
    outside ``[A-Za-z0-9._-]`` becomes ``_`` so a strange ref cannot break the markup)."""
    return "p-" + _ANCHOR_UNSAFE.sub("_", ref)


def _seg(value: object) -> str:
    return quote(str(value), safe="")


def with_query(path: str, query: Query = None, fragment: str | None = None, **params: Any) -> str:
    """``path`` with a query string (``query`` pairs first, then ``params``; ``None`` left out)
    and a fragment."""
    pairs = list(query.items() if isinstance(query, Mapping) else query or ())
    pairs += list(params.items())
    pairs = [(k, v) for k, v in pairs if v is not None]
    out = path + ("?" + urlencode(pairs) if pairs else "")
    return out + ("#" + quote(fragment, safe="") if fragment else "")


def _choice(value: str | None, allowed: set[str], sep: str = "/") -> str:
    """A fixed last part of a path, one of ``allowed`` (a typo fails here, not in a browser)."""
    if value is None:
        return ""
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of {sorted(allowed)}")
    return sep + value


def _under(collection: str, ident: object, page: str | None, pages: frozenset[str]) -> str:
    return f"{collection}/{_seg(ident)}" + _choice(page, set(pages))


def _page(path: str):  # type: ignore[no-untyped-def]
    """A builder for a fixed path: ``documents(type="declaration")``."""

    def build(*, query: Query = None, fragment: str | None = None, **params: Any) -> str:
        return with_query(path, query, fragment, **params)

    build.__doc__ = f"``{path}``"
    return build


# The pages under a record (their route is ``/processes/{ident}/<page>``...).
PROCESS_PAGES = frozenset(
    {
        "edit", "history", "members", "meetings", "meetings/new", "updates", "updates/new",
        "focal-points", "focal-points/history", "people", "people/invite", "people/grant",
        "people/revoke", "followup",
    }
)  # fmt: skip
MEETING_PAGES = frozenset({"edit", "history", "followup"})
DOCUMENT_PAGES = frozenset(
    {
        "edit", "history", "source", "tags", "filing", "versions/link", "versions/unlink",
        "followup/detect", "followup/track",
    }
)  # fmt: skip

# ---------------------------------------------------------------------------- registry

home = _page("/")
processes = _page("/processes")
countries = _page("/countries")
meetings = _page("/meetings")
upcoming = _page("/upcoming")
taxonomies = _page("/taxonomies")
about = _page("/about")


def process(
    ident: str, page: str | None = None, *, query: Query = None, fragment: str | None = None
) -> str:
    """``/processes/{ident}``, or one of its :data:`PROCESS_PAGES`: ``process(id, "edit")``."""
    return with_query(_under("/processes", ident, page, PROCESS_PAGES), query, fragment)


def organisation(ident: str) -> str:
    return f"/organisations/{_seg(ident)}"


def country(iso3: str) -> str:
    return f"/countries/{_seg(iso3)}"


def region(code: str) -> str:
    """The list of countries of a region."""
    return countries(region=code)


def meeting(ident: str, page: str | None = None) -> str:
    """``/meetings/{ident}``, or one of its :data:`MEETING_PAGES`: ``meeting(id, "edit")``."""
    return _under("/meetings", ident, page, MEETING_PAGES)


def taxonomy(scheme: str, code: str | None = None) -> str:
    """A taxonomy, or one of its concepts (``/taxonomies/gcm#c-7``)."""
    return with_query(f"/taxonomies/{_seg(scheme)}", fragment=f"c-{code}" if code else None)


def process_member(ident: str, membership_id: int) -> str:
    return f"{process(ident)}/members/{_seg(membership_id)}"


def focal_point(ident: str, focal_point_id: int, action: str | None = None) -> str:
    """A focal point's form action (``…/focal-points/3``, ``…/focal-points/3/remove``)."""
    path = f"{process(ident)}/focal-points/{_seg(focal_point_id)}"
    return path + _choice(action, {"remove"})


# ---------------------------------------------------------------------------- documents

documents = _page("/documents")
upload = _page("/documents/upload")


def document(
    ident: str,
    page: str | None = None,
    *,
    ref: str | None = None,
    fragment: str | None = None,
    query: Query = None,
) -> str:
    """``/documents/{ident}``, one of its :data:`DOCUMENT_PAGES` (``document(id, "source")``),
    or a passage of it (``document(id, ref="8.b")`` → ``/documents/{id}#p-8.b``)."""
    path = _under("/documents", ident, page, DOCUMENT_PAGES)
    return with_query(path, query, anchor(ref) if ref else fragment)


def compare(ident: str, other: str) -> str:
    return f"/documents/{_seg(ident)}/compare/{_seg(other)}"


def history_revert(change_id: int) -> str:
    return f"/history/{_seg(change_id)}/revert"


# ---------------------------------------------------------------------------- search, follow-up

search = _page("/search")
followup = _page("/followup")


def followup_item(item_id: int, action: str | None = None, fragment: str | None = None) -> str:
    """An item's page, or a form action under it (``updates``, ``review``, ``edit``)."""
    path = f"/followup/items/{_seg(item_id)}" + _choice(action, {"updates", "review", "edit"})
    return with_query(path, fragment=fragment)


# ---------------------------------------------------------------------------- analytics, reports

analytics = _page("/analytics")
analytics_processes = _page("/analytics/processes")
analytics_countries = _page("/analytics/countries")


def analytics_process(ident: str) -> str:
    return f"/analytics/processes/{_seg(ident)}"


def analytics_country(iso3: str) -> str:
    return f"/analytics/countries/{_seg(iso3)}"


def download(page: str, filename: str, query: Query = None) -> str:
    """A file of an analytics page: ``download(analytics(), "overlap.csv", [...])``."""
    return with_query(f"{page}/{_seg(filename)}", query)


synthesis_report = _page("/reports/synthesis")
synthesis_stylesheet = _page("/reports/synthesis.css")
synthesis_download = _page("/reports/synthesis/download")


# ---------------------------------------------------------------------------- feeds, calendars


def process_feed(ident: str, **params: Any) -> str:
    return with_query(f"/feeds/process/{_seg(ident)}.atom", **params)


def state_feed(iso3: str, **params: Any) -> str:
    return with_query(f"/feeds/state/{_seg(iso3)}.atom", **params)


def theme_feed(scheme: str, code: str, **params: Any) -> str:
    return with_query(f"/feeds/theme/{_seg(scheme)}/{_seg(code)}.atom", **params)


search_feed = _page("/feeds/search.atom")
meetings_calendar = _page("/calendar/meetings.ics")


def process_calendar(ident: str, **params: Any) -> str:
    return with_query(f"/calendar/process/{_seg(ident)}.ics", **params)


def meeting_calendar(ident: str, **params: Any) -> str:
    return with_query(f"/meetings/{_seg(ident)}.ics", **params)


# ---------------------------------------------------------------------------- exchange

whats_new = _page("/whats-new")
whats_new_seen = _page("/whats-new/seen")
follows = _page("/follows")


def follow_delete(follow_id: int) -> str:
    return f"/follows/{_seg(follow_id)}/delete"


def update(update_id: int, action: str | None = None) -> str:
    """A process update's page, or ``withdraw``."""
    return f"/updates/{_seg(update_id)}" + _choice(action, {"withdraw"})


# ---------------------------------------------------------------------------- accounts

sign_in = _page("/sign-in")
sign_out = _page("/sign-out")
account = _page("/account")
account_tokens = _page("/account/tokens")
account_preferences = _page("/account/preferences")
proposals = _page("/proposals")


def account_token_revoke(token_id: int) -> str:
    return f"/account/tokens/{_seg(token_id)}/revoke"


def proposal_decision(proposal_id: int, decision: str) -> str:
    """``approve`` or ``reject``."""
    return f"/proposals/{_seg(proposal_id)}" + _choice(decision, {"approve", "reject"})


def invitation(token: str) -> str:
    return f"/invitations/{_seg(token)}"


def password_reset(token: str) -> str:
    return f"/password-reset/{_seg(token)}"


# ---------------------------------------------------------------------------- administration

admin_audit = _page("/admin/audit")
admin_webhooks = _page("/admin/webhooks")
admin_people = _page("/admin/people")
admin_candidates = _page("/admin/candidates")


def admin_audit_export(fmt: str, query: Query = None) -> str:
    """``csv`` or ``json``."""
    return with_query("/admin/audit" + _choice(fmt, {"csv", "json"}, "."), query)


def admin_people_action(action: str) -> str:
    """``invite``, ``grant`` or ``revoke``."""
    return "/admin/people" + _choice(action, {"invite", "grant", "revoke"})


def admin_reset_link(username: str) -> str:
    return f"/admin/people/{_seg(username)}/reset"


def webhook_remove(webhook_id: int) -> str:
    return f"/admin/webhooks/{_seg(webhook_id)}/remove"


def delivery_redeliver(delivery_id: int) -> str:
    return f"/admin/webhooks/deliveries/{_seg(delivery_id)}/redeliver"


def candidate_status(candidate_id: int) -> str:
    return f"/admin/candidates/{_seg(candidate_id)}/status"


# The first segments of the pages' paths: outside this module, a string that starts with one
# of them is a hand-written page path (tests/test_urls.py looks for them).
PREFIXES = frozenset(
    {
        "about", "account", "admin", "analytics", "calendar", "countries", "documents", "feeds",
        "followup", "follows", "history", "invitations", "meetings", "organisations",
        "password-reset", "processes", "proposals", "reports", "search", "sign-in", "sign-out",
        "taxonomies", "upcoming", "updates", "whats-new",
    }
)  # fmt: skip
