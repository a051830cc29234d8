"""``rcphub serve`` and ``rcphub settings``: the hub over HTTP, and the settings it reads."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from rcphub import __version__
from rcphub.cli.support import Context, handle_errors, pass_context
from rcphub.config import SETTINGS_HELP


@click.command()
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
    with _webhook_deliverer(settings, database):
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


def _serve_workers(settings, database, workers: int, warm_up: bool) -> None:  # type: ignore[no-untyped-def]
    """``serve --workers N``: the database is prepared here, once; the workers (spawned by
    uvicorn) build their apps, warm up and index; the webhook deliverer runs here, once."""
    from rcphub.serving import run_workers

    click.echo(
        f"rcphub {__version__} on http://{settings.host}:{settings.port} with {workers} workers "
        f"(database {settings.safe_database_url}); each indexes in the background"
    )
    with _webhook_deliverer(settings, database):
        run_workers(settings, workers, warm_up=warm_up)


@contextlib.contextmanager
def _webhook_deliverer(settings, database) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The webhook deliverer in a thread of this process while the server runs (unless
    RCPHUB_WEBHOOK_DELIVERER is off), stopped after it."""
    if not settings.webhook_deliverer:
        yield
        return
    from rcphub.webhooks.delivery import start_in_background

    thread, stop = start_in_background(database)
    click.echo("webhook deliverer running")
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=settings.webhook_timeout_seconds + 1)


@click.command("settings")
def settings_command() -> None:
    """List the settings (environment variables), their defaults and what they do."""
    for name, (default, text) in SETTINGS_HELP.items():
        click.echo(f"{name}\n    {text}\n    default: {default or '(none)'}")
