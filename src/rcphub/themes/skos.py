"""A scheme as a SKOS controlled vocabulary, in JSON-LD or Turtle.

IRIs are the hub's own pages: the scheme is ``<base><scheme>`` (its taxonomy page) and a
concept ``<base><scheme>#c-<code>`` (its entry on that page), so they resolve wherever the hub
is served. Labels carry their language tags; a label missing in a language is missing, not
copied from another. The crosswalk (:mod:`rcphub.themes.crosswalk`) becomes
``skos:closeMatch`` / ``skos:relatedMatch`` links to the other schemes' concepts.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from rcphub.errors import InvalidInput
from rcphub.registry.schemas import SchemeDetail
from rcphub.themes.crosswalk import matches_for

FORMATS = {"jsonld": "application/ld+json", "ttl": "text/turtle"}
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"


def scheme_iri(base: str, scheme: str) -> str:
    return f"{base}{quote(scheme)}"


def concept_iri(base: str, scheme: str, code: str) -> str:
    return f"{base}{quote(scheme)}#c-{quote(code)}"


def _lang_values(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"@value": text, "@language": lang} for lang, text in values.items() if text]


def _graph(scheme: SchemeDetail, base: str) -> list[dict[str, Any]]:
    scheme_id = scheme_iri(base, scheme.id)
    top = [c for c in scheme.concepts if not c.parent]
    head: dict[str, Any] = {
        "@id": scheme_id,
        "@type": "skos:ConceptScheme",
        "skos:prefLabel": _lang_values(scheme.names),
        "skos:hasTopConcept": [{"@id": concept_iri(base, scheme.id, c.code)} for c in top],
    }
    if scheme.source:
        head["dct:source"] = scheme.source
    if scheme.licence:
        head["dct:license"] = scheme.licence
    graph = [head]
    for c in scheme.concepts:
        node: dict[str, Any] = {
            "@id": concept_iri(base, scheme.id, c.code),
            "@type": "skos:Concept",
            "skos:inScheme": {"@id": scheme_id},
            "skos:notation": c.code,
            "skos:prefLabel": _lang_values(c.labels),
        }
        alt = {lang: text for lang, text in c.short_labels.items() if text != c.labels.get(lang)}
        if alt:
            node["skos:altLabel"] = _lang_values(alt)
        if c.notes:
            node["skos:note"] = _lang_values(c.notes)
        if c.parent:
            node["skos:broader"] = {"@id": concept_iri(base, scheme.id, c.parent)}
        else:
            node["skos:topConceptOf"] = {"@id": scheme_id}
        children = [k.code for k in scheme.concepts if k.parent == c.code]
        if children:
            node["skos:narrower"] = [{"@id": concept_iri(base, scheme.id, k)} for k in children]
        for match in matches_for(scheme.id, c.code):
            node.setdefault(f"skos:{match.relation}", []).append(
                {"@id": concept_iri(base, match.scheme, match.code)}
            )
        graph.append(node)
    return graph


def to_jsonld(scheme: SchemeDetail, base: str) -> str:
    document = {"@context": {"skos": SKOS, "dct": DCT}, "@graph": _graph(scheme, base)}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _turtle_literal(value: str) -> str:
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _turtle_term(value: Any) -> str:
    if isinstance(value, dict) and "@id" in value:
        return f"<{value['@id']}>"
    if isinstance(value, dict):
        return f"{_turtle_literal(value['@value'])}@{value['@language']}"
    return _turtle_literal(str(value))


def to_turtle(scheme: SchemeDetail, base: str) -> str:
    lines = [f"@prefix skos: <{SKOS}> .", f"@prefix dct: <{DCT}> .", ""]
    for node in _graph(scheme, base):
        parts = [f"a {node['@type']}"]
        for key, value in node.items():
            if key.startswith("@"):
                continue
            values = value if isinstance(value, list) else [value]
            if values:
                parts.append(f"{key} " + ", ".join(_turtle_term(v) for v in values))
        lines.append(f"<{node['@id']}> " + " ;\n    ".join(parts) + " .")
        lines.append("")
    return "\n".join(lines)


def export_scheme(scheme: SchemeDetail, fmt: str, base: str) -> str:
    """The scheme in ``jsonld`` or ``ttl``; ``base`` is the URL of the taxonomy pages,
    ending in ``/`` (``http://127.0.0.1:8000/taxonomies/``)."""
    if fmt == "jsonld":
        return to_jsonld(scheme, base)
    if fmt == "ttl":
        return to_turtle(scheme, base)
    raise InvalidInput(f"unknown format {fmt!r}: use {' or '.join(FORMATS)}")
