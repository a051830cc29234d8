"""The `rcphub` command: a thin skin over the services.

Each command parses its options, calls one service and prints text or, with ``--json``, the same
JSON as the API. Domain errors become ``error: <message>`` on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from rcphub import __version__, registry
from rcphub.accounts.policy import SYSTEM
from rcphub.cli.support import (  # re-exported: command modules may import them from here
    JSON_OPTION,
    LANG_OPTION,
    Context,
    handle_errors,
    pass_context,
)
from rcphub.config import HELP_OPTIONS, LANGUAGES, SETTINGS_HELP, load_settings
from rcphub.errors import NotFound
from rcphub.localize import add_display_names, pick_name
from rcphub.refdata import KINDS

REPORT_FRAMEWORKS = ("hld2013", "gcm", "sdg")  # rcphub.reports.FRAMEWORKS, without importing it
REPORT_FORMATS = ("html", "md", "docx", "pdf", "json")


def emit(payload: Any, as_json: bool, lang: str | None, text: Callable[[Any], None]) -> None:
    if lang:
        payload = add_display_names(payload, lang)
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        text(payload)


def _name(names: dict[str, str], lang: str | None) -> str:
    name, actual = pick_name(names, lang or "en")
    if name is None:
        return "?"
    return name if actual == (lang or "en") else f"{name} [{actual}]"


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


@main.command()
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default 8000).")
@click.option(
    "--no-warm-up",
    "warm_up",
    flag_value=False,
    default=True,
    help="Do not load the search model nor request the analytics pages before listening "
    "(starts a few seconds sooner; the first visitor of each then waits for it).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes answering on the one port (each with its own database connections, "
    "read cache and indexer thread; they share this node's search index). About one per core.",
)
@pass_context
@handle_errors
def serve(ctx: Context, host: str | None, port: int | None, warm_up: bool, workers: int) -> None:
    """Serve the hub (pages and JSON API) over HTTP; prepares the database and the analytics
    pages first, and listens while a background indexer tags and indexes waiting documents.
    With --workers N, N processes serve one port (see docs/operations.md). On an address
    other than loopback it refuses to start while RCPHUB_WEBHOOK_KEY is a placeholder or
    short, or the key file is readable by others."""
    import uvicorn

    from rcphub.app import create_app
    from rcphub.exposure import check_listening
    from rcphub.logs import log_config
    from rcphub.web.warmup import warm_pages

    settings = ctx.settings.model_copy(
        update={k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    )
    check_listening(settings)  # before anything is prepared: a refusal is at once
    database = ctx.database
    if workers > 1:
        _serve_workers(settings, database, workers, warm_up)
        return
    app = create_app(settings, database=database)
    indexer = app.state.indexer.start()  # tags and indexes what waits, while the server listens
    with database.session() as session:
        waiting = app.state.search.pending_documents(session)
    click.echo(
        "search index: building in the background"
        if app.state.search.needs_rebuild()
        else f"search index: {waiting} documents to index, in the background"
    )
    if warm_up:
        app.state.search.warm_up()
        warm = warm_pages(app)
        click.echo(
            f"analytics pages warmed in {warm.seconds:.1f} s ({len(warm.pages)} requests"
            + (f", {len(warm.failed)} failed" if warm.failed else "")
            + ")"
        )
    click.echo(
        f"rcphub {__version__} on http://{settings.host}:{settings.port} "
        f"(database {settings.safe_database_url})"
    )
    deliverer = None
    if settings.webhook_deliverer:
        from rcphub.webhooks.delivery import start_in_background

        deliverer = start_in_background(database)
        click.echo("webhook deliverer running")
    try:
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_level="info",
            log_config=log_config(settings),
            # X-Forwarded-For only from RCPHUB_TRUSTED_PROXIES, in the app (rcphub.app)
            proxy_headers=False,
        )
    finally:
        indexer.stop(timeout=10)
        if deliverer is not None:
            thread, stop = deliverer
            stop.set()
            thread.join(timeout=settings.webhook_timeout_seconds + 1)


def _serve_workers(settings, database, workers: int, warm_up: bool) -> None:  # type: ignore[no-untyped-def]
    """``serve --workers N``: the database is prepared here, once; the workers (spawned by
    uvicorn) build their apps, warm up and index; the webhook deliverer runs here, once."""
    from rcphub.serving import run_workers

    click.echo(
        f"rcphub {__version__} on http://{settings.host}:{settings.port} with {workers} workers "
        f"(database {settings.safe_database_url}); each indexes in the background"
    )
    deliverer = None
    if settings.webhook_deliverer:
        from rcphub.webhooks.delivery import start_in_background

        deliverer = start_in_background(database)
        click.echo("webhook deliverer running")
    try:
        run_workers(settings, workers, warm_up=warm_up)
    finally:
        if deliverer is not None:
            thread, stop = deliverer
            stop.set()
            thread.join(timeout=settings.webhook_timeout_seconds + 1)


@main.command()
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
    from rcphub.cli.accounts import operator
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


@main.command("backup")
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


@main.command("restore")
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


@main.command("settings")
def settings_command() -> None:
    """List the settings (environment variables), their defaults and what they do."""
    for name, (default, text) in SETTINGS_HELP.items():
        click.echo(f"{name}\n    {text}\n    default: {default or '(none)'}")


# ---------------------------------------------------------------------------- processes


@main.group()
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

    emit(payload, as_json, lang, text)


@main.group()
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

    emit(payload, as_json, lang, text)


# ---------------------------------------------------------------------------- countries


@main.group()
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

    emit(payload, as_json, lang, text)


@main.group()
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

    emit(payload, as_json, lang, text)


# ---------------------------------------------------------------------------- meetings, taxonomies


@main.group()
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

    emit(payload, as_json, lang, text)


@main.group()
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

    emit(payload, as_json, None, text)


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

    emit(payload, as_json, lang, text)


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
    text = export_scheme(scheme, fmt, f"{base}/taxonomies/")
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{scheme.id}: {scheme.concept_count} concepts written to {output}", err=True)


# ---------------------------------------------------------------------------- documents


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--process", "processes", multiple=True, help="Link the documents to this process.")
@click.option("--meeting", "meetings", multiple=True, help="Link the documents to this meeting.")
@click.option(
    "--restricted",
    is_flag=True,
    help="Store new documents as restricted: only members and the secretariat of their "
    "--process(es) (and admins) can read them. Default: public.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Processes that read, parse and link in parallel (default: one per CPU; 1: none).",
)
@click.option(
    "--tag/--no-tag",
    default=True,
    show_default=True,
    help="Tag the new documents' passages with themes right after storing them; with "
    "--no-tag they stay queued for `rcphub themes retag --queued` (or the next server start).",
)
@click.option(
    "--embed/--no-embed",
    default=True,
    show_default=True,
    help="Compute each passage's embedding (shared by the theme tagger and every node's "
    "search index) in the worker processes, with the rest; with --no-embed the tagger or the "
    "search index computes it when it first needs it, in one process.",
)
@JSON_OPTION
@pass_context
@handle_errors
def ingest(
    ctx: Context,
    paths: tuple[Path, ...],
    processes: tuple[str, ...],
    meetings: tuple[str, ...],
    restricted: bool,
    workers: int | None,
    tag: bool,
    embed: bool,
    as_json: bool,
) -> None:
    """Ingest outcome documents (.txt .md .html .docx .pdf; folders recursively).

    Each file is stored whole or not at all; a file that fails is reported and the batch goes
    on. Ingesting the same file again changes nothing. Exits 1 if any file failed.
    """
    from rcphub.documents import IngestOptions, Ingestor, ingest_report, iter_files, passages_of
    from rcphub.documents.ingest import default_workers

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")
    from rcphub.cli.accounts import operator

    ingestor = Ingestor(ctx.database, tag=tag, embed=embed)
    options = IngestOptions(
        processes=list(processes),
        meetings=list(meetings),
        actor=operator(),
        visibility="restricted" if restricted else "public",
    )
    ingestor.check_options(options)
    files = list(iter_files(paths))
    show_bar = sys.stderr.isatty() and not as_json
    with click.progressbar(
        length=len(files), label="ingesting", file=sys.stderr, hidden=not show_bar
    ) as bar:
        outcomes = ingestor.ingest_paths(
            files, options, progress=lambda _o: bar.update(1), workers=workers or default_workers()
        )
    created = [o.document_id for o in outcomes if o.created and o.document_id]
    if tag and created:
        with ctx.database.session() as session:
            to_tag = passages_of(session, created)
        with click.progressbar(
            length=to_tag or 1, label="tagging themes", file=sys.stderr, hidden=not show_bar
        ) as bar:
            ingestor.apply_tags(created, progress=bar.update)
    with ctx.database.session() as session:
        report = ingest_report(session, outcomes, operator())
    if as_json:
        click.echo(report.model_dump_json(indent=2))
    else:
        for doc in report.documents:
            state = "new" if doc.id in report.created else "already stored"
            click.echo(
                f"{doc.id}  {doc.language}  {doc.passage_count:>4} passages  "
                f"{len(doc.mentions):>4} mentions  {state}  {doc.filename}"
            )
        for error in report.errors:
            click.echo(f"error: {error.error}", err=True)
        click.echo(
            f"{len(report.created)} new, {len(report.documents) - len(report.created)} "
            f"already stored, {len(report.errors)} failed"
        )
    if report.errors:
        sys.exit(1)


@main.group()
def documents() -> None:
    """Stored outcome documents."""


@documents.command("list")
@click.option("--language", type=click.Choice(LANGUAGES), help="Only this language.")
@click.option("--type", "doc_type", help="Only this type (chair-summary, declaration, ...).")
@click.option("--process", help="Only documents linked to this process.")
@click.option("--mentions", help="Only documents mentioning this entity (state:PER, org:iom).")
@JSON_OPTION
@pass_context
@handle_errors
def documents_list(
    ctx: Context,
    language: str | None,
    doc_type: str | None,
    process: str | None,
    mentions: str | None,
    as_json: bool,
) -> None:
    """List documents, newest first (restricted ones too: the operator reads everything)."""
    from rcphub.cli.accounts import operator
    from rcphub.documents import list_documents

    with ctx.database.session() as session:
        total, found = list_documents(
            session,
            viewer=operator(),
            language=language,
            doc_type=doc_type,
            link=f"process:{process}" if process else None,
            mentions=mentions,
        )
    payload = {"total": total, "documents": [d.model_dump(mode="json") for d in found]}

    def text(data: dict[str, Any]) -> None:
        for d in data["documents"]:
            click.echo(
                f"{d['id']}  {d['language']}  {d['date'] or '-':10}  {d['type']:14} "
                f"{'restricted  ' if d['visibility'] == 'restricted' else ''}"
                f"{(d['title'] or d['filename'])[:70]}"
            )
        click.echo(f"{data['total']} found")

    emit(payload, as_json, None, text)


@documents.command("show")
@click.argument("document_id")
@click.option("--ref", help="Only this passage (e.g. 8.b, fn1).")
@JSON_OPTION
@pass_context
@handle_errors
def documents_show(ctx: Context, document_id: str, ref: str | None, as_json: bool) -> None:
    """Show a document's metadata and its passages with their refs."""
    from rcphub.cli.accounts import operator
    from rcphub.documents import get_document

    with ctx.database.session() as session:
        doc = get_document(session, document_id, operator())
    if ref is not None and not any(p.ref == ref for p in doc.passages):
        raise NotFound("passage", f"{doc.id} {ref}")
    payload = doc.model_dump(mode="json")

    def text(d: dict[str, Any]) -> None:
        click.echo(f"{d['title'] or d['filename']}")
        click.echo(
            f"id {d['id']}  {d['language']}  {d['date'] or '-'}  {d['type']}  "
            f"symbol {d['symbol'] or '-'}  versions {len(d['versions'])}  {d['visibility']}"
        )
        for p in d["passages"]:
            if ref is None or p["ref"] == ref:
                click.echo(f"\n[{p['ref']}] {p['text']}")

    emit(payload, as_json, None, text)


@documents.command("link")
@click.argument("document_id")
@click.argument("other_id")
@pass_context
@handle_errors
def documents_link(ctx: Context, document_id: str, other_id: str) -> None:
    """Record two documents as language versions of one work."""
    from rcphub.cli.accounts import operator
    from rcphub.documents import link_versions

    with ctx.database.session() as session:
        doc = link_versions(session, document_id, other_id, operator())
    languages = ", ".join(sorted({doc.language, *(v.language for v in doc.versions)}))
    click.echo(f"{doc.id} now has {len(doc.versions)} other version(s): {languages}")


@documents.command("visibility")
@click.argument("document_id")
@click.argument("visibility", type=click.Choice(["public", "restricted"]))
@pass_context
@handle_errors
def documents_visibility(ctx: Context, document_id: str, visibility: str) -> None:
    """Make a document public, or restricted to the members and secretariat of the processes
    it is filed under (recorded in the audit log)."""
    from rcphub.cli.accounts import operator
    from rcphub.documents import set_visibility

    with ctx.database.session() as session:
        doc = set_visibility(session, document_id, visibility, operator())
    click.echo(f"{doc.id} is {doc.visibility}")


# ---------------------------------------------------------------------------- analytics


@main.group("analytics")
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

    emit(payload.model_dump(mode="json"), as_json, None, text)


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

    emit(payload.model_dump(mode="json"), as_json, None, text)


@main.group()
def report() -> None:
    """Reports built from the hub's documents."""


@report.command("synthesis")
@click.option(
    "--framework",
    required=True,
    type=click.Choice(REPORT_FRAMEWORKS),
    help="Themes to organise the report by: hld2013 (the four round tables of the 2013"
    " High-level Dialogue), gcm (the 23 GCM objectives) or sdg (SDG targets).",
)
@click.option(
    "--process",
    "processes",
    multiple=True,
    metavar="ID",
    help="Only this process (repeatable; default every process and the global meetings).",
)
@click.option("--from", "year_from", type=int, metavar="YEAR", help="First year of documents.")
@click.option("--to", "year_to", type=int, metavar="YEAR", help="Last year of documents.")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the headings and citations (quotations stay in their own).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    help="Output format (default: from the extension of -o).",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write ('-' for standard output).",
)
@click.option(
    "--base-url",
    help="Start of the links back to the cited paragraphs (default http://HOST:PORT of the"
    " settings).",
)
@pass_context
@handle_errors
def report_synthesis(
    ctx: Context,
    framework: str,
    processes: tuple[str, ...],
    year_from: int | None,
    year_to: int | None,
    lang: str,
    fmt: str | None,
    output: Path,
    base_url: str | None,
) -> None:
    """Write a synthesis report: per theme of the framework, what each process said (tagged
    paragraphs, quoted in their language) and recommended (tracked follow-up items), each
    cited to its paragraph with a link back."""
    import time

    from rcphub.errors import InvalidInput
    from rcphub.reports import SynthesisQuery, render_report
    from rcphub.wording.report import synthesis_document

    if fmt is None:
        fmt = output.suffix.lstrip(".").lower()
        fmt = {"markdown": "md", "htm": "html"}.get(fmt, fmt)
        if fmt not in REPORT_FORMATS:
            raise InvalidInput(
                f"cannot tell the format from {output.name!r}: give --format"
                f" ({', '.join(REPORT_FORMATS)})"
            )
    query = SynthesisQuery(
        framework=framework,
        processes=list(processes),
        year_from=year_from,
        year_to=year_to,
        lang=lang,
    )
    base = base_url or f"http://{ctx.settings.host}:{ctx.settings.port}"
    started = time.perf_counter()
    with ctx.database.session() as session:
        from rcphub.cli.accounts import operator

        document = synthesis_document(session, query, base_url=base, viewer=operator())
    if fmt == "json":
        data = document.model_dump_json(indent=2).encode("utf-8")
    else:
        data = render_report(document, fmt)
    if str(output) == "-":
        click.get_binary_stream("stdout").write(data)
        return
    partial = output.with_name(output.name + ".partial")
    partial.write_bytes(data)
    partial.replace(output)
    themes = sum(1 for _ in document.sections)
    click.echo(
        f"wrote {output} ({fmt}, {len(data):,} bytes): {themes} themes with content,"
        f" {len(document.gaps)} without, in {time.perf_counter() - started:.1f} s",
        err=True,
    )


def _digest_composer(settings):  # type: ignore[no-untyped-def]
    """What words the e-mail digests (imported when ``rcphub digests send`` runs)."""
    from rcphub.wording.digest import DigestComposer

    return DigestComposer.from_settings(settings)


def _register_commands() -> None:
    """Commands that live with their capability (imported here, last, because some of them
    use this module's helpers)."""
    from rcphub.cli.accounts import register as register_account_commands
    from rcphub.cli.editing import register as register_editing_commands
    from rcphub.cli.exchange import register as register_exchange_commands
    from rcphub.cli.followup import followup_group
    from rcphub.cli.proposals import register as register_people_commands
    from rcphub.cli.search import index_command, reindex_command, search_command
    from rcphub.cli.themes import themes_group
    from rcphub.cli.webhooks import register as register_webhook_commands

    main.add_command(search_command)
    main.add_command(reindex_command)
    main.add_command(index_command)
    main.add_command(themes_group)
    main.add_command(followup_group)
    register_account_commands(main, pass_context, handle_errors)
    register_webhook_commands(main, pass_context, handle_errors)
    register_editing_commands(main, pass_context, handle_errors)
    register_people_commands(main, pass_context, handle_errors)
    register_exchange_commands(main, pass_context, handle_errors, digest_composer=_digest_composer)


_register_commands()
