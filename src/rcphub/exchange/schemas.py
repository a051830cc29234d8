"""What the exchange services return: the same JSON for the API and ``rcphub ... --json``."""

from __future__ import annotations

from pydantic import BaseModel


class FollowOut(BaseModel):
    id: int
    kind: str  # process | state | theme | search
    target: str
    created_at: str
    # what the subject is called, by language (a process's or state's names, a theme's
    # title); empty for a search, and for a subject the registry no longer holds
    names: dict[str, str] = {}
    acronym: str | None = None


class PreferencesOut(BaseModel):
    email: str | None = None
    language: str | None = None
    digest: str = "off"  # off | daily | weekly
    seen_at: str | None = None


class DigestReport(BaseModel):
    """What one run of ``rcphub digests send`` did."""

    sent: int = 0
    empty: int = 0
    failed: int = 0
    already: int = 0
    errors: list[str] = []


class FollowList(BaseModel):
    """``GET /api/v1/follows``."""

    follows: list[FollowOut]
