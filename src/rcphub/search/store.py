"""The index directory: segments, live-row masks and the manifest that names them.

::

    <data_dir>/search/
        manifest.json        the commit point: segments, live masks, embedder, the node's name
                             and its position in the search log
        seg-<id>/            immutable segments (see :mod:`.segment`)
        live-<seg>-<gen>.npy which rows of a segment are live, as of generation <gen>
        write.lock           held by the one process writing

A change writes new files first, then replaces ``manifest.json`` atomically (write, fsync,
rename): a crash leaves either the old index or the new one, never a mix. Files no manifest
names (left by a crash, or replaced) are removed by the next writer.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from rcphub.search.index import Snapshot
from rcphub.search.segment import FORMAT_VERSION, Segment

MANIFEST = "manifest.json"


@dataclass
class Manifest:
    embedder: str
    dims: int
    generation: int = 0
    segments: list[dict[str, str | None]] = field(default_factory=list)
    last_applied: int = 0
    """The node's position in the search log (:mod:`.queue`): the newest entry applied."""
    updated_at: str = ""
    format: int = FORMAT_VERSION
    node: str = ""
    """This index's name among the nodes that share the database (``search_nodes``)."""
    holes: list[list[float]] = field(default_factory=list)
    """Log IDs below ``last_applied`` not seen yet, with when they were first missed."""

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=1)


class IndexStore:
    """Reads and writes one index directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._segments: dict[str, Segment] = {}

    @property
    def manifest_path(self) -> Path:
        return self.directory / MANIFEST

    def exists(self) -> bool:
        return self.manifest_path.exists()

    def manifest_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.manifest_path.stat()
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns

    def read_manifest(self) -> Manifest | None:
        try:
            data = json.loads(self.manifest_path.read_text())
        except (FileNotFoundError, ValueError):
            return None
        if data.get("format") != FORMAT_VERSION:
            return None
        return Manifest(**data)

    def open(self, manifest: Manifest) -> Snapshot:
        """The snapshot a manifest describes (segments already open are reused)."""
        segments, live = [], []
        for entry in manifest.segments:
            name = str(entry["name"])
            segment = self._segments.get(name)
            if segment is None:
                segment = self._segments[name] = Segment(self.directory / name)
            segments.append(segment)
            live_file = entry.get("live")
            live.append(np.load(self.directory / live_file) if live_file else None)
        names = {str(e["name"]) for e in manifest.segments}
        for name in list(self._segments):
            if name not in names:
                del self._segments[name]
        return Snapshot(segments, live)

    def new_segment_dir(self) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        return self.directory / f"seg-{uuid.uuid4().hex[:12]}"

    def write_live(self, segment: str, generation: int, mask: np.ndarray) -> str:
        name = f"live-{segment}-{generation}.npy"
        path = self.directory / name
        with open(path, "wb") as handle:
            np.save(handle, mask.astype(bool), allow_pickle=False)
            handle.flush()
            os.fsync(handle.fileno())
        return name

    def commit(self, manifest: Manifest) -> None:
        """Make ``manifest`` the index, atomically, then remove what it no longer names."""
        self.directory.mkdir(parents=True, exist_ok=True)
        manifest.updated_at = datetime.now(UTC).isoformat(timespec="seconds")
        tmp = self.directory / f"{MANIFEST}.tmp"
        with open(tmp, "w") as handle:
            handle.write(manifest.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self.manifest_path)
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self.collect_garbage(manifest)

    def collect_garbage(self, manifest: Manifest) -> None:
        keep = {MANIFEST, "write.lock"}
        for entry in manifest.segments:
            keep.add(str(entry["name"]))
            if entry.get("live"):
                keep.add(str(entry["live"]))
        for child in self.directory.iterdir():
            if child.name in keep:
                continue
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    child.unlink()

    @contextlib.contextmanager
    def write_lock(self, *, blocking: bool = True) -> Iterator[bool]:
        """The index's writer lock (between processes); yields whether it was taken."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / "write.lock", "a+") as handle:
            flags = fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB)
            try:
                fcntl.flock(handle, flags)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def size_bytes(self) -> int:
        total = 0
        for root, _dirs, files in os.walk(self.directory):
            total += sum((Path(root) / f).stat().st_size for f in files)
        return total
