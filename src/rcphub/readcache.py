"""Anonymous reads served from memory while the data has not changed.

A pure ASGI middleware. An anonymous ``GET`` of a page or of the JSON API (no session or CSRF
cookie, no ``Authorization``) is looked up by its address and what it is negotiated on
(language cookie, ``Accept-Language``, gzip, host and scheme) together with the **data
version** (:mod:`rcphub.db.versioning`): every committed write, on any node, raises that version,
so an entry rendered before a write is never served after it. Each answer carries a weak
``ETag`` made of the version and the address, so a browser or proxy that sends it back gets
``304 Not Modified`` without the page being rendered again.

What is not kept: anything but a ``200`` of HTML or JSON, an answer that sets a cookie other
than the language one or says ``no-store``, bodies over :data:`MAX_BODY`, and the addresses in
:data:`SKIPPED` (search, whose results follow the index rather than the data version; feeds and
calendars, which have validators of their own; sign-in and account pages; static files, served
fast already). An entry also expires after :data:`MAX_AGE` seconds, so pages that depend on
the day (upcoming meetings) turn over. The cache holds at most ``RCPHUB_READ_CACHE_ENTRIES`` answers
(:data:`MAX_ENTRIES` by default; 0 turns it off) and :data:`MAX_BYTES` bytes, least recently used
out first; each node (each worker) has its own.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

MAX_ENTRIES = 2000
MAX_BYTES = 64 * 2**20
MAX_BODY = 2 * 2**20
MAX_AGE = 300.0
SKIPPED = (
    "/static/",
    "/search",
    "/api/v1/search",
    "/feeds/",
    "/calendar",
    "/sign-in",
    "/sign-out",
    "/account",
    "/whats-new",
    "/healthz",
    "/readyz",
)
PRIVATE_COOKIES = (b"rcphub_session=", b"rcphub_csrf=")
LANGUAGE_COOKIE = "lang"
CACHEABLE_TYPES = (b"text/html", b"application/json")


@dataclass
class Entry:
    version: int
    etag: bytes
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    stored: float


class ReadCache:
    """See the module docstring. The version is read from ``scope["app"].state.database``."""

    def __init__(self, app: ASGIApp, *, max_entries: int = MAX_ENTRIES) -> None:
        self.app = app
        self.max_entries = max_entries
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.size = 0
        self.hits = 0
        self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not _anonymous(scope):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path.startswith(SKIPPED):
            await self.app(scope, receive, send)
            return
        version = await self._version(scope)
        if version is None:  # the database cannot be read: let the app answer (an error)
            await self.app(scope, receive, send)
            return
        key = _key(scope)
        etag = _etag(key, version)
        sent = Headers(scope=scope).get("if-none-match")
        if _matches(sent, etag):  # what the client holds is still what we would render
            self.hits += 1
            await _not_modified(send, etag)
            return
        entry = self.entries.get(key)
        if entry is not None and (
            entry.version != version or time.monotonic() - entry.stored > MAX_AGE
        ):
            self._drop(key)
            entry = None
        if entry is not None:
            self.entries.move_to_end(key)
            self.hits += 1
            await send(
                {
                    "type": "http.response.start",
                    "status": entry.status,
                    "headers": [*entry.headers, (b"x-cache", b"hit")],
                }
            )
            await send({"type": "http.response.body", "body": entry.body})
            return
        self.misses += 1
        await self._render(scope, receive, send, key, version, etag)

    async def _render(
        self, scope: Scope, receive: Receive, send: Send, key: str, version: int, etag: bytes
    ) -> None:
        keep = False
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        size = 0

        async def capture(message: Message) -> None:
            nonlocal keep, status, headers, size
            if message["type"] == "http.response.start":
                status = message["status"]
                keep = status == 200 and _cacheable(message["headers"])
                if keep:
                    mutable = MutableHeaders(scope=message)
                    mutable["etag"] = etag.decode()
                    if "cache-control" not in mutable:
                        mutable["cache-control"] = "no-cache"
                    headers = list(message["headers"])
                    mutable["x-cache"] = "miss"
            elif message["type"] == "http.response.body" and keep:
                body = message.get("body", b"")
                size += len(body)
                if size > MAX_BODY:
                    keep = False
                    chunks.clear()
                else:
                    chunks.append(body)
                if not message.get("more_body", False) and keep:
                    body = b"".join(chunks)
                    self._store(key, Entry(version, etag, status, headers, body, time.monotonic()))
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key: str, entry: Entry) -> None:
        self._drop(key)
        self.entries[key] = entry
        self.size += len(entry.body)
        while self.entries and (len(self.entries) > self.max_entries or self.size > MAX_BYTES):
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)

    def _drop(self, key: str) -> None:
        dropped = self.entries.pop(key, None)
        if dropped is not None:
            self.size -= len(dropped.body)

    async def _version(self, scope: Scope) -> int | None:
        database = scope["app"].state.database

        def read() -> int | None:
            try:
                with database.engine.connect() as connection:
                    found = connection.execute(
                        text("SELECT version FROM data_version WHERE id = 1")
                    ).scalar()
                    return int(found) if found is not None else None
            except SQLAlchemyError:
                return None

        return await run_in_threadpool(read)


def _period() -> int:
    """The current :data:`MAX_AGE` period (wall clock, so that every node agrees)."""
    return int(time.time() // MAX_AGE)


def _etag(key: str, version: int) -> bytes:
    """Version, address and the current :data:`MAX_AGE` period: the same while neither the
    data nor the period changes (pages that depend on the day turn over with the period)."""
    digest = hashlib.blake2b(f"{key}\x1f{_period()}".encode(), digest_size=8).hexdigest()
    return f'W/"{version}.{digest}"'.encode()


def _anonymous(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return False
        if name == b"cookie" and any(cookie in value for cookie in PRIVATE_COOKIES):
            return False
    return True


def _key(scope: Scope) -> str:
    headers = Headers(scope=scope)
    cookies = headers.get("cookie", "")
    language = ""
    for part in cookies.split(";"):
        name, _, value = part.strip().partition("=")
        if name == LANGUAGE_COOKIE:
            language = value
    gzip = "gzip" in headers.get("accept-encoding", "")
    query = scope.get("query_string", b"").decode("latin-1")
    # the language is negotiated from ?lang=, else the cookie, else Accept-Language: only the
    # first of them that is present decides, so only it is part of the key
    if "lang=" in query:
        language = ""
    elif not language:
        language = "al:" + headers.get("accept-language", "")
    return "\x1f".join(
        [
            scope.get("scheme", "http"),
            headers.get("host", ""),
            headers.get("x-forwarded-proto", ""),
            scope["path"],
            query,
            language,
            "gz" if gzip else "",
        ]
    )


def _cacheable(headers: list[tuple[bytes, bytes]]) -> bool:
    content_type = b""
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"content-type":
            content_type = value
        elif _private(lowered, value):
            return False
    return content_type.startswith(CACHEABLE_TYPES)


def _private(name: bytes, value: bytes) -> bool:
    """A header that makes an answer this visitor's own: a cookie other than the language
    one, or a ``Cache-Control`` that forbids keeping it."""
    if name == b"set-cookie":
        return not value.startswith(LANGUAGE_COOKIE.encode() + b"=")
    return name == b"cache-control" and (b"no-store" in value or b"private" in value)


def _matches(sent: str | None, etag: bytes) -> bool:
    if not sent:
        return False
    tags = {tag.strip() for tag in sent.split(",")}
    return "*" in tags or etag.decode() in tags


async def _not_modified(send: Send, etag: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 304,
            "headers": [(b"etag", etag), (b"x-cache", b"hit")],
        }
    )
    await send({"type": "http.response.body", "body": b""})
