"""Checks on identifiers that arrive from outside (URLs, CLI arguments)."""

from __future__ import annotations

from rcphub.errors import NotFound


def plausible_id(kind: str, ident: str, max_length: int = 100) -> str:
    """Refuse IDs no record can have (control characters, absurd length) before they reach
    the database, which may reject them with an error of its own (PostgreSQL and NUL)."""
    if len(ident) > max_length or any(ord(char) < 32 for char in ident):
        raise NotFound(kind, ident[:40] + ("…" if len(ident) > 40 else ""))
    return ident
