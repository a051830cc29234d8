"""The page routers are mounted in the order of ``rcphub.web.page_routers``; no page may be
taken by a route mounted before it (``/meetings/{ident}`` would take ``/meetings/x.ics``,
``/documents/{ident}`` would take ``/documents/upload``)."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute

from rcphub.web import page_routers

PARAM = re.compile(r"\{[^}]+\}")


def _routes() -> list[APIRoute]:
    return [r for router in page_routers() for r in router.routes if isinstance(r, APIRoute)]


def shadowed(routes: list[APIRoute]) -> list[str]:
    """Later routes whose own address (parameters filled with a plain value) an earlier route
    with a method in common would answer instead."""
    found = []
    for index, later in enumerate(routes):
        address = PARAM.sub("x", later.path)
        for earlier in routes[:index]:
            overlap = earlier.methods & later.methods and earlier.path != later.path
            if overlap and earlier.path_regex.match(address):
                found.append(f"{later.path} is taken by {earlier.path}")
                break
    return found


def test_no_page_is_taken_by_an_earlier_route():
    routes = _routes()
    assert len(routes) > 50
    assert shadowed(routes) == []


def test_the_check_sees_a_route_mounted_too_late():
    routes = {r.path: r for r in _routes()}
    ics, page = routes["/meetings/{ident}.ics"], routes["/meetings/{ident}"]
    assert shadowed([ics, page]) == []
    assert shadowed([page, ics]) == ["/meetings/{ident}.ics is taken by /meetings/{ident}"]
