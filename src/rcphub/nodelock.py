"""A lock among the processes of one node (one data directory): the workers of
``rcphub serve --workers N`` take turns at a job that needs one runner (theme tagging).
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def node_job_lock(directory: Path, name: str) -> Iterator[bool]:
    """A lock among the processes of one node (one data directory), not waited for: yields
    whether this process holds it. Used so that the workers of a node do not all run the same
    job at once."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f"{name}.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
