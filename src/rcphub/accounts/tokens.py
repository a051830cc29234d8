"""API tokens for machines: ``Authorization: Bearer rcp_…``.

A token is 32 random bytes, shown once when created; the database keeps its SHA-256, its first
characters (to tell tokens apart in lists), a scope (``read`` or ``write``) and when it was last
used. A revoked token, or one whose user is deactivated, stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts.policy import Action, Principal, authorize
from rcphub.accounts.schemas import NewToken, TokenInfo
from rcphub.accounts.timeutil import ago, stamp
from rcphub.accounts.users import get_user_row, principal_for
from rcphub.db import ApiToken, User
from rcphub.errors import Forbidden, InvalidInput, NotFound, Unauthenticated

PREFIX = "rcp_"
SCOPES = ("read", "write")


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def _may_manage(actor: Principal, owner: User) -> None:
    """One's own tokens through a session or the CLI; anyone's as an admin."""
    if actor.user_id == owner.id:
        authorize(actor, Action.TOKENS_MANAGE)
    else:
        authorize(actor, Action.USERS_MANAGE)


def create_token(
    session: Session, actor: Principal, username: str, name: str, scope: str = "read"
) -> NewToken:
    if scope not in SCOPES:
        raise InvalidInput(f"a token's scope is read or write, not {scope!r}")
    name = (name or "").strip()
    if not name or len(name) > 100 or any(ord(c) < 32 for c in name):
        raise InvalidInput("give the token a name of 1 to 100 characters (what it is for)")
    owner = get_user_row(session, username)
    _may_manage(actor, owner)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id,
        name=name,
        token_hash=token_hash(secret),
        prefix=secret[:12],
        scope=scope,
        created_at=stamp(),
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor,
        "token.create",
        "token",
        token.id,
        {"user": owner.username, "name": name, "scope": scope},
    )
    return NewToken(token=_info(token, owner.username), secret=secret)


def revoke_token(session: Session, actor: Principal, token_id: int) -> TokenInfo:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("token", str(token_id))
    owner = session.get(User, token.user_id)
    assert owner is not None
    try:
        _may_manage(actor, owner)
    except Forbidden:
        raise NotFound("token", str(token_id)) from None  # others' tokens are not listed
    if token.revoked_at is None:
        token.revoked_at = stamp()
        audit.record(session, actor, "token.revoke", "token", token.id, {"user": owner.username})
    return _info(token, owner.username)


def list_tokens(session: Session, username: str | None = None) -> list[TokenInfo]:
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if username is not None:
        query = query.where(User.id == get_user_row(session, username).id)
    rows = session.execute(query.order_by(ApiToken.id)).all()
    return [_info(token, owner) for token, owner in rows]


def authenticate_token(session: Session, secret: str, address: str | None = None) -> Principal:
    """The principal of a bearer token; :class:`Unauthenticated` for anything else."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        raise Unauthenticated("the API token is not valid")
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    owner = session.get(User, token.user_id) if token is not None else None
    if token is None or owner is None or token.revoked_at is not None or not owner.active:
        raise Unauthenticated("the API token is not valid (revoked, or not a token of this hub)")
    if token.last_used_at is None or token.last_used_at < ago(minutes=1):
        token.last_used_at = stamp()  # to the minute: not one write per request
    return principal_for(
        session, owner, via="token", scope=token.scope, token_id=token.id, address=address
    )


def _info(token: ApiToken, username: str) -> TokenInfo:
    return TokenInfo(
        id=token.id,
        username=username,
        name=token.name,
        prefix=token.prefix,
        scope=token.scope,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )
