"""``rcphub themes``: theme tags of passages retagged, shown, confirmed and rejected from the
command line; ``--json`` prints what the API answers."""

from __future__ import annotations

import json
import sys

import click

from rcphub.cli.support import JSON_OPTION, handle_errors, operator, pass_context
from rcphub.config import HELP_OPTIONS
from rcphub.themes.schemas import Decision


@click.group("themes", context_settings=HELP_OPTIONS)
def themes_group() -> None:
    """Theme tags of passages: HLD 2013 round tables, GCM objectives, SDG targets."""


@themes_group.command("retag")
@click.option("--scheme", help="Only this scheme (hld2013, gcm or sdg); default: all three.")
@click.option("--document", "document_id", help="Only this document (ID or unique prefix).")
@click.option(
    "--queued",
    is_flag=True,
    help="Only the documents waiting for the tagger (ingested with --no-tag, or whose tagging "
    "failed).",
)
@JSON_OPTION
@pass_context
@handle_errors
def retag_command(  # type: ignore[no-untyped-def]
    ctx, scheme: str | None, document_id: str | None, queued: bool, as_json: bool
) -> None:
    """Tag passages again with the machine tagger.

    The machine's open suggestions are replaced; tags a person confirmed, rejected or added
    stay as they are (their score is refreshed). Each document is retagged in a transaction of
    its own, and queued for the search index.
    """
    from rcphub.documents import Ingestor
    from rcphub.themes.service import apply_tag_queue, pending_documents, retag, retag_targets

    database = ctx.database
    if queued and (scheme or document_id):
        raise click.UsageError("--queued tags whole documents: no --scheme or --document")
    with database.session() as session:
        if queued:
            total = retag_targets(session, document_ids=pending_documents(session))[2]
        else:
            total = retag_targets(session, scheme=scheme, document_id=document_id)[2]
    tagger = Ingestor(database).tagger
    tagger.warm_up()
    show_bar = sys.stderr.isatty() and not as_json
    with click.progressbar(
        length=total, label="tagging", file=sys.stderr, hidden=not show_bar
    ) as bar:
        if queued:
            report = apply_tag_queue(database, tagger, progress=bar.update)
        else:
            report = retag(
                database, tagger, scheme=scheme, document_id=document_id, progress=bar.update
            )
    if as_json:
        click.echo(report.model_dump_json(indent=2))
        return
    rate = report.passages / report.seconds if report.seconds else 0.0
    click.echo(
        f"{report.documents} documents, {report.passages} passages, "
        f"{report.suggestions} suggestions in {report.seconds:.1f} s ({rate:.0f} passages/s)"
    )


@themes_group.command("tags")
@click.argument("document_id")
@click.option("--ref", help="Only this passage (e.g. 10.d).")
@JSON_OPTION
@pass_context
@handle_errors
def tags_command(ctx, document_id: str, ref: str | None, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    """Show the tags of a document's passages."""
    from rcphub.themes.service import document_tags, passage_tags

    with ctx.database.session() as session:
        if ref is not None:
            passages = [passage_tags(session, document_id, ref)]
        else:
            passages = [p for p in document_tags(session, document_id).passages if p.tags]
    if as_json:
        click.echo(json.dumps([p.model_dump(mode="json") for p in passages], indent=2))
        return
    for passage in passages:
        for t in passage.tags:
            score = f"{t.score:.2f}" if t.score is not None else "   -"
            label = t.short_labels.get("en") or t.labels.get("en", "")
            click.echo(
                f"{passage.ref:8} {t.tag:14} {score}  {t.source.value:7} {t.status.value:9} "
                f"{label[:60]}"
            )


def _decide(decision: Decision):  # type: ignore[no-untyped-def]
    @click.argument("document_id")
    @click.argument("ref")
    @click.argument("tag")
    @JSON_OPTION
    @pass_context
    @handle_errors
    def command(ctx, document_id: str, ref: str, tag: str, as_json: bool) -> None:  # type: ignore[no-untyped-def]
        from rcphub.themes.service import decide_tag

        with ctx.database.session() as session:
            result = decide_tag(session, document_id, ref, tag, decision, actor=operator())
        if as_json:
            click.echo(result.model_dump_json(indent=2))
        else:
            click.echo(f"{ref} {result.tag}: {result.status.value} by {result.decided_by}")

    return command


themes_group.command(
    "confirm", help="Confirm a tag of a passage (adds it if the tagger did not suggest it)."
)(_decide(Decision.CONFIRM))
themes_group.command("reject", help="Reject a tag of a passage.")(_decide(Decision.REJECT))
