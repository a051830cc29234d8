"""Security headers on every response of the hub (and ``HEAD`` answered as ``GET``).

A pure ASGI middleware (it never buffers a body): each response gets

* ``Content-Security-Policy``: scripts, styles, images, fonts and requests from the hub itself
  only — no inline script or style element, no plug-ins, forms post back to the hub, and no
  other site may frame a page (``frame-ancestors 'none'``);
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` (a link to another site
  does not tell it which page of the hub, a restricted document's, was open),
  ``X-Frame-Options: DENY`` for browsers without ``frame-ancestors``,
  ``Cross-Origin-Opener-Policy`` and a ``Permissions-Policy`` that turns off what the hub never
  uses.

A header a route set itself is kept (a stored source file is served with a stricter, sandboxed
policy of its own).
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Answers ``HEAD`` as ``GET`` without the body (FastAPI routes declare GET only, so uptime
    monitors and link checkers, which send HEAD, would get 405). The headers, Content-Length
    included, are those of the GET."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the real one (RFC 6266 / 5987)."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in filename)
    fallback = fallback.strip("._") or "document"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
