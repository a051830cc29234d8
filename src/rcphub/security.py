"""The edge of authentication: who is asking, and the CSRF check of every form.

:func:`request_guard` is a dependency of the whole application (every route has it). It

* resolves the principal once per request — pages by the session cookie, the JSON API by
  ``Authorization: Bearer`` only (a browser never sends that by itself, so the API needs no
  CSRF token and a session cookie gives it no rights) — and keeps it on ``request.state``;
* refuses any POST/PUT/PATCH/DELETE outside ``/api/`` whose CSRF token (form field
  ``csrf_token`` or header ``X-CSRF-Token``) is not the token of the session; a visitor who is not
  signed in (the sign-in form) gets a random token in a cookie of its own, to be sent back.

Routes then ask the policy (:mod:`rcphub.accounts.policy`) with :func:`current_principal`.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from rcphub.accounts import ANONYMOUS, Principal
from rcphub.errors import CsrfRejected, Unauthenticated

SESSION_COOKIE = "rcphub_session"
ANON_CSRF_COOKIE = "rcphub_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_LIMITS = {"max_files": 100, "max_fields": 100}
"""What any form of the hub may carry (the upload form: 20 files and a few fields); its size
is bounded before it is read, by :class:`rcphub.bodylimit.BodyLimit`."""


def client_address(request: Request) -> str:
    return (request.client.host if request.client else "") or "unknown"


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def resolve_principal(request: Request) -> Principal:
    """The principal of this request, resolved once and kept on ``request.state``. A bad
    bearer token is an error (401); a stale session cookie only makes an anonymous visitor
    (and the cookie is cleared when the page is rendered)."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    from rcphub.accounts.sessions import active_session
    from rcphub.accounts.tokens import authenticate_token

    database = request.app.state.database
    address = client_address(request)
    principal, csrf = ANONYMOUS.with_address(address), None
    if is_api(request):
        header = request.headers.get("authorization")
        if header is not None:
            scheme, _, value = header.partition(" ")
            if scheme.lower() != "bearer" or not value.strip():
                raise Unauthenticated("use Authorization: Bearer <API token>")
            principal = database.transact(
                lambda session: authenticate_token(session, value.strip(), address)
            )
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            try:
                found = database.transact(lambda session: active_session(session, cookie, address))
                principal, csrf = found.principal, found.csrf_token
            except Unauthenticated:
                request.state.clear_session_cookie = True
    request.state.principal = principal
    request.state.session_csrf = csrf
    return principal


async def request_guard(request: Request) -> AsyncIterator[None]:
    """The dependency of every route: the principal, then the CSRF check of forms. A form it
    read is closed when the request is done (its files may be spooled to disk)."""
    await run_in_threadpool(resolve_principal, request)
    try:
        if request.method in UNSAFE_METHODS and not is_api(request):
            await check_csrf(request)
        yield
    finally:
        form = getattr(request.state, "csrf_form", None)
        if form is not None:
            await form.close()


async def check_csrf(request: Request) -> None:
    expected = getattr(request.state, "session_csrf", None) or request.cookies.get(ANON_CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith(
        ("multipart/form-data", "application/x-www-form-urlencoded")
    ):
        form = request.state.csrf_form = await request.form(**FORM_LIMITS)
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRejected(
            "the form has expired or did not come from this site; reload the page and try again"
        )


def csrf_token_for(request: Request) -> str:
    """The token a form on this page carries: the session's, or the visitor's own (made now,
    and set as a cookie when the page is sent)."""
    token = getattr(request.state, "session_csrf", None)
    if token:
        return token
    token = request.cookies.get(ANON_CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = request.state.new_csrf = secrets.token_urlsafe(32)
    return token


def secure_cookie(request: Request) -> bool:
    mode = request.app.state.settings.secure_cookies
    return mode == "always" or (mode == "auto" and request.url.scheme == "https")


def current_principal(request: Request) -> Principal:
    """The principal :func:`request_guard` resolved (for routes and pages)."""
    principal = getattr(request.state, "principal", None)
    if principal is None:  # outside a route (an error page): resolve quietly
        try:
            principal = resolve_principal(request)
        except Exception:  # an error page must render whatever went wrong
            principal = ANONYMOUS
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
