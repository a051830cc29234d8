"""Database models, engines and migrations."""

from rcphub.db.engine import Database, make_engine
from rcphub.db.followup_models import FollowupItem, FollowupUpdate
from rcphub.db.models import (
    Base,
    Body,
    Concept,
    Document,
    DocumentLink,
    LoadRecord,
    Meeting,
    Membership,
    MembershipList,
    Mention,
    MigrantStock,
    MigrantTotal,
    Passage,
    Region,
    Scheme,
    SearchQueueEntry,
    State,
    Work,
)

__all__ = [
    "Base",
    "Body",
    "Concept",
    "Database",
    "Document",
    "DocumentLink",
    "FollowupItem",
    "FollowupUpdate",
    "LoadRecord",
    "Meeting",
    "Membership",
    "MembershipList",
    "Mention",
    "MigrantStock",
    "MigrantTotal",
    "Passage",
    "Region",
    "Scheme",
    "SearchQueueEntry",
    "State",
    "Work",
    "make_engine",
]
