"""``rcphub edit``: the editing services from the command line — meetings, members, process
profiles, document details, focal points, history and revert — acting as the operator of the
machine (``cli:<os user>`` in history and audit). ``--json`` prints what the API returns."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from rcphub.cli.support import JSON_OPTION, emit, handle_errors, operator, pass_context
from rcphub.config import LANGUAGES

LANG = click.Choice(LANGUAGES)
SOURCE = click.option("--source", help="Address (http/https) the change rests on.")
AS_OF = click.option("--as-of", "as_of", help="Date the source speaks for (YYYY-MM-DD).")


def _options(*options: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """One decorator that puts ``options`` on a command, in the order given."""

    def apply(func: Any) -> Any:
        for option in reversed(options):
            func = option(func)
        return func

    return apply


MEETING_OPTIONS = _options(
    click.option("--title", "titles", type=(LANG, str), multiple=True, help="LANG TEXT (repeat)."),
    click.option("--start", help="First day, YYYY-MM-DD."),
    click.option("--end", help="Last day, YYYY-MM-DD."),
    click.option("--state", help="ISO3 of the host country."),
    click.option("--city"),
    click.option("--language", "languages", type=LANG, multiple=True, help="Repeat."),
    click.option("--visibility", type=click.Choice(["public", "restricted"])),
)
FOCAL_POINT_OPTIONS = _options(
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
)


def _meeting_fields(titles, start, end, state, city, languages, visibility):  # type: ignore[no-untyped-def]
    """The fields of a meeting the options (:data:`MEETING_OPTIONS`) gave: what ``meeting-add``
    and ``meeting`` send."""
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


@click.group()
def edit() -> None:
    """Keep the registry and documents current: meetings, members, profiles, document
    details, with history and revert."""


@edit.command("meeting-add")
@click.argument("process")
@MEETING_OPTIONS
@JSON_OPTION
@pass_context
@handle_errors
def meeting_add(ctx, process, as_json, **options):  # type: ignore[no-untyped-def]
    """Add a meeting of PROCESS (a title and --start are required)."""
    from rcphub.editing import create_meeting

    fields = _meeting_fields(**options)
    with ctx.database.session() as session:
        found = create_meeting(session, operator(), process, fields)
    emit(found, as_json, f"added meeting {found.id}", indent=None)


@edit.command("meeting")
@click.argument("meeting_id")
@MEETING_OPTIONS
@JSON_OPTION
@pass_context
@handle_errors
def meeting_change(ctx, meeting_id, as_json, **options):  # type: ignore[no-untyped-def]
    """Change the given fields of meeting MEETING_ID."""
    from rcphub.editing import edit_meeting

    fields = _meeting_fields(**options)
    with ctx.database.session() as session:
        found = edit_meeting(session, operator(), meeting_id, fields)
    emit(found, as_json, f"changed meeting {found.id}", indent=None)


@edit.command("member-add")
@click.argument("process")
@click.argument("party")
@click.option("--role", default="member", show_default=True)
@click.option("--subgroup")
@click.option("--since", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@SOURCE
@AS_OF
@JSON_OPTION
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
    emit(found, as_json, f"added membership {found.id}: {found.party} {found.role}", indent=None)


@edit.command("member")
@click.argument("process")
@click.argument("membership_id", type=int)
@click.option("--role")
@click.option("--subgroup")
@click.option("--since")
@click.option("--until", help="End the membership (YYYY, YYYY-MM or YYYY-MM-DD).")
@SOURCE
@AS_OF
@JSON_OPTION
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
    emit(found, as_json, f"changed membership {found.id}", indent=None)


@edit.command("process")
@click.argument("process")
@click.option("--name", "names", type=(LANG, str), multiple=True, help="LANG TEXT: all names.")
@click.option("--acronym")
@click.option("--website")
@click.option("--secretariat")
@click.option("--chair")
@SOURCE
@AS_OF
@JSON_OPTION
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
    emit(found, as_json, f"changed {found.id}", indent=None)


@edit.command("document")
@click.argument("document_id")
@click.option("--title")
@click.option("--type", "doc_type")
@click.option("--date", "doc_date", help="YYYY-MM-DD.")
@click.option("--symbol")
@click.option("--meeting", "meetings", multiple=True, help="File under it (repeat; all).")
@click.option("--process", "processes", multiple=True, help="File under it (repeat; all).")
@JSON_OPTION
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
    emit(found, as_json, f"changed document {found.id}", indent=None)


@edit.command("focal-points")
@click.argument("process")
@JSON_OPTION
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
    emit(found, as_json, "\n".join(lines) or "no focal point", indent=None)


@edit.command("focal-point-add")
@click.argument("process")
@FOCAL_POINT_OPTIONS
@JSON_OPTION
@pass_context
@handle_errors
def focal_point_add(ctx, process, as_json, **options):  # type: ignore[no-untyped-def]
    """Add a focal point to PROCESS (--name and --email are required)."""
    from rcphub.editing import add_focal_point

    fields = _given(**options)  # the focal point's fields given (FOCAL_POINT_OPTIONS)
    with ctx.database.session() as session:
        found = add_focal_point(session, operator(), process, fields)
    emit(found, as_json, f"added focal point {found.id}", indent=None)


@edit.command("focal-point")
@click.argument("process")
@click.argument("focal_point_id", type=int)
@FOCAL_POINT_OPTIONS
@JSON_OPTION
@pass_context
@handle_errors
def focal_point_change(ctx, process, focal_point_id, as_json, **options):  # type: ignore[no-untyped-def]
    """Change the given fields of a focal point."""
    from rcphub.editing import edit_focal_point

    fields = _given(**options)  # the focal point's fields given (FOCAL_POINT_OPTIONS)
    with ctx.database.session() as session:
        found = edit_focal_point(session, operator(), process, focal_point_id, fields)
    emit(found, as_json, f"changed focal point {found.id}", indent=None)


@edit.command("focal-point-remove")
@click.argument("process")
@click.argument("focal_point_id", type=int)
@JSON_OPTION
@pass_context
@handle_errors
def focal_point_remove(ctx, process, focal_point_id, as_json) -> None:  # type: ignore[no-untyped-def]
    """Remove a focal point (its history stays)."""
    from rcphub.editing import remove_focal_point

    with ctx.database.session() as session:
        found = remove_focal_point(session, operator(), process, focal_point_id)
    emit(found, as_json, f"removed focal point {found.id}", indent=None)


@edit.command("history")
@click.argument("kind", type=click.Choice(["document", "process", "meeting"]))
@click.argument("ident")
@click.option("--limit", type=click.IntRange(1, 500), default=100, show_default=True)
@JSON_OPTION
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
        found = list_history(session, kind, ident, limit=limit)

    def line(c) -> str:  # type: ignore[no-untyped-def]
        before = json.dumps(c.before, ensure_ascii=False)
        after = json.dumps(c.after, ensure_ascii=False)
        return f"{c.id:>6} {c.at} {c.who}: {c.entity} {c.entity_id} {c.field} {before} -> {after}"

    lines = [line(c) for c in found.changes]
    emit(found, as_json, "\n".join(lines) or "no change yet", indent=None)


@edit.command("revert")
@click.argument("change_id", type=int)
@JSON_OPTION
@pass_context
@handle_errors
def revert(ctx, change_id, as_json):  # type: ignore[no-untyped-def]
    """Revert change CHANGE_ID (a new change that restores the value before it)."""
    from rcphub.editing import revert_change

    with ctx.database.session() as session:
        found = revert_change(session, operator(), change_id)
    emit(found, as_json, f"change {found.id} reverts change {change_id}", indent=None)
