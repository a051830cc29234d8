"""``rcphub followup``: recommendations and conclusions detected, confirmed, updated, imported
and exported from the command line; ``--json`` prints what the matching ``/api/v1/followup``
route answers. The actor recorded (on items, updates and in the audit log) is ``cli:<os user>``:
whoever runs the command on the machine has the database already, as for the other commands.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from rcphub import followup
from rcphub.cli.support import JSON_OPTION, emit, handle_errors, operator
from rcphub.config import HELP_OPTIONS
from rcphub.errors import InvalidInput

LIGHT_MARKS = {"green": "●green", "amber": "●amber", "red": "●red", "closed": "○closed"}
TODAY_OPTION = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Compute traffic lights as of this day (YYYY-MM-DD; default today).",
)


def _day(value: Any) -> date | None:
    return value.date() if value is not None else None


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _item_line(item: dict[str, Any]) -> str:
    light = item["light"]["colour"] if item["light"] else item["review"]
    return (
        f"#{item['id']:<5} {LIGHT_MARKS.get(light, light):<10} {item['document'][:8]} "
        f"{item['ref']:<6} {item['status']:<12} {item['progress']:>3}%  {_short(item['text'])}"
    )


def _print_item(item: dict[str, Any]) -> None:
    click.echo(_item_line(item))
    click.echo(f"  {item['kind']}, {item['review']}; source {item['document']} ¶{item['ref']}")
    if item["addressees"]:
        click.echo("  addressees: " + " ".join(item["addressees"]))
    if item["due_date"]:
        click.echo(f"  due: {item['due_date']}")
    if item["light"]:
        light = item["light"]
        click.echo(
            f"  light: {light['colour']} ({light['reason']}), since {light['last_activity']}"
        )
    click.echo("  " + item["text"])
    for event in item.get("timeline", []):
        line = f"  {event['date']}  {event['event']}"
        if event["update"]:
            u = event["update"]
            line += f": {u['status']} {u['progress']}%"
            if u["note"]:
                line += f" — {_short(u['note'], 60)}"
            if u["evidence"]:
                line += "  [" + " ".join(u["evidence"]) + "]"
        click.echo(line)


@click.group("followup", context_settings=HELP_OPTIONS)
def followup_group() -> None:
    """Recommendations and conclusions: detect, confirm, report updates, traffic lights."""


@followup_group.command("list")
@click.option("--process", help="Addressed to this process, or from its documents.")
@click.option("--meeting", help="From documents of this meeting (e.g. grcp-2013).")
@click.option("--document", help="From this document.")
@click.option("--addressee", help="Addressed to this entity (state:PER, org:iom).")
@click.option(
    "--review",
    type=click.Choice(["confirmed", "proposed", "rejected", "all"]),
    default="confirmed",
    show_default=True,
    help="Which items by review.",
)
@click.option("--status", type=click.Choice(followup.STATUSES), help="Only this status.")
@click.option("--light", type=click.Choice(followup.LIGHTS), help="Only this traffic light.")
@TODAY_OPTION
@JSON_OPTION
@click.pass_obj
@handle_errors
def list_command(ctx: Any, review: str, today: Any, as_json: bool, **filters: Any) -> None:
    """Tracked items with their traffic lights."""
    with ctx.database.session() as session:
        payload = followup.list_items(
            session,
            review=None if review == "all" else review,
            today=_day(today),
            viewer=operator(),
            **filters,
        ).model_dump(mode="json")

    def text(data: dict[str, Any]) -> None:
        counts = ", ".join(f"{k} {v}" for k, v in data["counts"].items() if v)
        click.echo(
            f"{data['total']} items as of {data['today']}" + (f" ({counts})" if counts else "")
        )
        for item in data["items"]:
            click.echo(_item_line(item))

    emit(payload, as_json, text)


@followup_group.command("show")
@click.argument("item_id", type=int)
@TODAY_OPTION
@JSON_OPTION
@click.pass_obj
@handle_errors
def show_command(ctx: Any, item_id: int, today: Any, as_json: bool) -> None:
    """One item with its timeline of updates."""
    with ctx.database.session() as session:
        payload = followup.get_item(session, item_id, _day(today), operator()).model_dump(
            mode="json"
        )
    emit(payload, as_json, _print_item)


@followup_group.command("detect")
@click.argument("document_id")
@JSON_OPTION
@click.pass_obj
@handle_errors
def detect_command(ctx: Any, document_id: str, as_json: bool) -> None:
    """Propose the recommendations, decisions, commitments, requests and conclusions found in a
    document, each with its kind and why."""
    with ctx.database.session() as session:
        payload = followup.detect_document(session, document_id, operator()).model_dump(mode="json")

    def text(data: dict[str, Any]) -> None:
        click.echo(f"{len(data['proposed'])} proposed in {data['document']}")
        for item in data["proposed"]:
            reasons = "; ".join(item["detection"]["reasons"]) if item["detection"] else ""
            click.echo(f"{_item_line(item)}\n        {item['kind']} — {reasons}")
        if data["already_tracked"]:
            click.echo("already tracked: " + ", ".join(data["already_tracked"]))

    emit(payload, as_json, text)


@followup_group.command("confirm")
@click.argument("item_ids", type=int, nargs=-1, required=True)
@click.option("--reject", is_flag=True, help="Reject instead of confirming.")
@JSON_OPTION
@click.pass_obj
@handle_errors
def confirm_command(ctx: Any, item_ids: tuple[int, ...], reject: bool, as_json: bool) -> None:
    """Confirm (or reject) proposed items; all or none."""
    decision = "reject" if reject else "confirm"
    with ctx.database.session() as session:
        done = [followup.review_item(session, i, decision, operator()) for i in item_ids]
    payload = done[0] if len(done) == 1 else {"items": [d.model_dump(mode="json") for d in done]}
    emit(payload, as_json, "\n".join(f"#{item.id} {item.review}" for item in done))


@followup_group.command("update")
@click.argument("item_id", type=int)
@click.option(
    "--status", required=True, type=click.Choice(followup.STATUSES), help="Status as of the date."
)
@click.option("--progress", type=click.IntRange(0, 100), help="% progress (completed: 100).")
@click.option("--note", default="", help="What happened.")
@click.option(
    "--evidence",
    multiple=True,
    help="An https:// address or document:<id>#<ref> of the hub (repeatable).",
)
@click.option(
    "--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="Day reported (default today)."
)
@JSON_OPTION
@click.pass_obj
@handle_errors
def update_command(
    ctx: Any,
    item_id: int,
    status: str,
    progress: int | None,
    note: str,
    evidence: tuple[str, ...],
    day: Any,
    as_json: bool,
) -> None:
    """Report a dated update on a confirmed item."""
    with ctx.database.session() as session:
        payload = followup.add_update(
            session,
            item_id,
            status=status,
            progress=progress,
            note=note,
            evidence=list(evidence),
            day=_day(day),
            actor=operator(),
        ).model_dump(mode="json")
    emit(payload, as_json, _print_item)


@followup_group.command("import")
@click.argument("what", type=click.Choice(["items", "updates"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@JSON_OPTION
@click.pass_obj
@handle_errors
def import_command(ctx: Any, what: str, path: Path, as_json: bool) -> None:
    """Import items or updates from CSV: every row is checked first; any bad row and nothing
    is written (import items before their updates)."""
    data = path.read_bytes()
    importer = followup.import_items_csv if what == "items" else followup.import_updates_csv
    with ctx.database.session() as session:
        payload = importer(session, data, operator()).model_dump()

    def text(d: dict[str, Any]) -> None:
        click.echo(
            f"{what}: {d['created']} created, {d['updated']} updated, {d['unchanged']} unchanged"
        )

    emit(payload, as_json, text)


@followup_group.command("export")
@click.argument("what", type=click.Choice(["items", "updates"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File.")
@click.option("--process", help="Addressed to this process, or from its documents.")
@click.option("--meeting", help="From documents of this meeting.")
@click.option("--document", help="From this document.")
@click.option(
    "--review",
    type=click.Choice(["confirmed", "proposed", "rejected", "all"]),
    default="all",
    show_default=True,
    help="Which items by review.",
)
@click.pass_obj
@handle_errors
def export_command(ctx: Any, what: str, output: Path | None, review: str, **filters: Any) -> None:
    """Export items or their updates as CSV (to stdout, or a file with -o)."""
    exporter = followup.export_items_csv if what == "items" else followup.export_updates_csv
    with ctx.database.session() as session:
        text = exporter(
            session, review=None if review == "all" else review, viewer=operator(), **filters
        )
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            raise InvalidInput(f"cannot write {output}: {exc.strerror}") from exc
        click.echo(f"wrote {text.count(chr(10)) - 1} rows to {output}", err=True)
