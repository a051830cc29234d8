"""``rcphub analytics``: overlapping memberships and migrant stock per process."""

from __future__ import annotations

from typing import Any

import click

from rcphub.cli.support import JSON_OPTION, Context, emit, handle_errors, pass_context


@click.group("analytics")
def analytics_group() -> None:
    """Overlapping memberships, growth of the system, migrant stock per process."""


@analytics_group.command("overlap")
@click.option("--observers", is_flag=True, help="Count observers as well as members.")
@click.option("--year", type=int, help="Membership as of this year where the data allows.")
@click.option("--top", type=int, default=15, show_default=True, help="Pairs and states shown.")
@JSON_OPTION
@pass_context
@handle_errors
def analytics_overlap(
    ctx: Context, observers: bool, year: int | None, top: int, as_json: bool
) -> None:
    """Which processes share member states, and which states bridge most processes."""
    from rcphub.analytics import membership_overlap

    with ctx.database.session() as session:
        payload = membership_overlap(session, include_observers=observers, year=year)

    def text(data: dict[str, Any]) -> None:
        click.echo(f"{len(data['processes'])} processes; {data['basis']}")
        if data["not_yet_founded"]:
            click.echo(
                f"left out, founded after {data['year']}: {', '.join(data['not_yet_founded'])}"
            )
        click.echo("\nmost shared members")
        for pair in data["pairs"][:top]:
            click.echo(f"  {pair['shared']:>3}  J={pair['jaccard']:.2f}  {pair['a']} + {pair['b']}")
        click.echo("\nstates in most processes")
        for bridge in data["bridges"][:top]:
            click.echo(
                f"  {bridge['iso3']}  {bridge['process_count']:>2}  "
                f"{', '.join(bridge['processes'])}"
            )

    emit(payload, as_json, text)


@analytics_group.command("migration")
@click.argument("process_id")
@click.option(
    "--year",
    type=int,
    default=2020,
    show_default=True,
    help="1990, 1995, 2000, 2005, 2010, 2015 or 2020.",
)
@JSON_OPTION
@pass_context
@handle_errors
def analytics_migration(ctx: Context, process_id: str, year: int, as_json: bool) -> None:
    """UN DESA migrant stock within a process: intra-process stock, shares, corridors."""
    from rcphub.analytics import process_migration

    with ctx.database.session() as session:
        payload = process_migration(session, process_id, year)

    def text(d: dict[str, Any]) -> None:
        def pct(value: float | None) -> str:
            return "-" if value is None else f"{value:.1%}"

        if not d["member_list"]:
            click.echo(
                f"{d['process']}: the reference data has no list of member States, so no "
                "migrant stock can be computed for it (not zero: unknown)"
            )
            if d["membership_description"]:
                click.echo(f"  membership as the source says: {d['membership_description']}")
            return
        click.echo(f"{d['process']} in {d['year']}: {len(d['members'])} members ({d['basis']})")
        click.echo(f"  born in one member, living in another: {d['intra_stock']:>12,}")
        click.echo(
            f"  members' emigrants (anywhere):         {d['members_emigrants']:>12,}  "
            f"intra share {pct(d['intra_share_of_emigrants'])}"
        )
        click.echo(
            f"  members' immigrants (from anywhere):   {d['members_immigrants']:>12,}  "
            f"intra share {pct(d['intra_share_of_immigrants'])}"
        )
        click.echo("  top corridors")
        for c in d["top_corridors"]:
            click.echo(f"    {c['origin']} → {c['destination']}  {c['stock']:>12,}")
        click.echo(
            "  trend: " + "  ".join(f"{t['year']}: {t['intra_stock']:,}" for t in d["trend"])
        )
        click.echo(f"source: {d['source']}")

    emit(payload, as_json, text)
