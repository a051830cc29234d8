"""Accounts and roles: users, sessions, API tokens, and the policy every write path asks.

Reads stay public for now; who may write what is decided in :mod:`rcphub.accounts.policy`.
"""

from rcphub.accounts.policy import (
    ANONYMOUS,
    SYSTEM,
    Action,
    Decision,
    Outcome,
    Principal,
    Role,
    authorize,
    cli_operator,
    decide,
)

__all__ = [
    "ANONYMOUS",
    "SYSTEM",
    "Action",
    "Decision",
    "Outcome",
    "Principal",
    "Role",
    "authorize",
    "cli_operator",
    "decide",
]
