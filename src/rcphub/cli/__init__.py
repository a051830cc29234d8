"""The `rcphub` command: a thin skin over the services.

Each command parses its options, calls one service and prints text or, with ``--json``, the same
JSON as the API. Domain errors become ``error: <message>`` on stderr and a non-zero exit.

One module per command group defines its commands (``registry``: processes, countries,
meetings, taxonomies; ``documents``: ingest and documents; ...), all on :mod:`.support`; the
group :func:`main` takes them from the one list :data:`COMMANDS`, and nothing else adds a
command.
"""

from __future__ import annotations

import click

from rcphub import __version__
from rcphub.cli import (
    accounts,
    analytics,
    data,
    documents,
    editing,
    exchange,
    followup,
    proposals,
    registry,
    reports,
    search,
    server,
    themes,
    webhooks,
)
from rcphub.cli.support import Context
from rcphub.config import HELP_OPTIONS, load_settings


@click.group(context_settings=HELP_OPTIONS)
@click.version_option(__version__, prog_name="rcphub")
@click.option(
    "--data-dir", type=click.Path(file_okay=False), help="Data directory (RCPHUB_DATA_DIR)."
)
@click.option("--database-url", help="Database URL (RCPHUB_DATABASE_URL).")
@click.pass_context
def main(ctx: click.Context, data_dir: str | None, database_url: str | None) -> None:
    """rcphub: the registry and knowledge hub of regional consultative processes on migration.

    Settings come from RCPHUB_* environment variables (see `rcphub settings`). The database is
    created and loaded with the bundled reference data on first use.
    """
    try:
        settings = load_settings(data_dir=data_dir, database_url=database_url)
    except ValueError as exc:
        raise click.UsageError(f"invalid settings: {exc}") from exc
    ctx.obj = Context(settings)


COMMANDS: list[click.Command] = [
    # the hub: serving it, its settings, its data
    server.serve,
    server.settings_command,
    data.load,
    data.backup_command,
    data.restore_command,
    # the registry
    registry.processes,
    registry.process,
    registry.countries,
    registry.country,
    registry.meetings,
    registry.taxonomies,
    # documents, search, themes, follow-up
    documents.ingest,
    documents.documents,
    search.search_command,
    search.index_command,
    search.reindex_command,
    themes.themes_group,
    followup.followup_group,
    # analytics and reports
    analytics.analytics_group,
    reports.report,
    # people, changes and exchange
    accounts.users,
    accounts.tokens,
    accounts.audit_group,
    editing.edit,
    proposals.proposals,
    exchange.updates,
    exchange.digests,
    webhooks.webhooks,
]
"""Every command and group of ``rcphub``, in one place (``--help`` lists them by name)."""

for _command in COMMANDS:
    main.add_command(_command)

__all__ = ["COMMANDS", "main"]
