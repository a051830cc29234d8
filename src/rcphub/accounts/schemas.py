"""Plain data that the account services return (never ORM rows)."""

from __future__ import annotations

from pydantic import BaseModel


class GrantInfo(BaseModel):
    role: str
    process: str | None = None


class UserInfo(BaseModel):
    id: int
    username: str
    display_name: str | None = None
    active: bool
    created_at: str
    grants: list[GrantInfo]


class TokenInfo(BaseModel):
    id: int
    username: str
    name: str
    prefix: str
    scope: str
    created_at: str
    last_used_at: str | None = None
    revoked_at: str | None = None


class NewToken(BaseModel):
    """A token just created: ``secret`` is shown this once and stored only as a hash."""

    token: TokenInfo
    secret: str


class UserList(BaseModel):
    """``GET /api/v1/people``."""

    total: int
    users: list[UserInfo]


class TokenHolder(BaseModel):
    """``GET /api/v1/me``: who the bearer token speaks for."""

    username: str | None
    token: int | None
    scope: str
    roles: list[GrantInfo]
