"""Access to the reference data files bundled in the package (never to ../shared)."""

from __future__ import annotations

import csv
import hashlib
from functools import cache
from importlib import resources
from typing import Any

import yaml

DATA = resources.files("rcphub.refdata").joinpath("data")


def read_text(name: str) -> str:
    return DATA.joinpath(name).read_text(encoding="utf-8-sig")


def read_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(read_text(name).splitlines()))


@cache
def read_yaml(name: str) -> Any:
    return yaml.safe_load(read_text(name))


def checksum(*names: str) -> str:
    """A SHA-256 over the named files, to tell whether the bundled data changed."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update(DATA.joinpath(name).read_bytes())
    return digest.hexdigest()
