"""The wording of the e-mail digests: a :class:`~rcphub.exchange.digests.Digest` as a message
in the user's language, plain text and HTML, with the same titles and links as the feeds
(:class:`~rcphub.web.feed_routes.EntryWriter`).

``rcphub digests send`` builds a :class:`DigestComposer` from the settings and hands it to
:func:`rcphub.exchange.digests.send_digests`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from rcphub.config import Settings
from rcphub.exchange.digests import Digest
from rcphub.exchange.mail import Mail
from rcphub.web.exchange_routes import follow_views, worded
from rcphub.web.templating import Renderer

TEXT_SUMMARY = 300


def public_base(settings: Settings) -> str:
    """Where the links of a mail point: ``RCPHUB_PUBLIC_URL``, else the address `serve`
    listens on."""
    return settings.public_url or f"http://{settings.host}:{settings.port}"


class DigestComposer:
    def __init__(self, renderer: Renderer, base: str) -> None:
        self.renderer = renderer
        self.base = base.rstrip("/")

    @classmethod
    def from_settings(cls, settings: Settings) -> DigestComposer:
        return cls(Renderer(settings.default_language), public_base(settings))

    def __call__(self, session: Session, digest: Digest) -> Mail:
        tools = self.renderer.tools[digest.language]
        _ = tools.gettext
        day = tools.date(digest.until.date())
        if digest.period == "daily":
            subject = _("RCP Hub daily digest: %(date)s") % {"date": day}
        else:
            subject = _("RCP Hub weekly digest: week to %(date)s") % {"date": day}
        entries = worded(session, tools, self.base, digest.items)
        since = tools.timestamp(digest.since.isoformat())
        intro = _("New since %(date)s about what you follow:") % {"date": since}
        followed = follow_views(session, tools, list(digest.follows))
        about = _("You follow: %(subjects)s") % {"subjects": "; ".join(v.text for v in followed)}
        settings_link = f"{self.base}/account#digests"
        footer = _(
            "You receive this digest because you asked for it. Change or stop it: %(link)s"
        ) % {"link": settings_link}
        lines = [subject, "", about, "", intro, ""]
        for kind, entry in entries:
            lines.append(f"* [{kind}] {entry.title.value}")
            lines.append(f"  {entry.link}")
            if entry.summary is not None:
                summary = " ".join(entry.summary.value.split())
                if len(summary) > TEXT_SUMMARY:
                    summary = summary[: TEXT_SUMMARY - 1].rstrip() + "…"
                lines.append(f"  {summary}")
            lines.append("")
        lines += ["-- ", footer, ""]
        html = (
            self.renderer.environments[digest.language]
            .get_template("digest_mail.html")
            .render(
                subject=subject,
                about=about,
                intro=intro,
                entries=entries,
                footer_link=settings_link,
                whats_new=f"{self.base}/whats-new",
            )
        )
        return Mail(
            to=digest.email,
            subject=subject,
            text="\n".join(lines),
            html=html,
            language=digest.language,
        )
