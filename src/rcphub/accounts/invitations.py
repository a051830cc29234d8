"""Invitations and password reset links: one-time links that stand in for the command line.

An invitation (``/invitations/<token>``) lets whoever holds it open an account with one role —
a secretariat invites people to its own process (secretariat, contributor, reader), an admin
anyone with any role (:func:`~rcphub.accounts.policy.authorize_grant`). A password reset link
(``/password-reset/<token>``) is made by an admin for one user. Both are 32 random bytes shown
once to whoever made them (and mailed by :func:`rcphub.exchange.invitation_mail.mail_link`,
when an address and an SMTP server are given); the
database keeps the SHA-256. Each works once, until it expires: the row is marked used by an
``UPDATE … WHERE used_at IS NULL`` in the transaction that uses it, so two browsers racing
with the same link cannot both succeed. A used or expired link answers :class:`Gone` (410), an
unknown one :class:`NotFound` (404).
"""

from __future__ import annotations

import hashlib
import re
import secrets

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rcphub import audit, urls
from rcphub.accounts.passwords import check_password_rules, hash_password
from rcphub.accounts.policy import Action, Principal, authorize, authorize_grant
from rcphub.accounts.schemas import UserInfo
from rcphub.accounts.timeutil import ahead, stamp
from rcphub.accounts.users import (
    _check_grant,
    end_sessions,
    get_user_row,
    insert_user,
    principal_for,
    user_info,
)
from rcphub.db import Invitation, PasswordReset, RoleGrant, User
from rcphub.errors import Forbidden, Gone, InvalidInput, NotFound

__all__ = [
    "InvitationInfo",
    "NewLink",
    "accept_invitation",
    "create_invitation",
    "create_reset_link",
    "invitation_for",
    "list_invitations",
    "reset_for",
    "reset_password",
    "revoke_invitation",
]

INVITE_PREFIX = "inv_"
RESET_PREFIX = "rst_"
INVITE_DAYS = (1, 30)
DEFAULT_INVITE_DAYS = 7
RESET_HOURS = 24
EMAIL = re.compile(r"[^@\s<>\"',;]{1,64}@[^@\s<>\"',;]{1,190}\.[^@\s<>\"',;]{2,63}")


class InvitationInfo(BaseModel):
    id: int
    role: str
    process: str | None = None
    email: str | None = None
    created_by: str
    created_at: str
    expires_at: str
    used_at: str | None = None
    used_by: str | None = None
    revoked_at: str | None = None
    status: str  # pending | used | expired | revoked


class InvitationList(BaseModel):
    """``GET /api/v1/invitations``."""

    total: int
    invitations: list[InvitationInfo]


class NewLink(BaseModel):
    """A link just made: ``token`` and ``path`` are shown this once; ``mailed`` says whether
    it was sent to ``email`` too (and ``mail_error`` why not)."""

    kind: str  # invitation | password-reset
    id: int
    token: str
    path: str
    expires_at: str
    email: str | None = None
    username: str | None = None
    role: str | None = None
    process: str | None = None
    mailed: bool = False
    mail_error: str | None = None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def clean_email(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > 254 or not EMAIL.fullmatch(text):
        raise InvalidInput(f"not an e-mail address: {text[:60]!r}")
    return text


def _status(row: Invitation) -> str:
    if row.revoked_at:
        return "revoked"
    if row.used_at:
        return "used"
    if row.expires_at <= stamp():
        return "expired"
    return "pending"


def _invitation_info(session: Session, row: Invitation) -> InvitationInfo:
    used_by = session.get(User, row.user_id).username if row.user_id else None  # type: ignore[union-attr]
    return InvitationInfo(
        id=row.id,
        role=row.role,
        process=row.process_id,
        email=row.email,
        created_by=row.created_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
        used_by=used_by,
        revoked_at=row.revoked_at,
        status=_status(row),
    )


def create_invitation(
    session: Session,
    actor: Principal,
    role: str,
    process: str | None = None,
    *,
    email: str | None = None,
    days: int = DEFAULT_INVITE_DAYS,
) -> NewLink:
    """An invitation to open an account with ``role`` (for ``process``), valid ``days``."""
    parsed, process = _check_grant(session, role, process)
    authorize_grant(actor, parsed.value, process)
    if not INVITE_DAYS[0] <= days <= INVITE_DAYS[1]:
        raise InvalidInput(f"an invitation is valid {INVITE_DAYS[0]} to {INVITE_DAYS[1]} days")
    address = clean_email(email)
    token = INVITE_PREFIX + secrets.token_urlsafe(32)
    row = Invitation(
        token_hash=_hash(token),
        email=address,
        role=parsed.value,
        process_id=process,
        created_by=actor.label[:120],
        created_at=stamp(),
        expires_at=ahead(days=days),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "invitation.create",
        "invitation",
        row.id,
        {"role": row.role, "process": process, "email": address, "expires_at": row.expires_at},
    )
    return NewLink(
        kind="invitation",
        id=row.id,
        token=token,
        path=urls.invitation(token),
        expires_at=row.expires_at,
        email=address,
        role=row.role,
        process=process,
    )


def list_invitations(
    session: Session, actor: Principal, process: str | None = None
) -> list[InvitationInfo]:
    """Invitations ``actor`` manages, newest first: all for an admin (``process`` None),
    else those to ``process``."""
    query = select(Invitation).order_by(Invitation.id.desc()).limit(200)
    if process is None:
        authorize(actor, Action.USERS_MANAGE)
    else:
        authorize(actor, Action.PEOPLE_MANAGE, [process])
        query = query.where(Invitation.process_id == process)
    return [_invitation_info(session, row) for row in session.scalars(query)]


def revoke_invitation(session: Session, actor: Principal, invitation_id: int) -> InvitationInfo:
    row = session.get(Invitation, invitation_id) if 0 < invitation_id < 2**31 else None
    if row is None:
        raise NotFound("invitation", str(invitation_id))
    try:
        authorize_grant(actor, row.role, row.process_id)
    except Forbidden:  # others' invitations are not listed to them either
        raise NotFound("invitation", str(invitation_id)) from None
    if row.used_at:
        raise InvalidInput("the invitation was used already")
    if row.revoked_at is None:
        row.revoked_at = stamp()
        audit.record(session, actor, "invitation.revoke", "invitation", row.id)
    return _invitation_info(session, row)


def _usable(session: Session, model, token: str, what: str):  # type: ignore[no-untyped-def]
    if not isinstance(token, str) or not 10 < len(token) < 200:
        raise NotFound(what, "?")
    row = session.scalar(select(model).where(model.token_hash == _hash(token)))
    if row is None:
        raise NotFound(what, token[:8] + "…")
    if row.used_at is not None:
        raise Gone(f"this {what} link was used already")
    if getattr(row, "revoked_at", None) is not None:
        raise Gone(f"this {what} was withdrawn")
    if row.expires_at <= stamp():
        raise Gone(f"this {what} link has expired; ask for a new one")
    return row


def _take(session: Session, model, row_id: int, what: str, **values) -> None:  # type: ignore[no-untyped-def]
    """Mark the link used, once: a concurrent use of the same link finds it taken."""
    result = session.execute(
        update(model)
        .where(model.id == row_id, model.used_at.is_(None))
        .values(used_at=stamp(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Gone(f"this {what} link was used already")


def invitation_for(session: Session, token: str) -> InvitationInfo:
    """What an invitation link offers (404 unknown, 410 used, withdrawn or expired)."""
    return _invitation_info(session, _usable(session, Invitation, token, "invitation"))


def accept_invitation(
    session: Session,
    token: str,
    username: str,
    password: str,
    *,
    display_name: str | None = None,
    address: str | None = None,
) -> UserInfo:
    """Open the account the invitation offers: a new user with its role."""
    row = _usable(session, Invitation, token, "invitation")
    user = insert_user(session, username, password, display_name)
    _take(session, Invitation, row.id, "invitation", user_id=user.id)
    session.add(
        RoleGrant(user_id=user.id, role=row.role, process_id=row.process_id, granted_at=stamp())
    )
    session.flush()
    newcomer = principal_for(session, user, via="session", address=address)
    audit.record(
        session,
        newcomer,
        "invitation.accept",
        "invitation",
        row.id,
        {"user": user.username, "role": row.role, "process": row.process_id, "by": row.created_by},
    )
    return user_info(session, user)


def create_reset_link(
    session: Session, actor: Principal, username: str, *, hours: int = RESET_HOURS
) -> NewLink:
    """A one-time link for ``username`` to choose a new password (admins)."""
    authorize(actor, Action.USERS_MANAGE)
    user = get_user_row(session, username)
    if not 1 <= hours <= 24 * 7:
        raise InvalidInput("a reset link is valid 1 to 168 hours")
    token = RESET_PREFIX + secrets.token_urlsafe(32)
    row = PasswordReset(
        token_hash=_hash(token),
        user_id=user.id,
        created_by=actor.label[:120],
        created_at=stamp(),
        expires_at=ahead(hours=hours),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "user.reset_link",
        "user",
        user.username,
        {"link": row.id, "expires_at": row.expires_at},
    )
    return NewLink(
        kind="password-reset",
        id=row.id,
        token=token,
        path=urls.password_reset(token),
        expires_at=row.expires_at,
        username=user.username,
    )


def reset_for(session: Session, token: str) -> str:
    """The username a reset link is for (404 unknown, 410 used or expired)."""
    row = _usable(session, PasswordReset, token, "password reset")
    user = session.get(User, row.user_id)
    assert user is not None
    return user.username


def reset_password(session: Session, token: str, password: str) -> str:
    """Set the new password the link's holder chose; every session of the user ends."""
    row = _usable(session, PasswordReset, token, "password reset")
    user = session.get(User, row.user_id)
    assert user is not None
    check_password_rules(password, user.username)
    _take(session, PasswordReset, row.id, "password reset")
    user.password_hash = hash_password(password)
    user.password_changed_at = stamp()
    ended = end_sessions(session, user.id)
    holder = principal_for(session, user, via="session")
    audit.record(
        session,
        holder,
        "user.password_reset",
        "user",
        user.username,
        {"link": row.id, "sessions_ended": ended},
    )
    return user.username
