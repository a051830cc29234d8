"""Analytics over the registry: overlapping memberships, growth of the system, and UN DESA
migrant stock per process and per country."""

from rcphub.analytics import schemas
from rcphub.analytics.migration import YEARS, country_migration, process_migration
from rcphub.analytics.overlap import membership_overlap
from rcphub.analytics.timeline import system_timeline

__all__ = [
    "YEARS",
    "country_migration",
    "membership_overlap",
    "process_migration",
    "schemas",
    "system_timeline",
]
