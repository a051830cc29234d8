"""World maps on pages, through :func:`rcphub.maps.render_world_map`.

Pages still render (without the map) when the map package is not installed.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup


def world_map(values: Any, **options: Any) -> Markup | None:
    """The map as inline SVG markup, or None when :mod:`rcphub.maps` is absent."""
    try:
        from rcphub.maps import render_world_map
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("rcphub.maps"):
            return None
        raise
    return render_world_map(values, **options)
