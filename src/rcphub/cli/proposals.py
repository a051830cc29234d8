"""``rcphub proposals``: contributors' proposals (documents, changes to a process's record)
listed, approved and rejected from the command line, acting as the operator of the machine
(``cli:<os user>`` in history and audit). ``--json`` prints what the API returns."""

from __future__ import annotations

import json
from typing import Any

import click

from rcphub.cli.support import JSON_OPTION, emit, handle_errors, operator, pass_context


def _proposal_line(p: Any) -> str:
    what = p.filename if p.kind == "document" else f"{p.kind} {p.target}"
    return f"#{p.id:<5} {p.status:9} {p.proposed_by:16} {p.proposed_at}  {what}"


@click.group()
def proposals() -> None:
    """Contributors' proposals (documents, changes to a process's record): list, approve,
    reject."""


@proposals.command("list")
@click.option(
    "--status",
    type=click.Choice(["pending", "approved", "rejected", "all"]),
    default="pending",
    show_default=True,
)
@click.option("--process", help="Only those concerning this process.")
@JSON_OPTION
@pass_context
@handle_errors
def proposals_list(ctx, status, process, as_json) -> None:  # type: ignore[no-untyped-def]
    """List proposals, newest first."""
    from rcphub.documents.proposals import list_proposals

    with ctx.database.session() as session:
        found = list_proposals(
            session, operator(), status=None if status == "all" else status, process=process
        )
    payload = {"total": len(found), "proposals": [p.model_dump(mode="json") for p in found]}
    lines = [_proposal_line(p) for p in found]
    emit(payload, as_json, "\n".join([*lines, f"{len(found)} proposals"]), indent=None)


@proposals.command("show")
@click.argument("proposal_id", type=int)
@JSON_OPTION
@pass_context
@handle_errors
def proposals_show(ctx, proposal_id, as_json) -> None:  # type: ignore[no-untyped-def]
    """One proposal, with the changes it proposes."""
    from rcphub.documents.proposals import get_proposal

    with ctx.database.session() as session:
        found = get_proposal(session, operator(), proposal_id)
    text = _proposal_line(found)
    if found.changes:
        text += "\n" + json.dumps(found.changes, ensure_ascii=False, indent=2)
    if found.comment:
        text += f"\nwhy: {found.comment}"
    emit(found, as_json, text, indent=None)


@proposals.command("approve")
@click.argument("proposal_id", type=int)
@JSON_OPTION
@pass_context
@handle_errors
def proposals_approve(ctx, proposal_id, as_json) -> None:  # type: ignore[no-untyped-def]
    """Approve a proposal: a document is ingested, a change made (its history names the
    proposer)."""
    from rcphub.documents import Ingestor
    from rcphub.editing.proposals import approve_proposal

    found = approve_proposal(ctx.database, Ingestor(ctx.database), operator(), proposal_id)
    emit(found, as_json, f"approved proposal {found.id}", indent=None)


@proposals.command("reject")
@click.argument("proposal_id", type=int)
@click.option("--reason", required=True, help="Why (the proposer sees it).")
@JSON_OPTION
@pass_context
@handle_errors
def proposals_reject(ctx, proposal_id, reason, as_json) -> None:  # type: ignore[no-untyped-def]
    """Reject a proposal with a reason."""
    from rcphub.documents.proposals import reject

    found = reject(ctx.database, operator(), proposal_id, reason)
    emit(found, as_json, f"rejected proposal {found.id}", indent=None)
