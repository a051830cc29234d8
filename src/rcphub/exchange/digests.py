"""E-mail digests: one message per user per period (``daily`` or ``weekly``, the user's
choice; off by default) with what came in about what they follow, in their language.

:func:`send_digests` is what ``rcphub digests send`` runs (from cron, or a timer). It is
idempotent: each user's digest of a period (the UTC day ``2026-11-28``, the ISO week
``2026-W48``) is recorded in ``digest_sends`` in the transaction that follows its sending, so a
second run in the same period sends nothing; a digest whose sending failed is recorded as
``failed`` and tried again on the next run. A digest covers what came in after the user's last
digest (sent, or empty: there was nothing to send) up to the moment of the run; the first one
looks back one period. The items are those of the feeds (:mod:`rcphub.feeds.content`): what an
anonymous reader may see.

The wording is not here: a *composer* (``rcphub.wording.digest``) turns a :class:`Digest` into a
:class:`~rcphub.exchange.mail.Mail` in the user's language, and a *mailer*
(:class:`~rcphub.exchange.mail.SmtpMailer`) sends it.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub.accounts.timeutil import now, stamp
from rcphub.accounts.users import principal_for
from rcphub.db import Database, DigestSend, User, UserPreference
from rcphub.errors import InvalidInput
from rcphub.exchange.follows import follows_of
from rcphub.exchange.mail import Mail
from rcphub.exchange.schemas import DigestReport
from rcphub.feeds import content
from rcphub.feeds.schemas import FeedItem

log = logging.getLogger(__name__)

PERIODS = ("daily", "weekly")
LENGTH = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
MAX_ITEMS = 100


@dataclass(frozen=True)
class Digest:
    user_id: int
    username: str
    display_name: str | None
    email: str
    language: str
    period: str
    period_key: str
    since: datetime
    until: datetime
    items: list[FeedItem]
    follows: list[tuple[str, str]]


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...

    def close(self) -> None: ...


Composer = Callable[[Session, Digest], Mail]


def parse_moment(value: str | None) -> datetime:
    """``--now``: an ISO 8601 date or time (UTC when it has no offset); None: now."""
    if not value:
        return now()
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"not an ISO 8601 date or time: {value[:40]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def period_key(period: str, moment: datetime) -> str:
    day = moment.astimezone(UTC).date()
    if period == "daily":
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _check_period(period: str) -> str:
    if period not in PERIODS:
        raise InvalidInput(f"a digest period is {' or '.join(PERIODS)}, not {period[:20]!r}")
    return period


def due_users(session: Session, period: str, moment: datetime) -> tuple[list[int], int]:
    """Users whose ``period`` digest has not been sent (or found empty) for the period of
    ``moment``, and how many have had it already."""
    key = period_key(period, moment)
    users = list(
        session.scalars(
            select(User.id)
            .join(UserPreference, UserPreference.user_id == User.id)
            .where(
                User.active.is_(True),
                UserPreference.digest == period,
                UserPreference.email.is_not(None),
            )
            .order_by(User.id)
        )
    )
    done = set(
        session.scalars(
            select(DigestSend.user_id).where(
                DigestSend.period == period,
                DigestSend.period_key == key,
                DigestSend.status.in_(("sent", "empty")),
            )
        )
    )
    return [u for u in users if u not in done], len(done & set(users))


def _since(session: Session, user_id: int, period: str, moment: datetime) -> datetime:
    last = session.scalar(
        select(DigestSend.until)
        .where(DigestSend.user_id == user_id, DigestSend.status.in_(("sent", "empty")))
        .order_by(DigestSend.until.desc())
        .limit(1)
    )
    if last:
        return min(datetime.fromisoformat(last), moment)
    return moment - LENGTH[period]


def build_digest(
    session: Session,
    search,  # type: ignore[no-untyped-def]
    user_id: int,
    period: str,
    moment: datetime,
    default_language: str,
) -> Digest:
    user = session.get(User, user_id)
    prefs = session.get(UserPreference, user_id)
    assert user is not None
    assert prefs is not None
    assert prefs.email
    follows = follows_of(session, user_id)
    since = _since(session, user_id, period, moment)
    # the user's own reading rights: a member's digest carries their processes' restricted news
    reader = principal_for(session, user, via="digest", scope="read")
    items, _failed = content.followed_items(
        session, search, follows, since, moment, MAX_ITEMS, reader=reader
    )
    return Digest(
        user_id=user_id,
        username=user.username,
        display_name=user.display_name,
        email=prefs.email,
        language=prefs.language or default_language,
        period=period,
        period_key=period_key(period, moment),
        since=since,
        until=moment,
        items=items,
        follows=follows,
    )


def _record(session: Session, digest: Digest, status: str, error: str | None = None) -> None:
    row = session.scalar(
        select(DigestSend).where(
            DigestSend.user_id == digest.user_id,
            DigestSend.period == digest.period,
            DigestSend.period_key == digest.period_key,
        )
    )
    if row is None:
        row = DigestSend(
            user_id=digest.user_id,
            period=digest.period,
            period_key=digest.period_key,
            attempts=0,
        )
        session.add(row)
    row.status = status
    row.since = stamp(digest.since)
    row.until = stamp(digest.until)
    row.items = len(digest.items)
    row.attempts = (row.attempts or 0) + (0 if status == "empty" else 1)
    row.recipient = digest.email
    row.language = digest.language
    row.sent_at = stamp() if status == "sent" else None
    row.error = error


def send_digests(
    database: Database,
    search,  # type: ignore[no-untyped-def]
    mailer: Mailer,
    composer: Composer,
    *,
    period: str | None = None,
    moment: datetime | None = None,
    default_language: str = "en",
) -> DigestReport:
    """Send the digests that are due at ``moment`` (default now), of one period or both."""
    periods = [_check_period(period)] if period else list(PERIODS)
    moment = moment or now()
    report = DigestReport()
    try:
        for each in periods:
            with database.session() as session:
                users, already = due_users(session, each, moment)
            report.already += already
            for user_id in users:
                with database.session() as session:  # one transaction per user
                    digest = build_digest(session, search, user_id, each, moment, default_language)
                    if not digest.items:
                        _record(session, digest, "empty")
                        report.empty += 1
                        continue
                    try:
                        mailer.send(composer(session, digest))
                    except (smtplib.SMTPException, OSError) as exc:
                        reason = f"{type(exc).__name__}: {exc}"[:500]
                        log.warning("digest for %s not sent: %s", digest.username, reason)
                        _record(session, digest, "failed", reason)
                        report.failed += 1
                        report.errors.append(f"{digest.username}: {reason}")
                        continue
                    _record(session, digest, "sent")
                    report.sent += 1
    finally:
        mailer.close()
    return report
