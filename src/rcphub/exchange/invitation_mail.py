"""Mailing an invitation link through the hub's SMTP server (``RCPHUB_SMTP_*``), for the
pages, the API and ``rcphub users invite`` alike."""

from __future__ import annotations

import smtplib
from html import escape

from rcphub.accounts.invitations import NewLink
from rcphub.config import Settings
from rcphub.exchange.mail import Mail, SmtpMailer

__all__ = ["mail_link"]


def mail_link(settings: Settings, link: NewLink, url: str, sender_label: str) -> NewLink:
    """Send an invitation to its e-mail address through the hub's SMTP server, if one is set
    (``RCPHUB_SMTP_HOST``); call after the invitation is committed. A failure is reported in
    the returned link (``mail_error``), never raised: the inviter has the link anyway."""
    if not link.email or not settings.smtp_host:
        return link
    where = f" ({link.role} of {link.process})" if link.process else f" ({link.role})"
    text = (
        f"{sender_label} invites you to the rcphub hub{where}.\n\n"
        f"Open this link to choose a username and password (valid until {link.expires_at}):\n"
        f"{url}\n"
    )
    html = (
        f"<p>{escape(sender_label)} invites you to the rcphub hub{escape(where)}.</p>"
        f'<p><a href="{escape(url)}">{escape(url)}</a></p>'
        f"<p>Valid until {escape(link.expires_at)}.</p>"
    )
    mailer = SmtpMailer(settings)
    try:
        mailer.send(Mail(link.email, "Invitation to rcphub", text, html, "en"))
    except (smtplib.SMTPException, OSError) as exc:
        return link.model_copy(update={"mail_error": str(exc)[:200] or type(exc).__name__})
    finally:
        mailer.close()
    return link.model_copy(update={"mailed": True})
