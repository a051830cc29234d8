"""``rcphub search``, ``rcphub index`` and ``rcphub reindex``: search every passage (``--json``
prints what ``GET /api/v1/search`` answers), and bring this node's search index up to date or
rebuild it from the database.
"""

from __future__ import annotations

import contextlib
import html
import re
from typing import Any

import click

from rcphub.cli.support import JSON_OPTION, emit, handle_errors, operator
from rcphub.config import HELP_OPTIONS, LANGUAGES
from rcphub.search.schemas import (
    DEFAULT_MODE,
    SearchMode,
    SearchQuery,
    SearchResult,
    search_payload,
)

_MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


def _terminal(highlighted: str) -> str:
    marked = _MARK.sub(lambda m: click.style(html.unescape(m.group(1)), bold=True), highlighted)
    return html.unescape(marked)


def _print(result: SearchResult) -> None:
    click.echo(f"{result.total} passages ({result.mode.value})")
    if result.pending_documents:
        click.echo(f"(the index is behind: {result.pending_documents} documents wait)")
    for number, hit in enumerate(result.hits, start=result.offset + 1):
        title = hit.citation.symbol or hit.citation.title or hit.document
        why = " and ".join(hit.matched)
        click.echo(f"\n{number}. {title} ¶{hit.ref} [{hit.language}] {hit.citation.url} (by {why})")
        click.echo("   " + _terminal(hit.highlight))
    if result.related:
        click.echo(f"\nRelated passages (close in meaning, not matches): {len(result.related)}")
        for hit in result.related:
            title = hit.citation.symbol or hit.citation.title or hit.document
            click.echo(f"\n- {title} ¶{hit.ref} [{hit.language}] {hit.citation.url}")
            click.echo("   " + _terminal(hit.highlight))
    shown = {k: v for k, v in result.facets.items() if v}
    if shown:
        click.echo("")
        for name, values in shown.items():
            click.echo(f"{name}: " + ", ".join(f"{f.value} ({f.count})" for f in values[:8]))


@click.command("search", context_settings=HELP_OPTIONS)
@click.argument("query", required=False, default="")
@click.option(
    "--mode",
    type=click.Choice([m.value for m in SearchMode]),
    default=DEFAULT_MODE.value,
    show_default=True,
    help="keyword, semantic (cross-lingual) or hybrid.",
)
@click.option(
    "--lang", "langs", multiple=True, type=click.Choice(LANGUAGES), help="Language (repeatable)."
)
@click.option("--process", "processes", multiple=True, help="Process ID (repeatable).")
@click.option("--state", "states", multiple=True, help="ISO3 of a state mentioned (repeatable).")
@click.option("--org", "orgs", multiple=True, help="Organisation ID mentioned (repeatable).")
@click.option("--type", "types", multiple=True, help="Document type (repeatable).")
@click.option("--year", "years", multiple=True, help="Year or range 2010..2015 (repeatable).")
@click.option("--limit", type=int, default=20, show_default=True, help="Hits to show (1-100).")
@click.option("--offset", type=int, default=0, help="Hits to skip.")
@JSON_OPTION
@click.pass_obj
@handle_errors
def search_command(
    ctx: Any,
    query: str,
    mode: str,
    langs: tuple[str, ...],
    processes: tuple[str, ...],
    states: tuple[str, ...],
    orgs: tuple[str, ...],
    types: tuple[str, ...],
    years: tuple[str, ...],
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """Search every passage: words (any form, any of the six languages), "phrases", OR,
    -exclusions and filters (process: state: org: lang: type: year:)."""
    from rcphub.search.service import SearchService

    service = SearchService.from_settings(ctx.settings)
    search = SearchQuery(
        q=query,
        mode=SearchMode(mode),
        lang=list(langs),
        process=list(processes),
        state=list(states),
        org=list(orgs),
        type=list(types),
        year=list(years),
        limit=limit,
        offset=offset,
    )
    from rcphub.search.indexer import BackgroundIndexer

    # Not a server request: bring this node's index up to date first (as `rcphub index`), so
    # that what `rcphub ingest` just stored is found; with a server holding the index, its
    # indexer is on it and the search answers from the index as it is.
    BackgroundIndexer(ctx.database, service).run_once(blocking=False)
    with ctx.database.session() as session:
        result = service.search(session, search, operator())
    emit(search_payload(result), as_json, lambda _payload: _print(result))


@click.command("reindex", context_settings=HELP_OPTIONS)
@click.option(
    "--embeddings", is_flag=True, help="Recompute every embedding (default: reuse unchanged)."
)
@click.pass_obj
@handle_errors
def reindex_command(ctx: Any, embeddings: bool) -> None:
    """Rebuild the search index from the database (with a progress bar)."""
    from rcphub.search.service import SearchService

    service = SearchService.from_settings(ctx.settings)
    with ctx.database.session() as session:
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = click.progressbar(length=max(total, 1), label="Indexing passages")
                bar.__enter__()
            bar.update(done - bar.pos)

        try:
            outcome = service.rebuild(session, progress, reuse_vectors=not embeddings)
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    status = service.status()
    click.echo(
        f"indexed {outcome['passages']:.0f} passages in {outcome['seconds']:.1f} s; "
        f"index {int(status['size_bytes']) / 1e6:.1f} MB"  # type: ignore[call-overload]
    )


@click.command("index", context_settings=HELP_OPTIONS)
@click.option(
    "--follow",
    is_flag=True,
    help="Keep running: apply new changes as they arrive (until interrupted).",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1, max=3600),
    default=1.0,
    show_default=True,
    help="With --follow: seconds between two looks at the database.",
)
@click.pass_obj
@handle_errors
def index_command(ctx: Any, follow: bool, interval: float) -> None:
    """Bring this node's search index up to date with the database: tag waiting documents,
    build the index if there is none, apply every waiting change. `rcphub serve` does the same
    in the background; run this to index without a server (or beside one: they share the
    index's lock)."""
    from rcphub.documents import Ingestor
    from rcphub.search.indexer import BackgroundIndexer
    from rcphub.search.service import SearchService
    from rcphub.themes import pending_documents

    service = SearchService.from_settings(ctx.settings)
    ingestor = Ingestor(ctx.database, embedder=service.embedder.inner)

    def tag_queued() -> None:
        with ctx.database.session() as session:
            queued = pending_documents(session)
        if queued:
            ingestor.apply_tags(queued)

    indexer = BackgroundIndexer(ctx.database, service, before_round=tag_queued, interval=interval)
    if follow:
        click.echo("indexing changes as they arrive (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            indexer.follow()
        click.echo(f"applied {indexer.state.applied} changes")
        return
    applied = indexer.catch_up()
    status = service.status()
    click.echo(f"applied {applied} changes; index holds {status['passages']} passages")
