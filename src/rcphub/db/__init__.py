"""Database models, engines and migrations."""

from rcphub.db.engine import Database, make_engine
from rcphub.db.models import (
    Base,
    Body,
    Concept,
    LoadRecord,
    Meeting,
    Membership,
    MembershipList,
    Region,
    Scheme,
    State,
)

__all__ = [
    "Base",
    "Body",
    "Concept",
    "Database",
    "LoadRecord",
    "Meeting",
    "Membership",
    "MembershipList",
    "Region",
    "Scheme",
    "State",
    "make_engine",
]
