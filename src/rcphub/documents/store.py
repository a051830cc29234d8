"""Source files of ingested documents, kept by content hash under the data directory."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class FileStore:
    """Content-addressed files: ``<root>/<hash[:2]>/<hash>``. Writing is atomic (a temporary
    file renamed into place), so a reader never sees half a file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, content_hash: str) -> Path:
        return self.root / content_hash[:2] / content_hash

    def put(self, content_hash: str, data: bytes) -> bool:
        """Store ``data``; return True if this call created the file."""
        target = self.path(content_hash)
        if target.exists():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return True

    def discard(self, content_hash: str) -> None:
        self.path(content_hash).unlink(missing_ok=True)

    def get(self, content_hash: str) -> bytes:
        return self.path(content_hash).read_bytes()
