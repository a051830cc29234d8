"""Tag IDs: a concept as one string, ``<scheme>-<code>`` in lower case (``gcm-23``,
``sdg-10.7``, ``hld2013-rt1``, ``gcm-principles-a``), as the search index's ``theme`` facet
and the URLs use them."""

from __future__ import annotations

from rcphub.errors import InvalidInput

SCHEME_IDS = ("gcm-principles", "hld2013", "gcm", "sdg")
"""Known schemes, longest first, so ``gcm-principles-a`` is not read as ``gcm`` ``principles-a``."""


def tag_id(scheme: str, code: str) -> str:
    return f"{scheme}-{code}".lower()


def parse_tag_id(tag: str) -> tuple[str, str]:
    """``gcm-23`` → ``("gcm", "23")``; ``hld2013-rt1`` → ``("hld2013", "RT1")``."""
    value = tag.strip().lower()
    for scheme in SCHEME_IDS:
        if value.startswith(scheme + "-") and len(value) > len(scheme) + 1:
            code = value[len(scheme) + 1 :]
            return scheme, code.upper() if scheme == "hld2013" else code
    raise InvalidInput(
        f"not a concept ID: {tag!r} (expected <scheme>-<code>, e.g. gcm-23, sdg-10.7, hld2013-rt1)"
    )
