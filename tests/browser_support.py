"""A real server and a real browser for the journeys that matter.

The hub runs under uvicorn in a thread on a free loopback port; Playwright drives Debian's
Chromium (never a downloaded browser). Every request the page makes is recorded, and any
request that would leave 127.0.0.1 is aborted and reported.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import uvicorn

CHROMIUM = Path("/usr/bin/chromium")
AXE_SOURCE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def guarded_page(browser, *, timeout_ms: int = 30_000, **context_options) -> Iterator:  # type: ignore[no-untyped-def]
    """A page in a fresh browser context (``locale`` en-GB unless given) whose requests are
    recorded in ``page.guard``; on leaving, asserts that none tried to leave 127.0.0.1 and that
    the hub's Content-Security-Policy blocked nothing (an inline script or style, a request
    elsewhere: every journey is also a check that the pages live within the policy)."""
    context = browser.new_context(**{"locale": "en-GB", **context_options})
    guard = RequestGuard()
    guard.attach(context)
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    page.on("console", guard.console)
    page.set_default_timeout(timeout_ms)
    page.guard = guard
    try:
        yield page
    finally:
        context.close()
    assert guard.outside == [], f"requests left the machine: {guard.outside}"
    assert guard.csp_violations == [], f"the CSP blocked: {guard.csp_violations}"


CSP_REPORTER = """document.addEventListener("securitypolicyviolation", (e) => {
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI + " at "
    + e.sourceFile + ":" + e.lineNumber);
});"""


class RequestGuard:
    """Records every request of a page; aborts and remembers those leaving the loopback."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.seen: list[str] = []
        self.csp_violations: list[str] = []

    def console(self, message) -> None:  # type: ignore[no-untyped-def]
        text = message.text
        if text.startswith("CSP violation") or "Content Security Policy" in text:
            self.csp_violations.append(text)

    def attach(self, context) -> None:  # type: ignore[no-untyped-def]
        context.route("**/*", self._route)

    def _route(self, route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        self.seen.append(url)
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


def run_axe(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Run axe-core in the page (through the DevTools protocol, so a strict CSP does not stop
    it) and return the serious and critical violations."""
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def open_page(page, url: str, status: int = 200):  # type: ignore[no-untyped-def]
    """Go to ``url`` and check the answer's status; return the response."""
    response = page.goto(url)
    assert response is not None, url
    assert response.status == status, f"{url}: {response.status}"
    return response


def assert_axe_clean(page) -> None:  # type: ignore[no-untyped-def]
    violations = run_axe(page)
    assert violations == [], f"{page.url}: {violations}"


def sign_in_here(page, username: str, password: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Fill the sign-in form the page shows (after a "sign in" link) and follow it back;
    with the test users' password unless ``password`` is given."""
    from tests.accounts_support import PASSWORD

    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD if password is None else password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def sign_in(page, base_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    """Open the sign-in page of the hub at ``base_url`` and sign in through its form, as a
    person would; the pages then name the user."""
    open_page(page, f"{base_url}/sign-in?lang=en")
    sign_in_here(page, username)
    assert username in page.locator(".account-nav").inner_text()


def sign_in_for(page, url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    """Open ``url``, a page that sends a visitor to sign in, sign in there, and come back."""
    page.goto(url)
    page.wait_for_url(re.compile(r"/sign-in\?next="))
    sign_in_here(page, username)
