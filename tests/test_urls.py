"""The pages' addresses come from one builder, :mod:`rcphub.urls`.

- every address it builds is answered by a page route (so renaming a route fails here, not
  in a visitor's browser);
- it quotes what comes from data and writes queries with ``urlencode``;
- no page path is written by hand elsewhere: a string in ``src/rcphub`` (Python or template)
  that starts with one of the builder's first segments (``"/processes/"``, ``'/documents'``)
  fails, unless it is a route's own declaration or stands in :data:`ALLOWED` with its reason.
"""

from __future__ import annotations

import ast
import inspect
import re
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.routing import APIRoute

from rcphub import urls
from rcphub.web import page_routers

SRC = Path(__file__).resolve().parent.parent / "src" / "rcphub"
_FIRST = "|".join(map(re.escape, sorted(urls.PREFIXES)))
HAND_WRITTEN = re.compile(rf"^/(?:{_FIRST})(?=$|[/?#.])")

# (file pattern relative to src/rcphub, the string as written, why it may stay)
ALLOWED = [
    (
        "readcache.py",
        s,
        "the read cache's list of request paths it never keeps: matched against requests, "
        "not a link",
    )
    for s in ("/search", "/feeds/", "/calendar", "/sign-in", "/sign-out", "/account", "/whats-new")
]

# arguments for the builders whose parameters are not plain identifiers
SAMPLE_CALLS = {
    "download": [
        (urls.analytics(), "overlap.csv"),
        (urls.analytics_process("x0"), "members.csv"),
        (urls.analytics_country("x0"), "map.png"),
    ],
}
# what a route's parameter may take in a built address: the sample identifiers x0, x1...,
# the files above, an export's format
SAMPLE_VALUES = {"x0", "x1", "overlap.csv", "members.csv", "map.png", "csv", "json"}
CHOICES = {
    "process": [None, *sorted(urls.PROCESS_PAGES)],
    "meeting": [None, *sorted(urls.MEETING_PAGES)],
    "document": [None, *sorted(urls.DOCUMENT_PAGES)],
    "followup_item": [None, "updates", "review", "edit"],
    "update": [None, "withdraw"],
    "focal_point": [None, "remove"],
    "proposal_decision": ["approve", "reject"],
    "admin_audit_export": ["csv", "json"],
    "admin_people_action": ["invite", "grant", "revoke"],
}
CHOICE_NAMES = {"page", "action", "decision", "fmt"}
NOT_BUILDERS = {"with_query", "anchor"}


def builders() -> dict[str, object]:
    return {
        name: value
        for name, value in vars(urls).items()
        if inspect.isfunction(value)
        and not name.startswith("_")
        and name not in NOT_BUILDERS
        and value.__module__ == urls.__name__
    }


def built_paths() -> list[tuple[str, str]]:
    """(builder, path) for every builder with sample identifiers and each of its choices."""
    out = []
    for name, build in builders().items():
        if name in SAMPLE_CALLS:
            out += [(name, build(*args)) for args in SAMPLE_CALLS[name]]
            continue
        parameters = inspect.signature(build).parameters.values()
        required = [
            p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty
        ]
        identifiers = [f"x{i}" for i, name in enumerate(required) if name not in CHOICE_NAMES]
        if name in CHOICES:
            out += [(name, build(*identifiers, choice)) for choice in CHOICES[name]]
        else:
            out.append((name, build(*identifiers)))
    return out


def _routes() -> list[APIRoute]:
    return [r for router in page_routers() for r in router.routes if isinstance(r, APIRoute)]


def test_every_built_address_is_a_route_of_the_app():
    routes = _routes()
    paths = built_paths()
    assert len(paths) > 90
    missing = [(name, path) for name, path in paths if not answered(routes, path)]
    assert missing == []


def answered(routes: list[APIRoute], path: str) -> bool:
    """A route answers ``path`` with its parameters taken by the sample values, not by a
    fixed part of the path (``/processes/x0/focal-points/history`` is not the focal point
    ``history``)."""
    path = urlsplit(path).path
    for route in routes:
        found = route.path_regex.match(path)
        if found and all(v in SAMPLE_VALUES for v in found.groupdict().values()):
            return True
    return False


def test_the_route_check_sees_a_renamed_route():
    routes = _routes()
    path = urls.process("x0", "focal-points/history")
    assert answered(routes, path)
    renamed = [r for r in routes if r.path != "/processes/{ident}/focal-points/history"]
    assert not answered(renamed, path)


def test_the_prefixes_are_the_first_segments_of_the_pages():
    """A new page with a new first segment is added to the builder and to the guard."""
    built = {urlsplit(path).path.split("/")[1] for _, path in built_paths()}
    routed = {r.path.split("/")[1].split(".")[0] for r in _routes()}
    assert built - {""} == set(urls.PREFIXES)
    assert routed - {"", "api", "favicon"} == set(urls.PREFIXES)


def test_every_builder_is_checked():
    names = {name for name, _ in built_paths()}
    assert names == set(builders())
    assert {"process", "document", "search", "sign_in", "theme_feed"} <= names


def test_a_sub_page_must_be_one_the_builder_knows():
    with pytest.raises(ValueError, match="'memebrs' is not one of"):
        urls.process("bali-process", "memebrs")
    with pytest.raises(ValueError, match="'delete' is not one of"):
        urls.followup_item(3, "delete")


def test_segments_queries_and_fragments_are_quoted():
    assert urls.process("a b/c?#") == "/processes/a%20b%2Fc%3F%23"
    assert urls.document("d1", "source") == "/documents/d1/source"
    assert urls.document("d1", ref="8.b") == "/documents/d1#p-8.b"
    assert urls.document("d1", ref="x y") == "/documents/d1#p-x_y"
    assert urls.taxonomy("gcm", "7") == "/taxonomies/gcm#c-7"
    assert urls.theme_feed("sdg", "10.7", lang="fr") == "/feeds/theme/sdg/10.7.atom?lang=fr"
    assert (
        urls.search(query=[("q", "a&b c"), ("process", "x")], page=2, mode=None)
        == "/search?q=a%26b+c&process=x&page=2"
    )
    assert urls.sign_in(next="/documents/d1?x=1") == "/sign-in?next=%2Fdocuments%2Fd1%3Fx%3D1"
    assert urls.account(fragment="digests") == "/account#digests"
    assert urls.admin_audit_export("csv", {"action": "", "actor": "a"}) == (
        "/admin/audit.csv?action=&actor=a"
    )


# ---------------------------------------------------------------------------- the guard


def _excluded_nodes(tree: ast.AST) -> set[int]:
    """Strings that are not links: docstrings, route declarations (decorator arguments,
    ``APIRouter(prefix=...)``)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip.add(id(body[0].value))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                skip.update(id(n) for n in ast.walk(decorator))
        if isinstance(node, ast.keyword) and node.arg == "prefix":
            skip.update(id(n) for n in ast.walk(node.value))
    return skip


def python_paths(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string — or literal part of an f-string — that starts with a
    page path."""
    tree = ast.parse(source)
    skip = _excluded_nodes(tree)
    found = []
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and id(node) not in skip and HAND_WRITTEN.match(node.value):
            found.append((node.lineno, node.value))
    return found


TEMPLATE_STRING = re.compile(r"""(?:["'])(/[^"'{}\s]*)""")


def template_paths(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        found += [(number, m) for m in TEMPLATE_STRING.findall(line) if HAND_WRITTEN.match(m)]
    return found


def hand_written() -> list[str]:
    out = []
    for path in sorted(SRC.rglob("*")):
        relative = path.relative_to(SRC).as_posix()
        if relative == "urls.py" or "static" in path.parts or "migrations" in path.parts:
            continue
        if path.suffix == ".py":
            found = python_paths(path.read_text(encoding="utf-8"))
        elif path.suffix in {".html", ".xml", ".txt"} and "templates" in path.parts:
            found = template_paths(path.read_text(encoding="utf-8"))
        else:
            continue
        out += [
            f"{relative}:{line}: {text!r}"
            for line, text in found
            if not any(fnmatch(relative, f) and text == s for f, s, _ in ALLOWED)
        ]
    return out


def test_no_page_path_is_written_by_hand():
    assert hand_written() == [], "build these with rcphub.urls (a Jinja global `url` in pages)"


def test_the_guard_sees_a_hand_written_path():
    source = '''
"""A docstring may say /processes/bali-process."""
@router.get("/processes/{ident}")
def page(ident):
    back = f"/processes/{ident}/members"
    return RedirectResponse("/documents" + "?type=x")
'''
    assert python_paths(source) == [(5, "/processes/"), (6, "/documents")]
    template = '<a href="/meetings/{{ m.id }}">x</a> {{ follow("x", "/search?q=1") }}'
    assert template_paths(template) == [(1, "/meetings/"), (1, "/search?q=1")]
    assert template_paths('<a href="{{ url.meeting(m.id) }}">x</a> <img src="/static/x.svg">') == []


def test_the_allow_list_is_still_needed():
    """An allowed string that no longer stands where it is allowed is taken off the list."""
    unused = []
    for pattern, text, _why in ALLOWED:
        files = [p for p in SRC.rglob("*.py") if fnmatch(p.relative_to(SRC).as_posix(), pattern)]
        if not any(text in [t for _, t in python_paths(p.read_text("utf-8"))] for p in files):
            unused.append((pattern, text))
    assert unused == []
