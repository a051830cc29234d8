"""``rcphub ingest`` and ``rcphub documents``: outcome documents stored, listed, shown, linked
as language versions and made public or restricted, as the operator of the machine."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from rcphub.cli.support import JSON_OPTION, Context, emit, handle_errors, operator, pass_context
from rcphub.config import LANGUAGES
from rcphub.errors import NotFound


@click.command()
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
    help="Tag the new documents' passages with themes (with --embed: in the worker processes, "
    "from the embeddings just computed, stored with the document; else right after storing "
    "them); with --no-tag they stay queued for `rcphub themes retag --queued` (or the next "
    "server start).",
)
@click.option(
    "--embed/--no-embed",
    default=True,
    show_default=True,
    help="Compute each passage's embedding (shared by the theme tagger and every node's "
    "search index) in the worker processes, with the rest; with --no-embed the tagger or the "
    "search index computes it when it first needs it, in one process.",
)
@click.option(
    "--index/--no-index",
    default=True,
    show_default=True,
    help="If this node has a search index, keep it in step: a thread takes in the stored "
    "documents while the workers go on, so they are searchable when the command ends (it shares "
    "the index's lock with `rcphub serve` and `rcphub index`). A node without one gets it from "
    "`rcphub index` or `rcphub serve`.",
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
    index: bool,
    as_json: bool,
) -> None:
    """Ingest outcome documents (.txt .md .html .docx .pdf; folders recursively).

    Each file is stored whole or not at all; a file that fails is reported and the batch goes
    on. Ingesting the same file again changes nothing. Exits 1 if any file failed.
    """
    from rcphub.documents import IngestOptions, Ingestor, iter_files, passages_of, submission
    from rcphub.documents.ingest import default_workers
    from rcphub.documents.service import ingest_lines
    from rcphub.search.indexer import BackgroundIndexer, indexing_alongside
    from rcphub.themes import pending_documents

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")

    search = _node_index(ctx) if index else None
    # one model in this process, if the tagger or the index must embed here (--no-embed)
    embedder = search.embedder.inner if search is not None else None
    ingestor = Ingestor(ctx.database, tag=tag, embed=embed, embedder=embedder)
    options = IngestOptions(
        processes=list(processes),
        meetings=list(meetings),
        actor=operator(),
        visibility="restricted" if restricted else "public",
    )
    files = list(iter_files(paths))
    show_bar = sys.stderr.isatty() and not as_json
    alongside = (
        indexing_alongside(ctx.database, search)
        if search is not None and embed
        else contextlib.nullcontext()
    )
    with (
        alongside,
        click.progressbar(
            length=len(files), label="ingesting", file=sys.stderr, hidden=not show_bar
        ) as bar,
    ):
        results = submission.submit_paths(  # refused (an error) before any file is read
            ingestor,
            options,
            files,
            progress=lambda _o: bar.update(1),
            workers=workers or default_workers(),
        )
    created = [r.document_id for r in results if r.status == "created" and r.document_id]
    to_tag = 0
    if tag and created:
        with ctx.database.session() as session:
            queued = set(pending_documents(session)).intersection(created)
            to_tag = passages_of(session, list(queued)) if queued else 0
    if tag and to_tag:  # documents the tagger did not tag with the rest (ingest --no-embed)
        with click.progressbar(
            length=to_tag or 1, label="tagging themes", file=sys.stderr, hidden=not show_bar
        ) as bar:
            ingestor.apply_tags(created, progress=bar.update)
    if search is not None:  # what the thread left, and with --no-embed all of it
        BackgroundIndexer(ctx.database, search).catch_up()
    errors = [r.outcome() for r in results if r.outcome().error]
    with ctx.database.session() as session:
        if as_json:
            click.echo(
                submission.submission_report(session, results, operator()).model_dump_json(indent=2)
            )
        else:
            lines = ingest_lines(session, [r.outcome() for r in results])
    if not as_json:
        new = set(created)
        for doc, mentions in lines:
            state = "new" if doc.id in new else "already stored"
            click.echo(
                f"{doc.id}  {doc.language}  {doc.passage_count:>4} passages  "
                f"{mentions:>4} mentions  {state}  {doc.filename}"
            )
        for error in errors:
            click.echo(f"error: {error.error}", err=True)
        click.echo(f"{len(new)} new, {len(lines) - len(new)} already stored, {len(errors)} failed")
    if errors:
        sys.exit(1)


def _node_index(ctx: Context) -> Any:
    """This node's search service, if the node has an index to keep in step."""
    from rcphub.search.service import SearchService

    service = SearchService.from_settings(ctx.settings)
    return None if service.needs_rebuild() else service


@click.group()
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

    emit(payload, as_json, text)


@documents.command("show")
@click.argument("document_id")
@click.option("--ref", help="Only this passage (e.g. 8.b, fn1).")
@JSON_OPTION
@pass_context
@handle_errors
def documents_show(ctx: Context, document_id: str, ref: str | None, as_json: bool) -> None:
    """Show a document's metadata and its passages with their refs."""
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

    emit(payload, as_json, text)


@documents.command("link")
@click.argument("document_id")
@click.argument("other_id")
@pass_context
@handle_errors
def documents_link(ctx: Context, document_id: str, other_id: str) -> None:
    """Record two documents as language versions of one work."""
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
    from rcphub.documents import set_visibility

    with ctx.database.session() as session:
        doc = set_visibility(session, document_id, visibility, operator())
    click.echo(f"{doc.id} is {doc.visibility}")
