"""``rcphub updates`` and ``rcphub digests``: process updates and e-mail digests from the
command line. The command acts as the operator of the machine (``cli:<os user>`` in the audit
log)."""

from __future__ import annotations

import sys
from typing import Any

import click

from rcphub.cli.support import PLAIN_JSON_OPTION, emit, handle_errors, operator, pass_context
from rcphub.config import LANGUAGES

LANG = click.Choice(LANGUAGES)


@click.group()
def updates() -> None:
    """Updates published by processes (news, in one or more languages)."""


@updates.command("publish")
@click.argument("process")
@click.option(
    "--title",
    "titles",
    type=(LANG, str),
    multiple=True,
    required=True,
    help="LANG TEXT: the title in a language (repeat for more languages).",
)
@click.option(
    "--body",
    "bodies",
    type=(LANG, str),
    multiple=True,
    help="LANG TEXT: the text in a language that has a title ('-' reads standard input).",
)
@click.option("--link", "links", multiple=True, help="document:ID or meeting:ID (repeat for more).")
@click.option(
    "--visibility",
    type=click.Choice(["public", "restricted"]),
    default="public",
    show_default=True,
    help="restricted: only the process's members and secretariat may read it.",
)
@PLAIN_JSON_OPTION
@pass_context
@handle_errors
def updates_publish(ctx, process, titles, bodies, links, visibility, as_json) -> None:  # type: ignore[no-untyped-def]
    """Publish an update of PROCESS, e.g. `rcphub updates publish bali-process --title en
    "Ministerial Conference announced" --body en "..." --link meeting:bali-2026`."""
    from rcphub.exchange.updates import publish_update

    texts = {lang: (sys.stdin.read() if text == "-" else text) for lang, text in bodies}
    with ctx.database.session() as session:
        published = publish_update(
            session, operator(), process, dict(titles), texts, links, visibility
        )
    emit(published, as_json, f"published update {published.id} of {published.process}")


@updates.command("list")
@click.option("--process", help="Only the updates of this process.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@PLAIN_JSON_OPTION
@pass_context
@handle_errors
def updates_list(ctx, process, limit, as_json) -> None:  # type: ignore[no-untyped-def]
    """List updates, newest first (all of them: the operator may read everything)."""
    from rcphub import registry
    from rcphub.feeds.content import visible_process_updates

    with ctx.database.session() as session:
        process_id = registry.get_process(session, process).id if process else None
        found = visible_process_updates(session, operator(), process=process_id, limit=limit)

    def text(data: dict[str, Any]) -> None:
        for u in data["updates"]:
            lang = next(iter(u["titles"]))
            flag = "" if u["visibility"] == "public" else f" [{u['visibility']}]"
            click.echo(
                f"{u['id']:>5}  {u['published_at'][:10]}  {u['process']:20} "
                f"{u['titles'][lang]}{flag}"
            )
        click.echo(f"{len(found)} updates")

    emit({"updates": [u.model_dump(mode="json") for u in found]}, as_json, text)


@click.group()
def digests() -> None:
    """E-mail digests of what users follow (daily or weekly, their choice)."""


@digests.command("send")
@click.option(
    "--period",
    type=click.Choice(["daily", "weekly"]),
    help="Only this period's digests (default: both).",
)
@click.option(
    "--now",
    "moment",
    metavar="ISO",
    help="Act as if it were this time (UTC unless it has an offset); default: now.",
)
@PLAIN_JSON_OPTION
@pass_context
@handle_errors
def digests_send(ctx, period, moment, as_json) -> None:  # type: ignore[no-untyped-def]
    """Send the digests that are due, one e-mail per user, and record them: running it
    again in the same day (daily) or ISO week (weekly) sends nothing new; a digest that
    could not be sent is tried again on the next run. Run it from cron or a timer (e.g.
    hourly). Needs RCPHUB_SMTP_HOST."""
    from rcphub.exchange.digests import parse_moment, send_digests
    from rcphub.exchange.mail import SmtpMailer
    from rcphub.search import SearchService
    from rcphub.wording.digest import DigestComposer

    settings = ctx.settings
    when = parse_moment(moment)
    report = send_digests(
        ctx.database,
        SearchService.from_settings(settings),
        SmtpMailer(settings),
        DigestComposer.from_settings(settings),
        period=period,
        moment=when,
        default_language=settings.default_language,
    )

    def text(data: dict[str, Any]) -> None:
        click.echo(
            f"sent {report.sent}, nothing new for {report.empty}, failed {report.failed},"
            f" already sent {report.already}"
        )
        for line in report.errors:
            click.echo(f"failed: {line}", err=True)

    emit(report, as_json, text)
    if report.failed:
        sys.exit(1)
