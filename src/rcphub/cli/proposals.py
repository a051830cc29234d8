"""``rcphub proposals``, ``rcphub edit focal-point…`` and ``rcphub users invite|invitations|
reset-link``: proposals, the focal-point directory and one-time links from the command line,
acting as the operator of the machine (``cli:<os user>`` in history and audit). ``--json``
prints what the API returns."""

from __future__ import annotations

import json
from typing import Any

import click

JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON (as the API).")


def _echo(payload: Any, as_json: bool, text: str) -> None:
    data = payload.model_dump(mode="json") if hasattr(payload, "model_dump") else payload
    click.echo(json.dumps(data, ensure_ascii=False) if as_json else text)


def _proposal_line(p: Any) -> str:
    what = p.filename if p.kind == "document" else f"{p.kind} {p.target}"
    return f"#{p.id:<5} {p.status:9} {p.proposed_by:16} {p.proposed_at}  {what}"


def _link_url(settings: Any, path: str) -> str:
    return (settings.public_url or "http://127.0.0.1:8000").rstrip("/") + path


def register(main: click.Group, pass_context, handle_errors) -> None:  # type: ignore[no-untyped-def]
    from rcphub.cli.accounts import operator

    @main.group()
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
    @JSON
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
        _echo(payload, as_json, "\n".join([*lines, f"{len(found)} proposals"]))

    @proposals.command("show")
    @click.argument("proposal_id", type=int)
    @JSON
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
        _echo(found, as_json, text)

    @proposals.command("approve")
    @click.argument("proposal_id", type=int)
    @JSON
    @pass_context
    @handle_errors
    def proposals_approve(ctx, proposal_id, as_json) -> None:  # type: ignore[no-untyped-def]
        """Approve a proposal: a document is ingested, a change made (its history names the
        proposer)."""
        from rcphub.documents import Ingestor
        from rcphub.editing.proposals import approve_proposal

        found = approve_proposal(ctx.database, Ingestor(ctx.database), operator(), proposal_id)
        _echo(found, as_json, f"approved proposal {found.id}")

    @proposals.command("reject")
    @click.argument("proposal_id", type=int)
    @click.option("--reason", required=True, help="Why (the proposer sees it).")
    @JSON
    @pass_context
    @handle_errors
    def proposals_reject(ctx, proposal_id, reason, as_json) -> None:  # type: ignore[no-untyped-def]
        """Reject a proposal with a reason."""
        from rcphub.documents.proposals import reject

        found = reject(ctx.database, operator(), proposal_id, reason)
        _echo(found, as_json, f"rejected proposal {found.id}")

    edit = main.commands["edit"]
    assert isinstance(edit, click.Group)
    focal_options = [
        click.option("--name"),
        click.option("--function"),
        click.option("--organisation"),
        click.option("--email"),
        click.option("--phone"),
        click.option(
            "--public/--members-only",
            "public",
            default=None,
            help="Shown to everyone, or to the process's members only (the default).",
        ),
    ]

    def with_focal_options(func):  # type: ignore[no-untyped-def]
        for option in reversed(focal_options):
            func = option(func)
        return func

    def _fields(**given: Any) -> dict[str, Any]:
        return {k: v for k, v in given.items() if v is not None}

    @edit.command("focal-points")
    @click.argument("process")
    @JSON
    @pass_context
    @handle_errors
    def focal_points_list(ctx, process, as_json) -> None:  # type: ignore[no-untyped-def]
        """The focal points of PROCESS (all of them: the command reads everything)."""
        from rcphub.editing import list_focal_points

        with ctx.database.session() as session:
            found = list_focal_points(session, operator(), process)
        lines = [
            f"{f.id:>5}  {'public ' if f.public else 'members'}  {f.name}  <{f.email}>"
            + (f"  {f.function}" if f.function else "")
            for f in found.focal_points
        ]
        _echo(found, as_json, "\n".join(lines) or "no focal point")

    @edit.command("focal-point-add")
    @click.argument("process")
    @with_focal_options
    @JSON
    @pass_context
    @handle_errors
    def focal_point_add(ctx, process, name, function, organisation, email, phone, public, as_json):  # type: ignore[no-untyped-def]
        """Add a focal point to PROCESS (--name and --email are required)."""
        from rcphub.editing import add_focal_point

        fields = _fields(
            name=name,
            function=function,
            organisation=organisation,
            email=email,
            phone=phone,
            public=public,
        )
        with ctx.database.session() as session:
            found = add_focal_point(session, operator(), process, fields)
        _echo(found, as_json, f"added focal point {found.id}")

    @edit.command("focal-point")
    @click.argument("process")
    @click.argument("focal_point_id", type=int)
    @with_focal_options
    @JSON
    @pass_context
    @handle_errors
    def focal_point_change(  # type: ignore[no-untyped-def]
        ctx, process, focal_point_id, name, function, organisation, email, phone, public, as_json
    ):
        """Change the given fields of a focal point."""
        from rcphub.editing import edit_focal_point

        fields = _fields(
            name=name,
            function=function,
            organisation=organisation,
            email=email,
            phone=phone,
            public=public,
        )
        with ctx.database.session() as session:
            found = edit_focal_point(session, operator(), process, focal_point_id, fields)
        _echo(found, as_json, f"changed focal point {found.id}")

    @edit.command("focal-point-remove")
    @click.argument("process")
    @click.argument("focal_point_id", type=int)
    @JSON
    @pass_context
    @handle_errors
    def focal_point_remove(ctx, process, focal_point_id, as_json) -> None:  # type: ignore[no-untyped-def]
        """Remove a focal point (its history stays)."""
        from rcphub.editing import remove_focal_point

        with ctx.database.session() as session:
            found = remove_focal_point(session, operator(), process, focal_point_id)
        _echo(found, as_json, f"removed focal point {found.id}")

    users = main.commands["users"]
    assert isinstance(users, click.Group)

    @users.command("invite")
    @click.argument("role", type=click.Choice(["admin", "secretariat", "contributor", "reader"]))
    @click.option("--process", help="The process of the role (secretariat and contributor).")
    @click.option("--email", help="Mail the link there too (when RCPHUB_SMTP_HOST is set).")
    @click.option("--days", type=click.IntRange(1, 30), default=7, show_default=True)
    @JSON
    @pass_context
    @handle_errors
    def users_invite(ctx, role, process, email, days, as_json) -> None:  # type: ignore[no-untyped-def]
        """Make an invitation link: whoever opens it chooses a username and password and gets
        ROLE. It works once, for --days."""
        from rcphub.accounts.invitations import create_invitation
        from rcphub.exchange.invitation_mail import mail_link

        actor = operator()
        with ctx.database.session() as session:
            link = create_invitation(session, actor, role, process, email=email, days=days)
        url = _link_url(ctx.settings, link.path)
        link = mail_link(ctx.settings, link, url, actor.label)
        payload = {**link.model_dump(mode="json"), "url": url}
        note = " (mailed)" if link.mailed else ""
        _echo(payload, as_json, f"{url}\nvalid until {link.expires_at}{note}")

    @users.command("invitations")
    @click.option("--process", help="Only invitations to this process.")
    @JSON
    @pass_context
    @handle_errors
    def users_invitations(ctx, process, as_json) -> None:  # type: ignore[no-untyped-def]
        """List invitations, newest first."""
        from rcphub.accounts.invitations import list_invitations

        with ctx.database.session() as session:
            found = list_invitations(session, operator(), process)
        payload = {"total": len(found), "invitations": [i.model_dump(mode="json") for i in found]}
        lines = [
            f"{i.id:>5}  {i.status:8} {i.role}{'@' + i.process if i.process else ''}"
            f"  until {i.expires_at}  by {i.created_by}"
            + (f"  -> {i.used_by}" if i.used_by else "")
            for i in found
        ]
        _echo(payload, as_json, "\n".join(lines) or "no invitation")

    @users.command("reset-link")
    @click.argument("username")
    @JSON
    @pass_context
    @handle_errors
    def users_reset_link(ctx, username, as_json) -> None:  # type: ignore[no-untyped-def]
        """Make a one-time link for USERNAME to choose a new password (valid 24 hours)."""
        from rcphub.accounts.invitations import create_reset_link

        with ctx.database.session() as session:
            link = create_reset_link(session, operator(), username)
        url = _link_url(ctx.settings, link.path)
        payload = {**link.model_dump(mode="json"), "url": url}
        _echo(payload, as_json, f"{url}\nvalid until {link.expires_at}")
