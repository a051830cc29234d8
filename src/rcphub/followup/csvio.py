"""CSV export and import of tracked items and of their updates.

Items and updates name their passage by ``document`` (the 16-hex document ID, the same in every
hub that holds the file) and ``ref``, so a CSV exported from one hub imports into another that
holds the same documents. Multi-valued cells are space-separated (``addressees``: ``state:PER
process:gfmd``; ``evidence``: URLs and ``document:<id>#<ref>``, which contain no spaces).

Import is all or nothing: every row is checked first, and any problem raises
:class:`~rcphub.errors.InvalidInput` listing each bad row by its line number in the file
(the header is line 1) before anything is written. Importing the same file twice changes
nothing the second time: items are matched by document and ref, updates by all their fields.

An import needs a secretariat of the processes of every document it names (or an admin), as
any other follow-up write; it is checked after the rows are read and before anything is
written, and an import that creates or changes anything is one entry of the audit log.
``created_by`` and ``reviewed_by`` cells keep what another hub recorded; empty ones name the
importer.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub import audit
from rcphub.accounts.policy import Principal
from rcphub.csvfile import csv_text, read_csv_text, undefuse
from rcphub.db.followup_models import FollowupItem, FollowupUpdate
from rcphub.db.models import Document
from rcphub.errors import InvalidInput, RcphubError, Unauthenticated
from rcphub.followup import service
from rcphub.followup.schemas import ImportReport, ItemOut
from rcphub.webhooks import events as webhook_events

ITEM_COLUMNS = (
    "item_id",
    "document",
    "document_title",
    "process",
    "ref",
    "kind",
    "review",
    "text",
    "addressees",
    "due_date",
    "status",
    "progress",
    "traffic_light",
    "created_by",
    "created_at",
    "reviewed_by",
    "reviewed_at",
)
UPDATE_COLUMNS = (
    "item_id",
    "document",
    "document_title",
    "process",
    "ref",
    "traffic_light",
    "date",
    "status",
    "progress",
    "note",
    "evidence",
    "created_by",
    "created_at",
)
INFORMATIONAL = ("item_id", "document_title", "process", "traffic_light")
"""Columns an export carries for the reader (the exporting hub's item ID, the document's
title, the processes it is filed under, the item's traffic light) and an import accepts and
ignores: items are matched by ``document`` and ``ref``, and the rest is the importing hub's."""
ITEM_REQUIRED = ("document", "ref")
UPDATE_REQUIRED = ("document", "ref", "date", "status")
MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024
MAX_ERRORS_SHOWN = 50
_KEEP_WHEN_EMPTY = ("text", "addressees", "reviewed_by", "reviewed_at")


def _write(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    return csv_text(columns, ([row.get(k) for k in columns] for row in rows))


def _selected(session: Session, filters: dict[str, Any]) -> list[tuple[ItemOut, FollowupItem]]:
    listed = service.list_items(session, **filters)
    ids = [item.id for item in listed.items]
    by_id = {i.id: i for i in session.scalars(select(FollowupItem).where(FollowupItem.id.in_(ids)))}
    return [(out, by_id[out.id]) for out in listed.items]


def _about(out: ItemOut) -> dict[str, Any]:
    """The informational cells of an item's rows."""
    return {
        "item_id": out.id,
        "document_title": out.document_title or "",
        "process": " ".join(
            link.partition(":")[2]
            for link in out.document_links
            if link.startswith(("process:", "org:"))
        ),
        "traffic_light": out.light.colour if out.light else "",
    }


def export_items_csv(session: Session, **filters: Any) -> str:
    """Items as CSV (the filters of :func:`service.list_items`; ``review=None`` for all)."""
    rows = []
    for out, item in _selected(session, filters):
        rows.append(
            {
                **_about(out),
                "document": item.document_id,
                "ref": item.passage_ref,
                "kind": item.kind,
                "review": item.review,
                "text": item.text,
                "addressees": " ".join(item.addressees or []),
                "due_date": item.due_date.isoformat() if item.due_date else "",
                "status": item.status,
                "progress": item.progress,
                "created_by": item.created_by,
                "created_at": item.created_at,
                "reviewed_by": item.reviewed_by,
                "reviewed_at": item.reviewed_at,
            }
        )
    return _write(ITEM_COLUMNS, rows)


def export_updates_csv(session: Session, **filters: Any) -> str:
    """The updates of the selected items, oldest first per item."""
    rows = []
    for out, item in _selected(session, filters):
        about = _about(out)
        for update in sorted(item.updates, key=lambda u: (u.date, u.id)):
            rows.append(
                {
                    **about,
                    "document": item.document_id,
                    "ref": item.passage_ref,
                    "date": update.date.isoformat(),
                    "status": update.status,
                    "progress": update.progress,
                    "note": update.note,
                    "evidence": " ".join(update.evidence or []),
                    "created_by": update.created_by,
                    "created_at": update.created_at,
                }
            )
    return _write(UPDATE_COLUMNS, rows)


def _read(data: bytes | str, columns: tuple[str, ...], required: tuple[str, ...]):  # type: ignore[no-untyped-def]
    try:
        data = read_csv_text(data, max_bytes=MAX_BYTES)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"the CSV file is not UTF-8 (byte {exc.start})") from exc
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    if "\x00" in data:
        raise InvalidInput("the CSV file contains NUL characters")
    reader = csv.reader(io.StringIO(data, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("the CSV file is empty") from None
    except csv.Error as exc:
        raise InvalidInput(f"line 1: {exc}") from exc
    header = [h.strip().lower() for h in header]
    unknown = [h for h in header if h not in columns]
    if unknown:
        raise InvalidInput(
            f"unknown column(s) {', '.join(repr(h[:30]) for h in unknown[:20])}; "
            f"the columns are: {', '.join(columns)}"
        )
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput(f"missing column(s): {', '.join(missing)}")
    if len(set(header)) != len(header):
        raise InvalidInput("a column appears twice in the header")
    rows: list[tuple[int, dict[str, str] | str]] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise InvalidInput(f"the CSV file has more than {MAX_ROWS:,} rows")
            if len(values) != len(header):
                rows.append((line, f"{len(values)} fields where the header has {len(header)}"))
                continue
            cells = zip(header, (undefuse(v.strip()) for v in values), strict=True)
            rows.append((line, {k: v for k, v in cells if k not in INFORMATIONAL}))
    except csv.Error as exc:
        raise InvalidInput(f"line {reader.line_num}: {exc}") from exc
    return rows


def _fail(errors: list[str], what: str) -> None:
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        message = (
            f"{len(errors)} bad row(s) in the {what} CSV; nothing was imported:\n"
            + "\n".join(shown)
        )
        if more:
            message += f"\n… and {more} more"
        raise InvalidInput(message)


def _timestamp(value: str | None, what: str) -> str | None:
    if not value:
        return None
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        raise InvalidInput(f"{what} must start with a date YYYY-MM-DD") from None
    if len(value) > 32:
        raise InvalidInput(f"{what} is too long")
    return value


def _signed_in(actor: Principal) -> str:
    """An anonymous import is refused before its rows are read; the others are decided on
    the documents the rows name."""
    if not actor.authenticated:
        raise Unauthenticated("sign in first")
    return service.actor_label(actor)


def import_items_csv(session: Session, data: bytes | str, actor: Principal) -> ImportReport:
    """Create or update items from CSV. Missing cells take defaults: kind recommendation,
    review proposed, the passage's text and mentions, status not started."""
    label = _signed_in(actor)
    rows = _read(data, ITEM_COLUMNS, ITEM_REQUIRED)
    errors: list[str] = []
    planned: list[tuple[int, dict[str, Any]]] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        if isinstance(row, str):
            errors.append(f"line {line}: {row}")
            continue
        try:
            planned.append((line, _check_item_row(session, row, label)))
        except RcphubError as exc:
            errors.append(f"line {line}: {exc.message}")
            continue
        key = (planned[-1][1]["document"].id, planned[-1][1]["passage"].ref)
        if key in seen:
            errors.append(f"line {line}: the same passage as line {seen[key]}")
        seen[key] = line
    _fail(errors, "items")
    documents = {fields["document"].id for _line, fields in planned}
    if documents:  # an empty file changes nothing
        service.authorize_followup(session, actor, documents)

    created = updated = unchanged = 0
    confirmed: list[FollowupItem] = []
    for _line, fields in planned:
        document, passage = fields.pop("document"), fields.pop("passage")
        item = session.scalars(
            select(FollowupItem).where(
                FollowupItem.document_id == document.id, FollowupItem.passage_ref == passage.ref
            )
        ).first()
        if fields["review"] == "confirmed" and (item is None or item.review != "confirmed"):
            confirmed.append(item)  # type: ignore[arg-type]  # None: the item made below
        if item is None:
            stamp = service.now()
            item = FollowupItem(
                document_id=document.id,
                passage_ref=passage.ref,
                detection=None,
                created_by=fields.pop("created_by") or label,
                created_at=fields.pop("created_at") or stamp,
                **{k: v for k, v in fields.items() if k not in ("created_by", "created_at")},
            )
            if item.text is None:
                item.text = passage.text
            if item.addressees is None:
                item.addressees = service._mentions(session, document.id, [passage.ref])
            session.add(item)
            if confirmed and confirmed[-1] is None:
                confirmed[-1] = item
            created += 1
            continue
        fields.pop("created_by", None)
        fields.pop("created_at", None)
        names = [n for n, v in fields.items() if v is not None or n not in _KEEP_WHEN_EMPTY]
        before = [getattr(item, n) for n in names] + [item.status, item.progress]
        for name in names:
            setattr(item, name, fields[name])
        service._apply_latest(item)  # with updates, the newest one decides the status
        if [getattr(item, n) for n in names] + [item.status, item.progress] != before:
            updated += 1
        else:
            unchanged += 1
    session.flush()
    for item in confirmed:
        webhook_events.item_confirmed(session, item)
    report = ImportReport(created=created, updated=updated, unchanged=unchanged)
    _record(session, actor, "followup.import_items", report, documents)
    return report


def _check_item_row(session: Session, row: dict[str, str], actor: str) -> dict[str, Any]:
    document = _document(session, row.get("document", ""))
    ref = row.get("ref", "")
    passage = service._passage(session, document.id, ref) if ref else None
    if passage is None:
        raise InvalidInput(f"document {document.id} has no passage {ref[:40]!r}")
    kind = service.check_choice(row.get("kind") or "recommendation", service.KINDS, "kind")
    review = service.check_choice(row.get("review") or "proposed", service.REVIEWS, "review")
    status = row.get("status") or "not_started"
    service.check_choice(status, service.STATUSES, "status")
    progress = service.check_progress(row.get("progress") or (100 if status == "completed" else 0))
    text = service.check_text(row.get("text", ""), "text", service.MAX_TEXT) or None
    addressees = (
        service.check_addressees(session, row["addressees"].split())
        if row.get("addressees")
        else None
    )
    reviewed_by = row.get("reviewed_by") or None
    if reviewed_by:
        service.check_actor(reviewed_by)
    created_by = row.get("created_by") or None
    if created_by:
        service.check_actor(created_by)
    reviewed_at = _timestamp(row.get("reviewed_at"), "reviewed_at")
    if review != "proposed" and reviewed_by is None:
        reviewed_by, reviewed_at = actor, reviewed_at or service.now()
    return {
        "document": document,
        "passage": passage,
        "kind": kind,
        "review": review,
        "text": text,
        "addressees": addressees,
        "due_date": service.parse_date(row.get("due_date"), "due_date"),
        "status": status,
        "progress": progress,
        "reviewed_by": reviewed_by,
        "reviewed_at": reviewed_at,
        "created_by": created_by,
        "created_at": _timestamp(row.get("created_at"), "created_at"),
    }


def _document(session: Session, ident: str) -> Document:
    ident = (ident or "").strip().lower()
    document = session.get(Document, ident) if ident else None
    if document is None:
        raise InvalidInput(f"no document with ID {ident[:40]!r}")
    return document


def import_updates_csv(
    session: Session,
    data: bytes | str,
    actor: Principal,
    today: date | None = None,
) -> ImportReport:
    """Add updates from CSV to items the hub already tracks (import the items first); an
    update identical to one the item has is skipped."""
    label = _signed_in(actor)
    today = today or date.today()
    rows = _read(data, UPDATE_COLUMNS, UPDATE_REQUIRED)
    errors: list[str] = []
    planned: list[tuple[FollowupItem, dict[str, Any]]] = []
    for line, row in rows:
        if isinstance(row, str):
            errors.append(f"line {line}: {row}")
            continue
        try:
            document = _document(session, row.get("document", ""))
            item = session.scalars(
                select(FollowupItem).where(
                    FollowupItem.document_id == document.id,
                    FollowupItem.passage_ref == row.get("ref", ""),
                )
            ).first()
            if item is None:
                raise InvalidInput(
                    f"no tracked item for passage {row.get('ref', '')[:40]!r} of {document.id}"
                )
            if item.review != "confirmed":
                raise InvalidInput(f"item {item.passage_ref} of {document.id} is {item.review}")
            fields = service.check_update(
                session,
                day=row.get("date") or None,
                status=row.get("status", ""),
                progress=row.get("progress"),
                note=row.get("note", ""),
                evidence=(row.get("evidence") or "").split(),
                today=today,
            )
            if not row.get("date"):
                raise InvalidInput("date is required")
            created_by = row.get("created_by") or label
            service.check_actor(created_by)
            fields["created_by"] = created_by
            fields["created_at"] = _timestamp(row.get("created_at"), "created_at") or service.now()
        except RcphubError as exc:
            errors.append(f"line {line}: {exc.message}")
            continue
        planned.append((item, fields))
    _fail(errors, "updates")
    documents = {item.document_id for item, _fields in planned}
    if documents:
        service.authorize_followup(session, actor, documents)

    created = unchanged = 0
    touched: dict[int, FollowupItem] = {}
    added: list[tuple[FollowupItem, FollowupUpdate]] = []
    for item, fields in planned:
        key = (
            fields["date"],
            fields["status"],
            fields["progress"],
            fields["note"],
            fields["evidence"],
        )
        if any(
            (u.date, u.status, u.progress, u.note, list(u.evidence or [])) == key
            for u in item.updates
        ):
            unchanged += 1
            continue
        update = FollowupUpdate(**fields)
        item.updates.append(update)
        touched[item.id] = item
        added.append((item, update))
        created += 1
    session.flush()
    for item in touched.values():
        service._apply_latest(item)
    session.flush()
    for item, update in added:
        webhook_events.update_added(session, item, update)
    report = ImportReport(created=created, updated=0, unchanged=unchanged)
    _record(session, actor, "followup.import_updates", report, documents)
    return report


def _record(
    session: Session, actor: Principal, action: str, report: ImportReport, documents: set[str]
) -> None:
    if report.created or report.updated:
        details = {**report.model_dump(), "documents": sorted(documents)}
        audit.record(session, actor, action, "followup_csv", None, details)
