"""Signing in and out: password checks behind a per-account lockout and a per-address limit,
and sessions kept in the database (revocable, expiring).

The cookie holds 32 random bytes; the database keeps their SHA-256, so a copy of the database
does not sign anyone in. Each session has its own CSRF token, which every form of the session
carries (:mod:`rcphub.web.security` checks it).

Throttling counts failed attempts in the last ``sign_in_lockout_minutes``:

* an account with ``sign_in_max_failures`` failures since its last success is locked until the
  oldest of them leaves the period, whatever password comes next;
* a client address with ``sign_in_address_max_failures`` failures (across any usernames) is
  refused until the period has passed.

Both answer :class:`TooManyAttempts` (HTTP 429) without checking the password.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts.passwords import needs_rehash, spend_as_long_as_a_check, verify_password
from rcphub.accounts.policy import Principal
from rcphub.accounts.timeutil import ago, ahead, now, stamp
from rcphub.accounts.users import principal_for
from rcphub.config import Settings
from rcphub.db import Database, SignInAttempt, User, UserSession
from rcphub.errors import TooManyAttempts, Unauthenticated

WRONG = "wrong username or password"


@dataclass(frozen=True)
class SignedIn:
    cookie: str
    csrf_token: str
    principal: Principal
    expires_at: str


@dataclass(frozen=True)
class ActiveSession:
    id: str
    principal: Principal
    csrf_token: str


def session_id(cookie: str) -> str:
    return hashlib.sha256(cookie.encode("utf-8", "replace")).hexdigest()


def sign_in(
    database: Database,
    username: str,
    password: str,
    *,
    address: str,
    user_agent: str = "",
) -> SignedIn:
    """Check the password and open a session; each attempt is recorded in a transaction of
    its own, so failures count even though nothing else is written.

    The limits hold under parallel attempts: the throttle check and the attempt's row (a
    failure until the password proves right) are one transaction, which writers take one at
    a time (:meth:`Database.write_session`), so every attempt sees those before it counted
    whether or not their passwords have been checked yet."""
    settings = database.settings
    name = (username or "").strip().lower()[:64]
    address = (address or "unknown")[:64]
    with database.write_session(lock="rcphub.sign-in") as session:
        _check_throttle(session, settings, name, address)
        attempt = SignInAttempt(username=name, address=address, at=stamp(), succeeded=False)
        session.add(attempt)
        session.flush()
        user = session.scalar(select(User).where(User.username == name)) if name else None
    if user is None:
        spend_as_long_as_a_check(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.active
    if ok:
        with database.session() as session:
            session.execute(
                update(SignInAttempt).where(SignInAttempt.id == attempt.id).values(succeeded=True)
            )
    if not ok or user is None:
        raise Unauthenticated(WRONG)
    with database.session() as session:
        user = session.get(User, user.id)
        assert user is not None
        if needs_rehash(user.password_hash):
            from rcphub.accounts.passwords import hash_password

            user.password_hash = hash_password(password)
        cookie = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        expires = ahead(hours=settings.session_hours)
        now_text = stamp()
        session.add(
            UserSession(
                id=session_id(cookie),
                user_id=user.id,
                csrf_token=csrf,
                created_at=now_text,
                expires_at=expires,
                last_seen_at=now_text,
                address=address,
                user_agent=(user_agent or "")[:200] or None,
            )
        )
        principal = principal_for(session, user, via="session", address=address)
        audit.record(session, principal, "session.sign_in", "user", user.username)
    return SignedIn(cookie, csrf, principal, expires)


def _check_throttle(session: Session, settings: Settings, name: str, address: str) -> None:
    period = settings.sign_in_lockout_minutes
    since = ago(minutes=period)
    message = "too many failed sign-ins; try again in %d minutes"
    failures = session.execute(
        select(func.count(), func.min(SignInAttempt.at)).where(
            SignInAttempt.address == address,
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.at > since,
        )
    ).one()
    if failures[0] >= settings.sign_in_address_max_failures:
        wait = _until(failures[1], period)
        raise TooManyAttempts(message % max(1, wait // 60), wait)
    if not name:
        return
    # attempts are ordered by id: timestamps to the second cannot tell apart a success and
    # the failures in the same second after it
    last_success = session.scalar(
        select(func.max(SignInAttempt.id)).where(
            SignInAttempt.username == name, SignInAttempt.succeeded.is_(True)
        )
    )
    failures = session.execute(
        select(func.count(), func.min(SignInAttempt.at)).where(
            SignInAttempt.username == name,
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.at > since,
            SignInAttempt.id > (last_success or 0),
        )
    ).one()
    if failures[0] >= settings.sign_in_max_failures:
        wait = _until(failures[1], period)
        raise TooManyAttempts(
            "this account is locked after too many wrong passwords; "
            f"try again in {max(1, wait // 60)} minutes",
            wait,
        )


def _until(oldest: str | None, period: int) -> int:
    """Seconds until the oldest counted failure leaves the period."""
    if not oldest:
        return period * 60
    ends = datetime.fromisoformat(oldest) + timedelta(minutes=period)
    return max(1, int((ends - now()).total_seconds()) + 1)


def active_session(session: Session, cookie: str, address: str | None = None) -> ActiveSession:
    """The session of a cookie that is current; :class:`Unauthenticated` otherwise."""
    if not cookie or len(cookie) > 100:
        raise Unauthenticated("not signed in")
    row = session.get(UserSession, session_id(cookie))
    now_text = stamp()
    if row is None or row.revoked_at is not None or row.expires_at <= now_text:
        raise Unauthenticated("the session has ended; sign in again")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthenticated("the session has ended; sign in again")
    if row.last_seen_at < ago(minutes=5):
        row.last_seen_at = now_text
    principal = principal_for(session, user, via="session", address=address)
    return ActiveSession(row.id, principal, row.csrf_token)


def sign_out(session: Session, cookie: str, actor: Principal) -> None:
    row = session.get(UserSession, session_id(cookie)) if cookie else None
    if row is not None and row.revoked_at is None:
        row.revoked_at = stamp()
        audit.record(session, actor, "session.sign_out", "user", actor.username)
