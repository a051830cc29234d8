"""Reference data bundled with the package (states, processes, memberships, meetings,
taxonomies) and its loader. See data/SOURCES.md for where each file comes from."""

from rcphub.refdata.bodies import KINDS, ORGANISATION_KINDS, PROCESS_KINDS, ROLES, party_ref
from rcphub.refdata.loader import LoadReport, load_reference_data, reference_data_is_current

__all__ = [
    "KINDS",
    "ORGANISATION_KINDS",
    "PROCESS_KINDS",
    "ROLES",
    "LoadReport",
    "load_reference_data",
    "party_ref",
    "reference_data_is_current",
]
