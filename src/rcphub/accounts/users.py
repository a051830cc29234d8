"""Users and their roles: create, list, grant, revoke, change a password.

Each function takes the session of the caller's transaction and the acting principal, asks the
policy, changes rows and writes the audit entry in that same transaction.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts.passwords import check_password_rules, hash_password
from rcphub.accounts.policy import (
    PROCESS_ROLES,
    Action,
    Principal,
    Role,
    authorize,
    authorize_grant,
)
from rcphub.accounts.schemas import GrantInfo, UserInfo
from rcphub.accounts.timeutil import stamp
from rcphub.db import Body, RoleGrant, User, UserSession
from rcphub.errors import InvalidInput, NotFound

USERNAME = re.compile(r"[a-z0-9][a-z0-9._@+-]{1,63}")
"""Lower-case letters, digits and ``. _ @ + -``; an e-mail address will do."""


def normalise_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not USERNAME.fullmatch(name):
        raise InvalidInput(
            "a username has 2 to 64 characters: lower-case letters, digits and . _ @ + -"
        )
    return name


def get_user_row(session: Session, username: str) -> User:
    name = (username or "").strip().lower()
    user = session.scalar(select(User).where(User.username == name))
    if user is None:
        raise NotFound("user", username[:64])
    return user


def create_user(
    session: Session,
    actor: Principal,
    username: str,
    password: str,
    *,
    display_name: str | None = None,
) -> UserInfo:
    authorize(actor, Action.USERS_MANAGE)
    user = insert_user(session, username, password, display_name)
    audit.record(session, actor, "user.create", "user", user.username)
    return user_info(session, user)


def insert_user(
    session: Session, username: str, password: str, display_name: str | None = None
) -> User:
    """A new user row after the checks of name and password; the caller has decided that it
    may be made (the policy, or an invitation) and writes the audit entry."""
    name = normalise_username(username)
    check_password_rules(password, name)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise InvalidInput(f"there is already a user {name!r}")
    now = stamp()
    user = User(
        username=name,
        display_name=(display_name or "").strip()[:200] or None,
        password_hash=hash_password(password),
        active=True,
        created_at=now,
        password_changed_at=now,
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, actor: Principal, username: str, password: str) -> None:
    """A new password; every session of the user is signed out."""
    authorize(actor, Action.USERS_MANAGE)
    user = get_user_row(session, username)
    check_password_rules(password, user.username)
    user.password_hash = hash_password(password)
    user.password_changed_at = stamp()
    ended = end_sessions(session, user.id)
    audit.record(session, actor, "user.password", "user", user.username, {"sessions_ended": ended})


def set_active(session: Session, actor: Principal, username: str, active: bool) -> None:
    """Deactivate (sessions and tokens stop working at once) or reactivate a user."""
    authorize(actor, Action.USERS_MANAGE)
    user = get_user_row(session, username)
    user.active = active
    ended = 0 if active else end_sessions(session, user.id)
    action = "user.activate" if active else "user.deactivate"
    audit.record(session, actor, action, "user", user.username, {"sessions_ended": ended})


def end_sessions(session: Session, user_id: int) -> int:
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=stamp())
    )
    return result.rowcount or 0


def _check_grant(session: Session, role: str, process: str | None) -> tuple[Role, str | None]:
    try:
        parsed = Role(role)
    except ValueError:
        raise InvalidInput(
            f"no role {role!r}; the roles are {', '.join(r.value for r in Role)}"
        ) from None
    process = (process or "").strip() or None
    if parsed in PROCESS_ROLES and process is None:
        raise InvalidInput(f"a {parsed.value} is one for a process: name it (--process)")
    if parsed is Role.ADMIN and process is not None:
        raise InvalidInput("admin is a role for the whole hub, not for one process")
    if process is not None and session.get(Body, process) is None:
        raise NotFound("process", process)
    return parsed, process


def grant(
    session: Session, actor: Principal, username: str, role: str, process: str | None = None
) -> UserInfo:
    """Give ``username`` a role: an admin any, a secretariat its own process's roles
    (:func:`~rcphub.accounts.policy.authorize_grant`); granting a role held already changes
    nothing."""
    parsed, process = _check_grant(session, role, process)
    authorize_grant(actor, parsed.value, process)
    user = get_user_row(session, username)
    exists = session.scalar(
        select(RoleGrant.id).where(
            RoleGrant.user_id == user.id,
            RoleGrant.role == parsed.value,
            RoleGrant.process_id.is_(None) if process is None else RoleGrant.process_id == process,
        )
    )
    if exists is None:
        session.add(
            RoleGrant(user_id=user.id, role=parsed.value, process_id=process, granted_at=stamp())
        )
        session.flush()
        audit.record(
            session,
            actor,
            "user.grant",
            "user",
            user.username,
            {"role": parsed.value, "process": process},
        )
    return user_info(session, user)


def revoke(
    session: Session, actor: Principal, username: str, role: str, process: str | None = None
) -> UserInfo:
    parsed, process = _check_grant(session, role, process)
    authorize_grant(actor, parsed.value, process)
    user = get_user_row(session, username)
    result = session.execute(
        delete(RoleGrant).where(
            RoleGrant.user_id == user.id,
            RoleGrant.role == parsed.value,
            RoleGrant.process_id.is_(None) if process is None else RoleGrant.process_id == process,
        )
    )
    if not result.rowcount:
        where = f" for {process}" if process else ""
        raise InvalidInput(f"{user.username} is not {parsed.value}{where}")
    audit.record(
        session,
        actor,
        "user.revoke",
        "user",
        user.username,
        {"role": parsed.value, "process": process},
    )
    return user_info(session, user)


def grants_of(session: Session, user_id: int) -> list[GrantInfo]:
    rows = session.execute(
        select(RoleGrant.role, RoleGrant.process_id)
        .where(RoleGrant.user_id == user_id)
        .order_by(RoleGrant.role, RoleGrant.process_id)
    ).all()
    return [GrantInfo(role=role, process=process) for role, process in rows]


def user_info(session: Session, user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        active=user.active,
        created_at=user.created_at,
        grants=grants_of(session, user.id),
    )


def list_users(session: Session) -> list[UserInfo]:
    return [user_info(session, u) for u in session.scalars(select(User).order_by(User.username))]


def list_people(session: Session, actor: Principal, process: str | None = None) -> list[UserInfo]:
    """The users ``actor`` manages: every user for an admin (``process`` None), else those
    holding a role for ``process`` (whose secretariat ``actor`` must be)."""
    if process is None:
        authorize(actor, Action.USERS_MANAGE)
        return list_users(session)
    if session.get(Body, process) is None:
        raise NotFound("process", process)
    authorize(actor, Action.PEOPLE_MANAGE, [process])
    holders = select(RoleGrant.user_id).where(RoleGrant.process_id == process)
    users = session.scalars(select(User).where(User.id.in_(holders)).order_by(User.username))
    out = []
    for user in users:
        info = user_info(session, user)
        info.grants = [g for g in info.grants if g.process == process]
        out.append(info)
    return out


def principal_for(
    session: Session,
    user: User,
    *,
    via: str,
    scope: str = "write",
    token_id: int | None = None,
    address: str | None = None,
) -> Principal:
    return Principal(
        kind="user",
        user_id=user.id,
        username=user.username,
        grants=frozenset((g.role, g.process) for g in grants_of(session, user.id)),
        via=via,
        scope=scope,
        token_id=token_id,
        address=address,
    )
