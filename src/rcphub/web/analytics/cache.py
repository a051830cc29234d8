"""An in-memory cache for the analytics pages, emptied whenever the reference data changes.

The analytics are pure functions of the reference data (processes, memberships, meetings,
migrant stock), which only changes when ``rcphub load`` replaces it — and that rewrites the
checksums and load times in ``load_records``. So each request reads those rows (one small
query), and the cache is kept while they are the same: computed results, rendered charts and
PNG images are held per (what, options, language), least recently used first out. Ingesting
documents changes none of the tables the analytics read, so it keeps the cache. The loader
records its load times to the microsecond: two loads within a second still differ.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from rcphub.db.models import LoadRecord

T = TypeVar("T")
MAX_ENTRIES = 600


def data_version(session: Session) -> tuple[tuple[str, str, str], ...]:
    """What identifies the loaded reference data: each load record's checksum and time."""
    rows = session.execute(
        select(LoadRecord.name, LoadRecord.checksum, LoadRecord.loaded_at).order_by(LoadRecord.name)
    ).all()
    return tuple((name, digest or "", str(loaded_at or "")) for name, digest, loaded_at in rows)


class AnalyticsCache:
    """Least-recently-used values, valid for one version of the data."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._version: Any = None
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def check(self, version: Any) -> None:
        """Forget everything if the data is not the version the values were computed from."""
        with self._lock:
            if version != self._version:
                self._values.clear()
                self._version = version

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                self.hits += 1
                return self._values[key]
            version = self._version
        value = compute()  # outside the lock: two threads may compute the same thing once
        with self._lock:
            self.misses += 1
            if version != self._version:  # the data changed meanwhile: do not keep it
                return value
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._values)
