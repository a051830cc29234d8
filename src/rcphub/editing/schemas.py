"""What the editing services return: the same JSON for the API and the CLI's ``--json``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ChangeOut(BaseModel):
    """One field of one record changed by a person: who, when, before and after."""

    id: int
    entity: str  # document | process | meeting | membership | focal_point
    entity_id: str
    process: str | None = None
    field: str  # "*" for the creation of the record
    before: Any = None
    after: Any = None
    who: str | None
    """Who made the change; None where the reader may not see it (``HistoryOut.who_shown``)."""
    at: str
    source: str | None = None
    as_of: str | None = None
    reverts: int | None = None
    proposed_by: str | None = None
    """The contributor whose proposal this change applied (``who`` accepted it); hidden like
    ``who``."""


class HistoryOut(BaseModel):
    entity: str
    entity_id: str
    total: int
    changes: list[ChangeOut]
    who_shown: bool
    """Whether ``who`` and ``proposed_by`` are given: to members of the record's processes
    (any role) and admins (:func:`rcphub.accounts.policy.may_see_editors`)."""
