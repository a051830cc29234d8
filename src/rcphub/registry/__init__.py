"""Queries and services over processes, organisations, states, memberships, meetings and
taxonomies."""

from rcphub.registry import schemas
from rcphub.registry.service import (
    get_meeting,
    get_membership,
    get_process,
    get_scheme,
    get_state,
    hub_counts,
    list_meetings,
    list_process_themes,
    list_processes,
    list_regions,
    list_schemes,
    list_states,
    process_counts_by_state,
    process_id,
    shared_process_counts,
    state_names,
    visible_meetings_clause,
)

__all__ = [
    "get_meeting",
    "get_membership",
    "get_process",
    "get_scheme",
    "get_state",
    "hub_counts",
    "list_meetings",
    "list_process_themes",
    "list_processes",
    "list_regions",
    "list_schemes",
    "list_states",
    "process_counts_by_state",
    "process_id",
    "schemas",
    "shared_process_counts",
    "state_names",
    "visible_meetings_clause",
]
