"""The wording of the e-mail digests: a :class:`~rcphub.exchange.digests.Digest` as a message
in the user's language, plain text and HTML (``templates/digest_mail.html``), with the same
titles and links as the feeds (:class:`~rcphub.wording.entries.EntryWriter`).

``rcphub digests send`` builds a :class:`DigestComposer` from the settings and hands it to
:func:`rcphub.exchange.digests.send_digests`.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader
from sqlalchemy.orm import Session

from rcphub import urls
from rcphub.config import Settings
from rcphub.exchange.digests import Digest
from rcphub.exchange.mail import Mail
from rcphub.wording.entries import worded
from rcphub.wording.follows import follow_views
from rcphub.wording.i18n import load_translations
from rcphub.wording.tools import PageTools, template_environment

TEXT_SUMMARY = 300


def public_base(settings: Settings) -> str:
    """Where the links of a mail point: ``RCPHUB_PUBLIC_URL``, else the address `serve`
    listens on."""
    return settings.public_url or f"http://{settings.host}:{settings.port}"


def mail_environment(tools: PageTools) -> Environment:
    """The Jinja environment of the HTML mail in one language, with what its template uses."""
    env = template_environment(PackageLoader("rcphub.wording", "templates"), tools)
    env.globals.update(
        lang=tools.lang,
        direction=tools.direction,
        lang_attrs=tools.lang_attrs,
        timestamp=tools.timestamp,
    )
    return env


class DigestComposer:
    """Words digests with links under ``base``; the tools and template of each language are
    made the first time a digest in it is worded."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self._languages: dict[str, tuple[PageTools, Environment]] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> DigestComposer:
        return cls(public_base(settings))

    def _language(self, lang: str) -> tuple[PageTools, Environment]:
        if lang not in self._languages:
            tools = PageTools(lang, load_translations(lang))
            self._languages[lang] = (tools, mail_environment(tools))
        return self._languages[lang]

    def __call__(self, session: Session, digest: Digest) -> Mail:
        tools, environment = self._language(digest.language)
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
        settings_link = self.base + urls.account(fragment="digests")
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
        html = environment.get_template("digest_mail.html").render(
            subject=subject,
            about=about,
            intro=intro,
            entries=entries,
            footer_link=settings_link,
            whats_new=self.base + urls.whats_new(),
        )
        return Mail(
            to=digest.email,
            subject=subject,
            text="\n".join(lines),
            html=html,
            language=digest.language,
        )
