"""``rcphub users``, ``rcphub tokens`` and ``rcphub audit``: accounts, their roles, invitation
and password-reset links, API tokens and the audit log from the command line.

Whoever runs ``rcphub`` on the machine can reach the database already, so the command acts as
the operator (``cli:<os user>`` in the audit log) and may do everything — which is how the first
admin is made. There is no default password anywhere: a password comes from a prompt (typed
twice) or, for scripts, from standard input with ``--password-stdin``.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from rcphub.accounts.policy import Role
from rcphub.cli.support import (
    JSON_OPTION,
    PLAIN_JSON_OPTION,
    emit,
    handle_errors,
    operator,
    pass_context,
)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise click.UsageError("--password-stdin: standard input is empty")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise click.UsageError("no terminal to ask for a password: use --password-stdin")
    return click.prompt("password", hide_input=True, confirmation_prompt=True)


PASSWORD_STDIN = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of a prompt.",
)
ROLE = click.argument("role", type=click.Choice([r.value for r in Role]))
PROCESS = click.option(
    "--process", help="The process the role is for (secretariat and contributor need one)."
)


def _grants(user: dict) -> str:
    return (
        ", ".join(g["role"] + (f"@{g['process']}" if g["process"] else "") for g in user["grants"])
        or "-"
    )


def _link_url(settings: Any, path: str) -> str:
    return (settings.public_url or "http://127.0.0.1:8000").rstrip("/") + path


@click.group()
def users() -> None:
    """Accounts and their roles (admin, secretariat, contributor, reader)."""


@users.command("create")
@click.argument("username")
@click.option("--name", "display_name", help="Full name shown with the username.")
@click.option(
    "--role", "role", type=click.Choice([r.value for r in Role]), help="Grant this role too."
)
@PROCESS
@PASSWORD_STDIN
@pass_context
@handle_errors
def users_create(ctx, username, display_name, role, process, password_stdin) -> None:  # type: ignore[no-untyped-def]
    """Create a user (e.g. the first admin: `rcphub users create ana --role admin`)."""
    from rcphub.accounts.users import create_user, grant

    password = _read_password(password_stdin)
    actor = operator()
    with ctx.database.session() as session:
        user = create_user(session, actor, username, password, display_name=display_name)
        if role:
            user = grant(session, actor, user.username, role, process)
    click.echo(f"created {user.username}: {_grants(user.model_dump())}")


@users.command("list")
@PLAIN_JSON_OPTION
@pass_context
@handle_errors
def users_list(ctx, as_json) -> None:  # type: ignore[no-untyped-def]
    """List users with their roles."""
    from rcphub.accounts.users import list_users

    with ctx.database.session() as session:
        found = [u.model_dump() for u in list_users(session)]

    def text(data: dict[str, Any]) -> None:
        for u in data["users"]:
            state = "" if u["active"] else "  (deactivated)"
            click.echo(f"{u['username']:32} {_grants(u)}{state}")
        click.echo(f"{len(found)} users")

    emit({"users": found}, as_json, text)


@users.command("grant")
@click.argument("username")
@ROLE
@PROCESS
@pass_context
@handle_errors
def users_grant(ctx, username, role, process) -> None:  # type: ignore[no-untyped-def]
    """Give USERNAME a role (secretariat and contributor: for a --process)."""
    from rcphub.accounts.users import grant

    with ctx.database.session() as session:
        user = grant(session, operator(), username, role, process)
    click.echo(f"{user.username}: {_grants(user.model_dump())}")


@users.command("revoke")
@click.argument("username")
@ROLE
@PROCESS
@pass_context
@handle_errors
def users_revoke(ctx, username, role, process) -> None:  # type: ignore[no-untyped-def]
    """Take a role from USERNAME."""
    from rcphub.accounts.users import revoke

    with ctx.database.session() as session:
        user = revoke(session, operator(), username, role, process)
    click.echo(f"{user.username}: {_grants(user.model_dump())}")


@users.command("passwd")
@click.argument("username")
@PASSWORD_STDIN
@pass_context
@handle_errors
def users_passwd(ctx, username, password_stdin) -> None:  # type: ignore[no-untyped-def]
    """Set a new password for USERNAME; signs out all of its sessions."""
    from rcphub.accounts.users import set_password

    password = _read_password(password_stdin)
    with ctx.database.session() as session:
        set_password(session, operator(), username, password)
    click.echo(f"password of {username.strip().lower()} changed; its sessions are ended")


@users.command("deactivate")
@click.argument("username")
@pass_context
@handle_errors
def users_deactivate(ctx, username) -> None:  # type: ignore[no-untyped-def]
    """Stop USERNAME signing in; its sessions and tokens stop working at once."""
    from rcphub.accounts.users import set_active

    with ctx.database.session() as session:
        set_active(session, operator(), username, False)
    click.echo(f"{username.strip().lower()} deactivated")


@users.command("activate")
@click.argument("username")
@pass_context
@handle_errors
def users_activate(ctx, username) -> None:  # type: ignore[no-untyped-def]
    """Let a deactivated USERNAME sign in again."""
    from rcphub.accounts.users import set_active

    with ctx.database.session() as session:
        set_active(session, operator(), username, True)
    click.echo(f"{username.strip().lower()} activated")


@users.command("invite")
@click.argument("role", type=click.Choice(["admin", "secretariat", "contributor", "reader"]))
@click.option("--process", help="The process of the role (secretariat and contributor).")
@click.option("--email", help="Mail the link there too (when RCPHUB_SMTP_HOST is set).")
@click.option("--days", type=click.IntRange(1, 30), default=7, show_default=True)
@JSON_OPTION
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
    emit(payload, as_json, f"{url}\nvalid until {link.expires_at}{note}", indent=None)


@users.command("invitations")
@click.option("--process", help="Only invitations to this process.")
@JSON_OPTION
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
        f"  until {i.expires_at}  by {i.created_by}" + (f"  -> {i.used_by}" if i.used_by else "")
        for i in found
    ]
    emit(payload, as_json, "\n".join(lines) or "no invitation", indent=None)


@users.command("reset-link")
@click.argument("username")
@JSON_OPTION
@pass_context
@handle_errors
def users_reset_link(ctx, username, as_json) -> None:  # type: ignore[no-untyped-def]
    """Make a one-time link for USERNAME to choose a new password (valid 24 hours)."""
    from rcphub.accounts.invitations import create_reset_link

    with ctx.database.session() as session:
        link = create_reset_link(session, operator(), username)
    url = _link_url(ctx.settings, link.path)
    payload = {**link.model_dump(mode="json"), "url": url}
    emit(payload, as_json, f"{url}\nvalid until {link.expires_at}", indent=None)


@click.group()
def tokens() -> None:
    """API tokens (Authorization: Bearer) for programs."""


@tokens.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for.")
@click.option("--scope", type=click.Choice(["read", "write"]), default="read", show_default=True)
@pass_context
@handle_errors
def tokens_create(ctx, username, name, scope) -> None:  # type: ignore[no-untyped-def]
    """Create a token for USERNAME and print it once (only its hash is kept)."""
    from rcphub.accounts.tokens import create_token

    with ctx.database.session() as session:
        created = create_token(session, operator(), username, name, scope)
    click.echo(created.secret)
    click.echo(
        f"token {created.token.id} ({scope}) for {created.token.username}: "
        "copy it now, it is not shown again",
        err=True,
    )


@tokens.command("list")
@click.option("--user", "username", help="Only this user's tokens.")
@PLAIN_JSON_OPTION
@pass_context
@handle_errors
def tokens_list(ctx, username, as_json) -> None:  # type: ignore[no-untyped-def]
    """List tokens (never the tokens themselves: their first characters)."""
    from rcphub.accounts.tokens import list_tokens

    with ctx.database.session() as session:
        found = [t.model_dump() for t in list_tokens(session, username)]

    def text(data: dict[str, Any]) -> None:
        for t in data["tokens"]:
            state = f"revoked {t['revoked_at']}" if t["revoked_at"] else "active"
            click.echo(
                f"{t['id']:>4}  {t['prefix']}…  {t['scope']:5}  {t['username']:24} "
                f"last used {t['last_used_at'] or 'never'}  {state}  {t['name']}"
            )
        click.echo(f"{len(found)} tokens")

    emit({"tokens": found}, as_json, text)


@tokens.command("revoke")
@click.argument("token_id", type=int)
@pass_context
@handle_errors
def tokens_revoke(ctx, token_id) -> None:  # type: ignore[no-untyped-def]
    """Revoke a token; it stops working at once."""
    from rcphub.accounts.tokens import revoke_token

    with ctx.database.session() as session:
        token = revoke_token(session, operator(), token_id)
    click.echo(f"token {token.id} of {token.username} revoked")


@click.group("audit")
def audit_group() -> None:
    """The audit log of every change."""


@audit_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv")
@click.option("--action", help="Only this action (e.g. document.ingest).")
@click.option("--actor", help="Only this actor (e.g. ana, cli:root).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the newest N entries.")
@pass_context
@handle_errors
def audit_export(ctx, fmt, action, actor, limit) -> None:  # type: ignore[no-untyped-def]
    """Print the audit log, newest first, as CSV or JSON."""
    from rcphub import audit

    with ctx.database.session() as session:
        _total, entries = audit.list_entries(session, action=action, actor=actor, limit=limit)
    text = audit.export_csv(entries) if fmt == "csv" else audit.export_json(entries)
    click.echo(text, nl=fmt == "json")
