"""What people edit after the fact — process profiles, memberships, meetings, document
details and language versions, focal points, and contributors' proposals of such changes —
with its history (who, when, before and after, source and as-of) written in the transaction of
each change, and revert.

Every service takes the session of the caller's transaction and the acting principal, asks
:mod:`rcphub.accounts.policy`, writes :mod:`rcphub.editing.history` and the audit log, and
returns plain schemas; the API, the pages and the CLI call the same functions.
"""

from rcphub.editing.documents import edit_document, link_version, unlink_version
from rcphub.editing.focal_points import (
    add_focal_point,
    edit_focal_point,
    list_focal_points,
    remove_focal_point,
)
from rcphub.editing.history import list_history, record_changes
from rcphub.editing.meetings import create_meeting, edit_meeting
from rcphub.editing.memberships import add_membership, edit_membership, end_membership
from rcphub.editing.processes import edit_process
from rcphub.editing.proposals import approve_proposal, propose_change
from rcphub.editing.revert import revert_change
from rcphub.editing.schemas import ChangeOut, HistoryOut

__all__ = [
    "ChangeOut",
    "HistoryOut",
    "add_focal_point",
    "add_membership",
    "approve_proposal",
    "create_meeting",
    "edit_document",
    "edit_focal_point",
    "edit_meeting",
    "edit_membership",
    "edit_process",
    "end_membership",
    "link_version",
    "list_focal_points",
    "list_history",
    "propose_change",
    "record_changes",
    "remove_focal_point",
    "revert_change",
    "unlink_version",
]
