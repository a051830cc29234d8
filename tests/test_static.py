"""The vendored and hand-written static files stay well-formed: a stylesheet with an unclosed
block silently drops every rule after it (two merges once left four such blocks in site.css)."""

from __future__ import annotations

import re

import pytest

from rcphub.web.pages import STATIC_DIR


@pytest.mark.parametrize("name", sorted(p.name for p in (STATIC_DIR / "css").glob("*.css")))
def test_stylesheet_blocks_are_closed(name: str) -> None:
    text = re.sub(r"/\*.*?\*/", "", (STATIC_DIR / "css" / name).read_text(), flags=re.S)
    text = re.sub(r'"[^"\n]*"|\'[^\'\n]*\'', '""', text)
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for char in line:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, f"{name}:{number}: '}}' without a block"
        # a rule (not an @-block) opening while another is still open means a lost '}'
        if re.match(r"^[.#a-z*:\[][^{}]*\{\s*$", line) and depth > 1 and not line.startswith(" "):
            pytest.fail(f"{name}:{number}: a rule opens inside an unclosed block")
    assert depth == 0, f"{name}: {depth} block(s) never closed"
