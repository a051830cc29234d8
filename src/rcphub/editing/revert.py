"""Revert one change: a new change that puts the field back to its value before, through the
same service (so the same policy check, the same validation), recorded in history with
``reverts`` naming the change it undid. A creation is not reverted (end a membership; edit a
meeting), and a change whose field has been changed again since is reverted all the same: the
field gets the value it had before that change, and the history shows both."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rcphub.accounts.policy import Principal
from rcphub.db.editing_models import EditRecord
from rcphub.editing import documents, focal_points, meetings, memberships, processes
from rcphub.editing.history import CREATED, change_out, get_change
from rcphub.editing.schemas import ChangeOut
from rcphub.errors import InvalidInput, NotFound

__all__ = ["revert_change"]


def revert_change(session: Session, actor: Principal, change_id: int) -> ChangeOut:
    """Undo change ``change_id``; return the new change."""
    row = get_change(session, change_id)
    if row is None:
        raise NotFound("change", str(change_id))
    if row.field == CREATED:
        raise InvalidInput("a creation is not reverted: end the membership or edit the meeting")
    if row.field == focal_points.REMOVED:
        raise InvalidInput("a removed focal point is not reverted: add it again")
    value: Any = row.before
    mark = session.scalar(select(func.max(EditRecord.id))) or 0
    if row.entity == "document":
        if row.field == "versions":
            if value:
                documents.link_version(session, actor, row.entity_id, value[0], reverts=row.id)
            else:
                documents.unlink_version(session, actor, row.entity_id, reverts=row.id)
        else:
            documents.edit_document(
                session, actor, row.entity_id, {row.field: value}, reverts=row.id
            )
    elif row.entity == "meeting":
        meetings.edit_meeting(session, actor, row.entity_id, {row.field: value}, reverts=row.id)
    elif row.entity == "membership":
        memberships.edit_membership(
            session,
            actor,
            row.process_id or "",
            int(row.entity_id),
            {row.field: value},
            reverts=row.id,
        )
    elif row.entity == "focal_point":
        focal_points.edit_focal_point(
            session,
            actor,
            row.process_id or "",
            int(row.entity_id),
            {row.field: value},
            reverts=row.id,
        )
    elif row.entity == "process":
        processes.edit_process(session, actor, row.entity_id, {row.field: value}, reverts=row.id)
    latest = session.scalars(
        select(EditRecord)
        .where(EditRecord.id > mark, EditRecord.entity == row.entity)
        .where(EditRecord.entity_id == row.entity_id, EditRecord.field == row.field)
        .order_by(EditRecord.id)
        .limit(1)
    ).first()
    if latest is None:
        raise InvalidInput("nothing to revert: the field already has its value from before")
    return change_out(latest)
