"""World maps rendered on the server as inline SVG (no JavaScript, no network)."""

from rcphub.maps.choropleth import (
    MAX_BINS,
    ClassBreak,
    class_breaks,
    has_geometry,
    iso3_with_geometry,
    render_world_map,
)

__all__ = [
    "MAX_BINS",
    "ClassBreak",
    "class_breaks",
    "has_geometry",
    "iso3_with_geometry",
    "render_world_map",
]
