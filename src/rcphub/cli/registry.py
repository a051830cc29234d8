"""``rcphub processes``, ``process``, ``countries``, ``country``, ``meetings`` and
``taxonomies``: the registry from the command line, names in any of the six languages
(``--lang``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from rcphub import registry, urls
from rcphub.accounts.policy import SYSTEM
from rcphub.cli.support import (
    JSON_OPTION,
    LANG_OPTION,
    Context,
    emit,
    handle_errors,
    pass_context,
)
from rcphub.localize import pick_name
from rcphub.refdata import KINDS


def _name(names: dict[str, str], lang: str | None) -> str:
    name, actual = pick_name(names, lang or "en")
    if name is None:
        return "?"
    return name if actual == (lang or "en") else f"{name} [{actual}]"


# ---------------------------------------------------------------------------- processes


@click.group()
def processes() -> None:
    """Processes and organisations."""


@processes.command("list")
@click.option("--kind", type=click.Choice(KINDS), help="Only this kind.")
@click.option("--region", help="Only processes with members in this UN region (M49 code).")
@click.option(
    "--theme",
    help="Only processes under this theme of the hub's list (labour-migration, "
    "trafficking-smuggling, ...), or whose source tags contain this text.",
)
@LANG_OPTION
@JSON_OPTION
@pass_context
@handle_errors
def processes_list(
    ctx: Context,
    kind: str | None,
    region: str | None,
    theme: str | None,
    lang: str | None,
    as_json: bool,
) -> None:
    """List processes and organisations."""
    from rcphub.api.routes import processes_payload

    with ctx.database.session() as session:
        payload = processes_payload(session, kind=kind, region=region, theme=theme)

    def text(data: dict[str, Any]) -> None:
        for p in data["processes"]:
            complete = {True: "complete", False: "partial", None: "no list"}[p["members_complete"]]
            click.echo(
                f"{p['id']:30} {p['kind']:13} {p['established'] or '':>4}  "
                f"{p['member_count']:>3} members ({complete})  {_name(p['names'], lang)}"
            )
        click.echo(f"{data['total']} found")

    emit(payload, as_json, text, lang=lang)


@click.group()
def process() -> None:
    """One process or organisation."""


@process.command("show")
@click.argument("process_id")
@LANG_OPTION
@JSON_OPTION
@pass_context
@handle_errors
def process_show(ctx: Context, process_id: str, lang: str | None, as_json: bool) -> None:
    """Show a process with its members, observers, secretariat, chair and meetings."""
    with ctx.database.session() as session:
        found = registry.get_process(session, process_id, viewer=SYSTEM)  # the operator sees all
        payload = found.model_dump(mode="json")

    def text(p: dict[str, Any]) -> None:
        click.echo(f"{_name(p['names'], lang)} ({p['ref']})")
        click.echo(
            f"kind: {p['kind']}   acronym: {p['acronym'] or '-'}   "
            f"established: {p['established'] or '-'}"
        )
        for lst in p["membership_lists"]:
            status = {True: "complete", False: "partial", None: "completeness unknown"}
            click.echo(f"\n{lst['key']} ({status[lst['complete']]}; as of {lst['as_of'] or '-'})")
            if lst["description"]:
                click.echo(f"  {lst['description']}")
            for m in p["memberships"]:
                if m["list_key"] == lst["key"]:
                    extra = f" [{m['subgroup']}]" if m["subgroup"] else ""
                    click.echo(
                        f"  {m['party']:32} {m['role']}{extra}  "
                        f"{_name(m['party_detail']['names'], lang)}"
                    )
        if p["meetings"]:
            click.echo("\nmeetings")
            for m in p["meetings"]:
                click.echo(f"  {m['id']:12} {m['city'] or '-'} {m['dates_text'] or m['year']}")
        click.echo(f"\nsources: {len(p['sources'])}; confidence: {p['confidence'] or '-'}")

    emit(payload, as_json, text, lang=lang)


# ---------------------------------------------------------------------------- countries


@click.group()
def country() -> None:
    """One state or territory."""


@country.command("show")
@click.argument("iso3")
@LANG_OPTION
@JSON_OPTION
@pass_context
@handle_errors
def country_show(ctx: Context, iso3: str, lang: str | None, as_json: bool) -> None:
    """Show a state with every process it belongs to and in what role."""
    with ctx.database.session() as session:
        payload = registry.get_state(session, iso3).model_dump(mode="json")

    def text(s: dict[str, Any]) -> None:
        click.echo(f"{_name(s['names'], lang)} ({s['iso3']}, M49 {s['m49'] or '-'})")
        region = s["region"]["names"] if s["region"] else {}
        click.echo(
            f"region: {_name(region, lang) if region else '-'}   UN: {s['un_status'] or '-'}"
        )
        for m in s["memberships"]:
            extra = f" [{m['subgroup']}]" if m["subgroup"] else ""
            click.echo(f"  {m['process']:38} {m['role']}{extra}  {_name(m['names'], lang)}")

    emit(payload, as_json, text, lang=lang)


@click.group()
def countries() -> None:
    """States and territories."""


@countries.command("list")
@click.option("--region", help="Only this M49 region or sub-region code.")
@LANG_OPTION
@JSON_OPTION
@pass_context
@handle_errors
def countries_list(ctx: Context, region: str | None, lang: str | None, as_json: bool) -> None:
    """List states with the number of processes each is a member of."""
    from rcphub.api.routes import states_payload

    with ctx.database.session() as session:
        payload = states_payload(session, region=region)

    def text(data: dict[str, Any]) -> None:
        for s in data["states"]:
            click.echo(f"{s['iso3']}  {s['process_count']:>3}  {_name(s['names'], lang)}")
        click.echo(f"{data['total']} found")

    emit(payload, as_json, text, lang=lang)


# ---------------------------------------------------------------------------- meetings


@click.group()
def meetings() -> None:
    """Global meetings of RCPs, GFMD summits, High-level Dialogues, IMRF."""


@meetings.command("list")
@click.option(
    "--series", type=click.Choice(["grcp", "gfmd", "hld", "imrf", "process"]), help="One series."
)
@click.option("--year", type=int, help="One year.")
@click.option("--process", "process_id", help="Meetings of one process.")
@LANG_OPTION
@JSON_OPTION
@pass_context
@handle_errors
def meetings_list(
    ctx: Context,
    series: str | None,
    year: int | None,
    process_id: str | None,
    lang: str | None,
    as_json: bool,
) -> None:
    """List meetings, oldest first."""
    from rcphub.api.routes import meetings_payload

    with ctx.database.session() as session:
        payload = meetings_payload(
            session, series=series, year=year, process=process_id, viewer=SYSTEM
        )

    def text(data: dict[str, Any]) -> None:
        for m in data["meetings"]:
            place = ", ".join(x for x in (m["city"], m["country"]) if x) or "-"
            click.echo(
                f"{m['id']:12} {m['start_date'] or m['year']!s:10}  {place:28} "
                f"{(m['theme'] or '')[:60]}"
            )
        click.echo(f"{data['total']} found")

    emit(payload, as_json, text, lang=lang)


# ---------------------------------------------------------------------------- taxonomies


@click.group()
def taxonomies() -> None:
    """Thematic schemes: HLD 2013 round tables, GCM objectives and principles, SDGs."""


@taxonomies.command("list")
@JSON_OPTION
@pass_context
@handle_errors
def taxonomies_list(ctx: Context, as_json: bool) -> None:
    """List the schemes."""
    from rcphub.api.routes import taxonomies_payload

    with ctx.database.session() as session:
        payload = taxonomies_payload(session)

    def text(data: dict[str, Any]) -> None:
        for s in data["taxonomies"]:
            click.echo(f"{s['id']:16} {s['concept_count']:>4}  {s['names'].get('en', '')}")

    emit(payload, as_json, text)


@taxonomies.command("show")
@click.argument("scheme_id")
@LANG_OPTION
@JSON_OPTION
@pass_context
@handle_errors
def taxonomies_show(ctx: Context, scheme_id: str, lang: str | None, as_json: bool) -> None:
    """Show one scheme with its concepts."""
    with ctx.database.session() as session:
        payload = registry.get_scheme(session, scheme_id).model_dump(mode="json")

    def text(data: dict[str, Any]) -> None:
        for c in data["concepts"]:
            indent = "  " if c["parent"] else ""
            click.echo(f"{indent}{c['code']:6} {_name(c['labels'], lang)}")

    emit(payload, as_json, text, lang=lang)


@taxonomies.command("export")
@click.argument("scheme_id")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonld", "ttl"]), default="jsonld", show_default=True
)
@click.option(
    "--base-url",
    help="URL the hub is served at; concept IRIs are its taxonomy pages "
    "(default: http://HOST:PORT from the settings).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File.")
@pass_context
@handle_errors
def taxonomies_export(
    ctx: Context, scheme_id: str, fmt: str, base_url: str | None, output: Path | None
) -> None:
    """Export a scheme as SKOS (JSON-LD or Turtle), with the crosswalk as
    skos:closeMatch / skos:relatedMatch."""
    from rcphub.themes import export_scheme

    base = (base_url or f"http://{ctx.settings.host}:{ctx.settings.port}").rstrip("/")
    with ctx.database.session() as session:
        scheme = registry.get_scheme(session, scheme_id)
    text = export_scheme(scheme, fmt, base + urls.taxonomies() + "/")
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{scheme.id}: {scheme.concept_count} concepts written to {output}", err=True)
