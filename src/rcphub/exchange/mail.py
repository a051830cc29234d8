"""Sending e-mail over SMTP with the standard library: one message, plain text and HTML.

:class:`SmtpMailer` is the seam the digests use; tests point it at a real local SMTP server
(a subprocess) and read what it received.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from rcphub.config import Settings
from rcphub.errors import InvalidInput


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str
    language: str


def build_message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    message["Content-Language"] = mail.language  # after the content: set_content drops Content-*
    return message


class SmtpMailer:
    """Sends through the SMTP server of the settings (``RCPHUB_SMTP_*``); one connection per
    batch (:meth:`open` … :meth:`close`), reopened if the server dropped it."""

    def __init__(self, settings: Settings) -> None:
        if not settings.smtp_host:
            raise InvalidInput(
                "no SMTP server is set: set RCPHUB_SMTP_HOST (see `rcphub settings`)"
            )
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        assert s.smtp_host
        if s.smtp_security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                s.smtp_host,
                s.smtp_port,
                timeout=s.smtp_timeout,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
            if s.smtp_security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if s.smtp_user:
            smtp.login(s.smtp_user, s.smtp_password or "")
        return smtp

    def send(self, mail: Mail) -> None:
        """Send one message; raises :class:`smtplib.SMTPException` or :class:`OSError`."""
        message = build_message(mail, self.settings.smtp_from)
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            try:
                self._smtp.send_message(message)
            except smtplib.SMTPServerDisconnected:
                self._smtp = self._connect()
                self._smtp.send_message(message)
        except (smtplib.SMTPException, OSError):
            self.close()  # the next message starts on a fresh connection
            raise

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None
