"""The layering of ``src/rcphub`` is the table in docs/architecture.md, and the code keeps it.

Every module's imports are read with :mod:`ast` — those at the top and those inside functions
alike — and held to three rules and to the "may import" column of the Layers table:

- a core module (anything outside the faces ``web``, ``api``, ``cli``, ``app`` and ``serving``,
  which hosts the app for ``rcphub serve --workers``) never imports ``web``, ``api``, ``cli``,
  ``app`` or ``serving``;
- ``api`` never imports ``web``;
- no module of ``rcphub`` imports itself back through other modules (no import circle), a page
  route module imports no other route module (they share ``web/pages.py``), and ``feeds``
  does not import ``exchange`` (which reads through feeds).

The table names each top-level module of ``rcphub`` once; a module it does not name, or an
import its row does not allow, fails here, so the table cannot drift from the code.

Run ``pytest tests/test_layers.py`` after moving code between modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
ARCHITECTURE = ROOT / "docs" / "architecture.md"

FACES = {"web", "api", "cli", "app", "serving", "__main__"}
CORE_NEVER_IMPORTS = {"web", "api", "cli", "app", "serving"}
ANY_CORE = "any core module"


def _module_files() -> dict[str, tuple[Path, bool]]:
    modules = {}
    for path in sorted((SRC / "rcphub").rglob("*.py")):
        if "migrations" in path.parts:  # Alembic revisions: run by Alembic, not imported
            continue
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        modules[".".join(parts)] = (path, is_package)
    return modules


MODULES = _module_files()


def read_imports(
    source: str, name: str, is_package: bool, modules: dict | set
) -> list[tuple[str, int]]:
    """(imported module, line) for every import of ``rcphub`` in one module, at any depth.

    ``from rcphub.wording import labels`` names the module ``rcphub.wording.labels``; ``from
    rcphub.web import mount_web`` names the package ``rcphub.web``."""
    package = name if is_package else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append((sub if sub in modules else target, node.lineno))
    return [(target, line) for target, line in found if target.split(".")[0] == "rcphub"]


IMPORTS = {
    name: read_imports(path.read_text(encoding="utf-8"), name, is_package, MODULES)
    for name, (path, is_package) in MODULES.items()
}


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layers_table() -> dict[str, set[str]]:
    """module → what its "may import" cell names, from the Layers table."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    table: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        module = cells[0].strip("`")
        cell = cells[2].replace("`", "")
        allowed = set() if cell in {"—", "-", ""} else {part.strip() for part in cell.split(",")}
        assert module not in table, f"{module} has two rows in the Layers table"
        table[module] = allowed
    return table


TABLE = _layers_table()


def _violations(rule) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        f"{name}:{line} imports {target}"
        for name, imports in sorted(IMPORTS.items())
        for target, line in imports
        if rule(name, target)
    ]


def _is_core(name: str) -> bool:
    return _top(name) not in FACES


def test_the_table_names_every_module_once():
    tops = {_top(name) for name in MODULES if _top(name) and _top(name) != "__main__"}
    assert tops - set(TABLE) == set(), "modules missing from the Layers table"
    assert set(TABLE) - tops == set(), "the Layers table names modules that do not exist"


def test_core_never_imports_the_faces():
    assert (
        _violations(lambda name, target: _is_core(name) and _top(target) in CORE_NEVER_IMPORTS)
        == []
    )


def test_api_never_imports_the_pages():
    assert _violations(lambda name, target: _top(name) == "api" and _top(target) == "web") == []


def test_every_import_is_allowed_by_the_table():
    def refused(name: str, target: str) -> bool:
        own, other = _top(name), _top(target)
        own = "cli" if own == "__main__" else own
        if other in {own, ""}:
            return False
        allowed = TABLE.get(own, set())
        if ANY_CORE in allowed and other not in FACES:
            return False
        inside = target.split(".", 1)[1]
        return not any(inside == a or inside.startswith(a + ".") for a in allowed)

    assert _violations(refused) == []


def circles(edges: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []
    for start in edges:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if i < len(edges[node]):
                work.append((node, i + 1))
                nxt = edges[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    circles.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return circles


def test_no_import_circle():
    edges = {
        name: sorted({t for t, _ in imports if t in MODULES and t != name})
        for name, imports in IMPORTS.items()
    }
    assert circles(edges) == []


def _is_route_module(name: str) -> bool:
    return name.startswith("rcphub.web.") and name.rsplit(".", 1)[-1].endswith("routes")


def test_page_route_modules_share_pages_not_each_other():
    """A page route module takes what it shares from ``web/pages.py`` (and the wording), never
    from another route module or from the package that mounts it."""
    assert [name for name in MODULES if _is_route_module(name)], "no route modules found"
    assert (
        _violations(
            lambda name, target: (
                _is_route_module(name) and (_is_route_module(target) or target == "rcphub.web")
            )
        )
        == []
    )


def test_feeds_never_import_exchange():
    """Exchange (follows, "What's new", digests) reads through feeds; feeds do not read back."""
    assert (
        _violations(lambda name, target: _top(name) == "feeds" and _top(target) == "exchange") == []
    )


def test_the_reader_and_the_circle_finder_can_fail():
    """What the checks above rest on: imports inside functions and relative ones are read, and
    a circle through three modules is found."""
    source = (
        "import os\n"
        "from . import labels\n"
        "from ..api.routes import x\n"
        "def f():\n"
        "    from rcphub.web import mount_web\n"
    )
    modules = {"rcphub.web", "rcphub.web.labels", "rcphub.web.pages", "rcphub.api.routes"}
    assert read_imports(source, "rcphub.web.pages", False, modules) == [
        ("rcphub.web.labels", 2),
        ("rcphub.api.routes", 3),
        ("rcphub.web", 5),
    ]
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"], "e": []}
    assert circles(edges) == [["a", "b", "c"]]
    assert circles({"a": ["b"], "b": []}) == []


def query_imports(source: str) -> list[tuple[str, int]]:
    """(name, line) for each import of SQLAlchemy's query side (anything but ``sqlalchemy.exc``)
    or of the database models (``rcphub.db.models``, ``rcphub.db.*_models``) in one module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if (parts[0] == "sqlalchemy" and parts[:2] != ["sqlalchemy", "exc"]) or (
                parts[:2] == ["rcphub", "db"] and len(parts) > 2 and parts[2].endswith("models")
            ):
                found.append((name, node.lineno))
    return found


def test_the_cli_runs_no_queries_of_its_own():
    """A command parses its options, calls a service and prints: no module of ``rcphub.cli``
    builds a query (SQLAlchemy only for ``sqlalchemy.exc``, to word a database error)."""
    cli = [name for name in MODULES if _top(name) == "cli"]
    assert "rcphub.cli.support" in cli
    found = [
        f"{name}:{line} imports {target}"
        for name in cli
        for target, line in query_imports(MODULES[name][0].read_text(encoding="utf-8"))
    ]
    assert found == []
    source = (
        "from sqlalchemy.exc import SQLAlchemyError\n"
        "from sqlalchemy import select\n"
        "def f():\n"
        "    from rcphub.db.models import Document\n"
        "    from rcphub.db import Database, editing_models\n"
    )
    assert query_imports(source) == [
        ("sqlalchemy.select", 2),
        ("rcphub.db.models.Document", 4),
        ("rcphub.db.editing_models", 5),
    ]
