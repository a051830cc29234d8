"""``rcphub edit``: the editing services from the command line, acting as the operator of the
machine (``cli:<os user>`` in history and audit). ``--json`` prints what the API returns."""

from __future__ import annotations

import json
from typing import Any

import click

from rcphub.config import LANGUAGES

JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON (as the API).")
LANG = click.Choice(LANGUAGES)
SOURCE = click.option("--source", help="Address (http/https) the change rests on.")
AS_OF = click.option("--as-of", "as_of", help="Date the source speaks for (YYYY-MM-DD).")


def _echo(payload: Any, as_json: bool, text: str) -> None:
    data = payload.model_dump(mode="json") if hasattr(payload, "model_dump") else payload
    click.echo(json.dumps(data, ensure_ascii=False) if as_json else text)


def _meeting_fields(titles, start, end, state, city, languages, visibility):  # type: ignore[no-untyped-def]
    """The fields of a meeting the options gave (what ``meeting-add`` and ``meeting`` send)."""
    return _given(
        title=dict(titles) or None,
        start=start,
        end=end,
        state=state,
        city=city,
        languages=list(languages),
        visibility=visibility,
    )


def _given(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v not in (None, (), [])}


def register(main: click.Group, pass_context, handle_errors) -> None:  # type: ignore[no-untyped-def]
    from rcphub.accounts.cli_commands import operator

    @main.group()
    def edit() -> None:
        """Keep the registry and documents current: meetings, members, profiles, document
        details, with history and revert."""

    meeting_options = [
        click.option(
            "--title", "titles", type=(LANG, str), multiple=True, help="LANG TEXT (repeat)."
        ),
        click.option("--start", help="First day, YYYY-MM-DD."),
        click.option("--end", help="Last day, YYYY-MM-DD."),
        click.option("--state", help="ISO3 of the host country."),
        click.option("--city"),
        click.option("--language", "languages", type=LANG, multiple=True, help="Repeat."),
        click.option("--visibility", type=click.Choice(["public", "restricted"])),
    ]

    def with_meeting_options(func):  # type: ignore[no-untyped-def]
        for option in reversed(meeting_options):
            func = option(func)
        return func

    @edit.command("meeting-add")
    @click.argument("process")
    @with_meeting_options
    @JSON
    @pass_context
    @handle_errors
    def meeting_add(ctx, process, titles, start, end, state, city, languages, visibility, as_json):  # type: ignore[no-untyped-def]
        """Add a meeting of PROCESS (a title and --start are required)."""
        from rcphub.editing import create_meeting

        fields = _meeting_fields(titles, start, end, state, city, languages, visibility)
        with ctx.database.session() as session:
            found = create_meeting(session, operator(), process, fields)
        _echo(found, as_json, f"added meeting {found.id}")

    @edit.command("meeting")
    @click.argument("meeting_id")
    @with_meeting_options
    @JSON
    @pass_context
    @handle_errors
    def meeting_change(
        ctx, meeting_id, titles, start, end, state, city, languages, visibility, as_json
    ):  # type: ignore[no-untyped-def]
        """Change the given fields of meeting MEETING_ID."""
        from rcphub.editing import edit_meeting

        fields = _meeting_fields(titles, start, end, state, city, languages, visibility)
        with ctx.database.session() as session:
            found = edit_meeting(session, operator(), meeting_id, fields)
        _echo(found, as_json, f"changed meeting {found.id}")

    @edit.command("member-add")
    @click.argument("process")
    @click.argument("party")
    @click.option("--role", default="member", show_default=True)
    @click.option("--subgroup")
    @click.option("--since", help="YYYY, YYYY-MM or YYYY-MM-DD.")
    @SOURCE
    @AS_OF
    @JSON
    @pass_context
    @handle_errors
    def member_add(ctx, process, party, role, subgroup, since, source, as_of, as_json):  # type: ignore[no-untyped-def]
        """Add PARTY (state:MAR, org:iom) to PROCESS in --role."""
        from rcphub.editing import add_membership

        with ctx.database.session() as session:
            found = add_membership(
                session,
                operator(),
                process,
                party,
                role,
                source=source,
                as_of=as_of,
                subgroup=subgroup,
                since=since,
            )
        _echo(found, as_json, f"added membership {found.id}: {found.party} {found.role}")

    @edit.command("member")
    @click.argument("process")
    @click.argument("membership_id", type=int)
    @click.option("--role")
    @click.option("--subgroup")
    @click.option("--since")
    @click.option("--until", help="End the membership (YYYY, YYYY-MM or YYYY-MM-DD).")
    @SOURCE
    @AS_OF
    @JSON
    @pass_context
    @handle_errors
    def member_change(
        ctx, process, membership_id, role, subgroup, since, until, source, as_of, as_json
    ):  # type: ignore[no-untyped-def]
        """Change or end membership MEMBERSHIP_ID of PROCESS."""
        from rcphub.editing import edit_membership

        fields = _given(role=role, subgroup=subgroup, since=since, until=until)
        with ctx.database.session() as session:
            found = edit_membership(
                session, operator(), process, membership_id, fields, source=source, as_of=as_of
            )
        _echo(found, as_json, f"changed membership {found.id}")

    @edit.command("process")
    @click.argument("process")
    @click.option("--name", "names", type=(LANG, str), multiple=True, help="LANG TEXT: all names.")
    @click.option("--acronym")
    @click.option("--website")
    @click.option("--secretariat")
    @click.option("--chair")
    @SOURCE
    @AS_OF
    @JSON
    @pass_context
    @handle_errors
    def process_change(
        ctx, process, names, acronym, website, secretariat, chair, source, as_of, as_json
    ):  # type: ignore[no-untyped-def]
        """Change PROCESS's profile (--name replaces all its names)."""
        from rcphub.editing import edit_process

        fields = _given(
            names=dict(names) or None,
            acronym=acronym,
            website=website,
            secretariat=secretariat,
            chair=chair,
        )
        with ctx.database.session() as session:
            found = edit_process(session, operator(), process, fields, source=source, as_of=as_of)
        _echo(found, as_json, f"changed {found.id}")

    @edit.command("document")
    @click.argument("document_id")
    @click.option("--title")
    @click.option("--type", "doc_type")
    @click.option("--date", "doc_date", help="YYYY-MM-DD.")
    @click.option("--symbol")
    @click.option("--meeting", "meetings", multiple=True, help="File under it (repeat; all).")
    @click.option("--process", "processes", multiple=True, help="File under it (repeat; all).")
    @JSON
    @pass_context
    @handle_errors
    def document_change(
        ctx, document_id, title, doc_type, doc_date, symbol, meetings, processes, as_json
    ):  # type: ignore[no-untyped-def]
        """Change a document's details."""
        from rcphub.editing import edit_document

        fields = _given(
            title=title,
            type=doc_type,
            date=doc_date,
            symbol=symbol,
            meetings=list(meetings),
            processes=list(processes),
        )
        with ctx.database.session() as session:
            found = edit_document(session, operator(), document_id, fields)
        _echo(found, as_json, f"changed document {found.id}")

    @edit.command("history")
    @click.argument("kind", type=click.Choice(["document", "process", "meeting"]))
    @click.argument("ident")
    @click.option("--limit", type=click.IntRange(1, 500), default=100, show_default=True)
    @JSON
    @pass_context
    @handle_errors
    def history(ctx, kind, ident, limit, as_json):  # type: ignore[no-untyped-def]
        """The changes of a document, process (and its members) or meeting, newest first."""
        from rcphub import registry
        from rcphub.accounts.policy import SYSTEM
        from rcphub.documents import service as documents
        from rcphub.editing import list_history

        with ctx.database.session() as session:
            if kind == "document":
                ident = documents.get_document(session, ident, SYSTEM).id
            elif kind == "meeting":
                ident = registry.get_meeting(session, ident, viewer=SYSTEM).id
            else:
                ident = registry.process_id(session, ident)
            found = list_history(session, kind, ident, viewer=SYSTEM, limit=limit)

        def line(c) -> str:  # type: ignore[no-untyped-def]
            before = json.dumps(c.before, ensure_ascii=False)
            after = json.dumps(c.after, ensure_ascii=False)
            return (
                f"{c.id:>6} {c.at} {c.who}: {c.entity} {c.entity_id} {c.field} {before} -> {after}"
            )

        lines = [line(c) for c in found.changes]
        _echo(found, as_json, "\n".join(lines) or "no change yet")

    @edit.command("revert")
    @click.argument("change_id", type=int)
    @JSON
    @pass_context
    @handle_errors
    def revert(ctx, change_id, as_json):  # type: ignore[no-untyped-def]
        """Revert change CHANGE_ID (a new change that restores the value before it)."""
        from rcphub.editing import revert_change

        with ctx.database.session() as session:
            found = revert_change(session, operator(), change_id)
        _echo(found, as_json, f"change {found.id} reverts change {change_id}")
