"""``rcphub load``, ``rcphub backup`` and ``rcphub restore``: the bundled reference data, and
the hub's data saved and brought back."""

from __future__ import annotations

import json
from pathlib import Path

import click

from rcphub.cli.support import JSON_OPTION, Context, handle_errors, operator, pass_context


@click.command()
@click.option("--force", is_flag=True, help="Compare every row even if the data looks current.")
@JSON_OPTION
@pass_context
@handle_errors
def load(ctx: Context, force: bool, as_json: bool) -> None:
    """Load the bundled reference data; running it again changes nothing. What a person
    changed (pages, API, `rcphub edit`) is kept: conflicts with newer data are listed."""
    from rcphub.bootstrap import prepare_database
    from rcphub.db import Database

    database = Database(ctx.settings)
    click.get_current_context().call_on_close(database.dispose)
    from rcphub.refdata.coverage import coverage_table, language_coverage

    report = prepare_database(database, force_load=True, actor=operator())
    tables = report.as_dict() if report else {}
    conflicts = [c.as_dict() for c in report.conflicts] if report else []
    with database.session() as session:
        coverage = language_coverage(session)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "changed": bool(report and report.changed),
                    "tables": tables,
                    "languages": coverage,
                    "conflicts": conflicts,
                }
            )
        )
        return
    for table, counts in tables.items():
        click.echo(
            f"{table:18} +{counts['inserted']:<5} ~{counts['updated']:<5} -{counts['deleted']}"
        )
    click.echo("reference data loaded" if report and report.changed else "already up to date")
    click.echo("names and titles per language:")
    for line in coverage_table(coverage):
        click.echo(line)
    for c in conflicts:
        click.echo(
            f"kept a person's edit: {c['table']} {c['key']} {c['field']}: "
            f"{json.dumps(c['current'], ensure_ascii=False)} "
            f"(bundled data: {json.dumps(c['bundled'], ensure_ascii=False)})"
        )


@click.command("backup")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@JSON_OPTION
@pass_context
@handle_errors
def backup_command(ctx: Context, archive: Path, as_json: bool) -> None:
    """Write ARCHIVE (a .tar.gz): the database (SQLite's online backup, or pg_dump on
    PostgreSQL) and the stored source files. Safe while the hub serves."""
    from rcphub.backup import backup

    summary = backup(ctx.database, archive)
    if as_json:
        click.echo(json.dumps(summary.as_dict()))
        return
    counts = ", ".join(f"{n} {name}" for name, n in summary.counts.items())
    click.echo(f"backed up {summary.backend} database ({counts}) and {summary.files} files")
    click.echo(f"to {summary.path}")


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a database that holds documents.")
@JSON_OPTION
@pass_context
@handle_errors
def restore_command(ctx: Context, archive: Path, replace: bool, as_json: bool) -> None:
    """Restore ARCHIVE written by `rcphub backup` into this hub's database (of the same
    kind) and data directory. Stop `rcphub serve` first; the search index is rebuilt at the
    next start."""
    from rcphub.backup import restore

    summary = restore(ctx.settings, archive, replace=replace)
    if as_json:
        click.echo(json.dumps(summary.as_dict()))
        return
    counts = ", ".join(f"{n} {name}" for name, n in summary.counts.items())
    click.echo(f"restored the backup of {summary.created} ({counts}) and {summary.files} files")
