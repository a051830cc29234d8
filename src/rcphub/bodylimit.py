"""The bound on the size of every request body, enforced before anything reads it.

:class:`BodyLimit` is a pure ASGI middleware around the whole hub. For each request it looks
up the bound of its method and path in :class:`BodyLimits` — a small default for every form
and JSON body, larger bounds for the few routes that take files (document uploads, CSV
imports) — and

* refuses a declared ``Content-Length`` over the bound at once, before the application runs
  and before a byte of the body is read (so a client that sent ``Expect: 100-continue`` never
  gets the go-ahead);
* counts a body that comes without one (``Transfer-Encoding: chunked``) as it is received, and
  refuses it as soon as the count passes the bound: the read that passes it fails, nothing
  after it is read, and whatever the application made of the failed read (an error of its
  own) is dropped for the refusal.

The refusal is the hub's own answer (``refuse``, built by the app factory: the JSON error
envelope under ``/api/``, the error page elsewhere), always with ``Connection: close``, since
the rest of the body is never read. A route that fails on a body it could not read has written
nothing, so a refused request leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class BodyLimits:
    """Bytes a request body may have: ``routes`` by (method, path), ``default`` elsewhere."""

    default: int
    routes: Mapping[tuple[str, str], int] = field(default_factory=dict)

    def limit(self, method: str, path: str) -> int:
        return self.routes.get((method.upper(), path.rstrip("/") or "/"), self.default)


def describe(limit: int) -> str:
    """A bound for people: ``1024 KB``, ``1001 MB``."""
    if limit >= 2**20 and limit % 2**20 == 0:
        return f"{limit // 2**20} MB"
    return f"{-(-limit // 1024)} KB"


def _route_path(scope: Scope) -> str:
    """The path as the routes see it: without the ``root_path`` a proxy's prefix put there."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root + "/"):
        return path[len(root) :]
    return path


Refusal = Callable[[Scope, int], Awaitable[Response]]
"""Builds the 413 answer for a request (its scope) and the bound it passed."""


class _Refused(Exception):
    """Raised into the application by a read that passes the bound."""


class BodyLimit:
    """Refuses (413, by ``refuse``) any request whose body passes its bound in ``limits``."""

    def __init__(self, app: ASGIApp, limits: BodyLimits, refuse: Refusal) -> None:
        self.app = app
        self.limits = limits
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.limit(scope["method"], _route_path(scope))
        declared = Headers(scope=scope).get("content-length", "")
        if declared.strip().isdigit() and int(declared) > limit:
            await self._answer(scope, receive, send, limit)
            return

        received = 0
        refused = started = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            if refused:
                raise _Refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    raise _Refused
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused and not started:
                return  # the application's answer to a read that failed: the refusal replaces it
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not refused or started:
                raise
        if refused and not started:
            await self._answer(scope, receive, send, limit)

    async def _answer(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = await self.refuse(scope, limit)
        response.headers["Connection"] = "close"  # the rest of the body is never read
        await response(scope, receive, send)
