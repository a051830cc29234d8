"""E-mail digests on both databases, sent to a real SMTP server running in its own process
(aiosmtpd writing a Maildir) and read back from what it received: one mail per user and
period, in the user's language, plain text and HTML, with the items of what they follow and
none they may not see; a second run sends nothing; a run while the server is down fails, is
recorded, and the next run sends the digest."""

from __future__ import annotations

import mailbox
import socket
import subprocess
import sys
import time
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape
from sqlalchemy import select

from rcphub.accounts import SYSTEM
from rcphub.accounts.timeutil import now
from rcphub.accounts.users import get_user_row, principal_for
from rcphub.cli import main
from rcphub.db import DigestSend
from rcphub.db.models import Body, State
from rcphub.exchange import follows
from rcphub.exchange.digests import send_digests
from rcphub.exchange.mail import SmtpMailer
from rcphub.exchange.updates import publish_update
from rcphub.wording.digest import DigestComposer
from tests.accounts_support import make_user

BASE = "https://hub.example.org"
TITLES = {
    "en": "Ministerial Conference announced",
    "fr": "Conférence ministérielle annoncée",
    "ru": "Объявлена министерская конференция",
}
SECRET = "Closed session: draft negotiating text"
LATER = {"en": "Regional roadmap adopted", "fr": "Feuille de route régionale adoptée"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """``python -m aiosmtpd`` in a subprocess, storing what it receives in a Maildir."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir
        self.port = 0
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.port = free_port()
        log = self.maildir.parent / "smtp.log"
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    f"127.0.0.1:{self.port}",
                    "-c",
                    "aiosmtpd.handlers.Mailbox",
                    str(self.maildir),
                ],
                stdout=output,
                stderr=output,
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(log.read_text())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the SMTP server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def messages(self) -> list:  # type: ignore[type-arg]
        box = mailbox.Maildir(self.maildir, create=True)
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(box.get_bytes(key)) for key in sorted(box.keys())]


@pytest.fixture
def smtp(tmp_path):  # type: ignore[no-untyped-def]
    server = SmtpServer(tmp_path / "maildir")
    server.start()
    yield server
    server.stop()


def settings_for(database, server: SmtpServer):  # type: ignore[no-untyped-def]
    return database.settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_from": "hub@example.org"}
    )


def subscriber(database, username, *, digest, language, subjects, grants=()):  # type: ignore[no-untyped-def]
    make_user(database, username, *grants)
    with database.session() as session:
        principal = principal_for(session, get_user_row(session, username), via="session")
        for kind, target in subjects:
            follows.follow(session, principal, kind, target)
        follows.set_preferences(
            session,
            principal,
            email=f"{username}@example.org" if digest != "off" else None,
            language=language,
            digest=digest,
        )


def run(database, server, moment, period=None):  # type: ignore[no-untyped-def]
    settings = settings_for(database, server)
    return send_digests(
        database,
        None,
        SmtpMailer(settings),
        DigestComposer(BASE),
        period=period,
        moment=moment,
    )


def parts(message) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def by_recipient(messages) -> dict:  # type: ignore[type-arg]
    return {m["X-RcptTo"]: m for m in messages}


@pytest.fixture
def hub(database_factory):  # type: ignore[no-untyped-def]
    database = database_factory.new()
    subscriber(
        database, "ana", digest="daily", language="fr", subjects=[("process", "bali-process")]
    )
    subscriber(
        database,
        "boris",
        digest="daily",
        language="ru",
        subjects=[("process", "bali-process"), ("state", "PER")],
        grants=["reader@bali-process"],
    )
    subscriber(
        database, "chen", digest="weekly", language="zh", subjects=[("process", "bali-process")]
    )
    subscriber(database, "dora", digest="daily", language="en", subjects=[("theme", "hld2013/RT1")])
    subscriber(database, "eve", digest="off", language="en", subjects=[("process", "bali-process")])
    with database.session() as session:
        public = publish_update(session, SYSTEM, "bali-process", TITLES, {"fr": "Le texte."})
        publish_update(session, SYSTEM, "bali-process", {"en": SECRET}, visibility="restricted")
    database.public_update = public.id  # type: ignore[attr-defined]
    return database


def test_one_digest_per_user_in_their_language_then_nothing(hub, smtp):
    moment = now() + timedelta(minutes=1)
    report = run(hub, smtp, moment)
    assert (report.sent, report.empty, report.failed) == (3, 1, 0), report
    messages = smtp.messages()
    received = by_recipient(messages)
    assert len(messages) == 3
    assert set(received) == {"ana@example.org", "boris@example.org", "chen@example.org"}
    link = f"{BASE}/updates/{hub.public_update}"
    expected = {"ana@example.org": "fr", "boris@example.org": "ru", "chen@example.org": "zh"}
    for address, lang in expected.items():
        message = received[address]
        assert message["Content-Language"] == lang
        assert message["From"] == "hub@example.org"
        text, html = parts(message)
        assert link in text
        assert f'href="{link}"' in html
        assert f'<html lang="{lang}"' in html
        # restricted: in the digest of boris, a member of the Bali Process, and nobody else's
        assert (SECRET in text and SECRET in html) is (address == "boris@example.org")
    ana_text, ana_html = parts(received["ana@example.org"])
    assert TITLES["fr"] in ana_text
    # what each follows, by name in their language, not by ID
    with hub.session() as session:
        bali = session.get(Body, "bali-process").names
        peru = session.get(State, "PER").names
    assert f"Vous suivez : {bali['fr']}" in ana_text
    assert str(escape(bali["fr"])) in ana_html
    boris_text, _ = parts(received["boris@example.org"])
    assert bali["ru"] in boris_text
    assert peru["ru"] in boris_text
    for message in received.values():
        text, html = parts(message)
        assert "process:bali-process" not in text
        assert "bali-process;" not in text
        assert "PER" not in text.split("\n\n")[1]  # the line of what they follow
    assert "quotidien" in received["ana@example.org"]["Subject"]
    assert TITLES["ru"] in parts(received["boris@example.org"])[0]
    assert "周" in received["chen@example.org"]["Subject"]  # weekly, in Chinese
    assert TITLES["en"] in parts(received["chen@example.org"])[0]  # no Chinese title: fallback

    # later, in the same day and week (UTC) as the first run, whatever the time of the test
    later = min(moment + timedelta(minutes=30), moment.replace(hour=23, minute=59, second=59))
    again = run(hub, smtp, later)
    assert (again.sent, again.empty, again.failed, again.already) == (0, 0, 0, 4)
    assert len(smtp.messages()) == 3


def test_a_failed_send_is_recorded_and_retried(hub, smtp):
    first = now()  # stamps are to the second: the next update comes after this digest
    assert run(hub, smtp, first, "daily").sent == 2
    time.sleep(1.1)
    with hub.session() as session:
        publish_update(session, SYSTEM, "bali-process", LATER)
    smtp.stop()
    # noon of the next day (UTC): the retries an hour or two later fall on the same day, the
    # day that names a daily digest, whatever the time the test runs
    next_day = (first + timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)
    down = run(hub, smtp, next_day, "daily")
    assert (down.sent, down.failed) == (0, 2)
    assert down.errors
    assert "ana" in down.errors[0]
    with hub.session() as session:
        rows = session.scalars(select(DigestSend).where(DigestSend.status == "failed")).all()
        assert {r.period_key for r in rows} == {next_day.date().isoformat()}
    smtp.start()
    back = run(hub, smtp, next_day + timedelta(hours=1), "daily")
    assert (back.sent, back.failed) == (2, 0)
    received = by_recipient(smtp.messages()[2:])
    text, _ = parts(received["ana@example.org"])
    assert LATER["fr"] in text
    assert TITLES["fr"] not in text  # already in yesterday's digest
    with hub.session() as session:
        retried = session.scalar(
            select(DigestSend).where(
                DigestSend.period_key == next_day.date().isoformat(),
                DigestSend.recipient == "ana@example.org",
            )
        )
        assert (retried.status, retried.attempts, retried.error) == ("sent", 2, None)
    assert run(hub, smtp, next_day + timedelta(hours=2), "daily").sent == 0


def test_the_command_sends_what_is_due(hub, smtp):
    settings = hub.settings
    base = ["--database-url", settings.resolved_database_url, "--data-dir", str(settings.data_dir)]
    env = {"RCPHUB_SMTP_HOST": "127.0.0.1", "RCPHUB_SMTP_PORT": str(smtp.port)}
    when = (now() + timedelta(minutes=1)).isoformat()
    runner = CliRunner()
    result = runner.invoke(
        main, [*base, "digests", "send", "--period", "weekly", "--now", when], env=env
    )
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert [m["X-RcptTo"] for m in smtp.messages()] == ["chen@example.org"]
    again = runner.invoke(main, [*base, "digests", "send", "--now", when], env=env)
    assert again.exit_code == 0, again.output
    assert "already sent 1" in again.output  # the weekly one is done; the daily ones go now
    recipients = [m["X-RcptTo"] for m in smtp.messages()]
    assert sorted(recipients) == sorted(set(recipients))  # one mail per user
    assert {"chen@example.org", "ana@example.org", "boris@example.org"} <= set(recipients)
    assert "eve@example.org" not in recipients  # digest off
    third = runner.invoke(main, [*base, "digests", "send", "--now", when], env=env)
    assert "sent 0," in third.output
    assert len(smtp.messages()) == len(recipients)
    bad = runner.invoke(main, [*base, "digests", "send", "--now", "tomorrow"], env=env)
    assert bad.exit_code == 2
    assert "ISO 8601" in bad.output
    no_server = runner.invoke(main, [*base, "digests", "send"], env={"RCPHUB_SMTP_HOST": ""})
    assert no_server.exit_code == 2
    assert "RCPHUB_SMTP_HOST" in no_server.output
