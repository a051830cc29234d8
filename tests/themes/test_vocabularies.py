"""The schemes as SKOS (JSON-LD and Turtle, read back with rdflib) and the crosswalk."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from sqlalchemy import select

from rcphub.cli import main
from rcphub.db.models import Concept
from rcphub.themes import load_crosswalk, matches_for

# rdflib's own JSON-LD parser still builds a ConjunctiveGraph inside
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
BASE = "http://testserver/taxonomies/"


def test_every_crosswalk_concept_is_in_the_registry(session):
    known = {(s, c) for s, c in session.execute(select(Concept.scheme_id, Concept.code))}
    rows = load_crosswalk()
    assert len(rows) >= 60
    for row in rows:
        assert ("gcm", row.gcm) in known, row
        assert (row.scheme, row.code) in known, row
        assert row.basis.split(":")[0] in {"cited", "wording", "theme"}, row
    # every objective has at least one SDG target and one round table
    for objective in range(1, 24):
        schemes = {m.scheme for m in matches_for("gcm", str(objective))}
        assert schemes == {"sdg", "hld2013"}, objective


def test_crosswalk_reads_both_ways():
    assert any(m.scheme == "sdg" and m.code == "10.c" for m in matches_for("gcm", "20"))
    back = matches_for("sdg", "10.c")
    assert [(m.scheme, m.code, m.relation) for m in back] == [("gcm", "20", "closeMatch")]
    assert {m.code for m in matches_for("hld2013", "RT4")} >= {"5", "6", "18", "22"}


@pytest.mark.parametrize("fmt", ["jsonld", "ttl"])
def test_skos_export_reads_back(client, fmt):
    response = client.get(f"/api/v1/taxonomies/gcm/skos?format={fmt}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="json-ld" if fmt == "jsonld" else "turtle")
    scheme = URIRef(BASE + "gcm")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == 23
    c20 = URIRef(BASE + "gcm#c-20")
    assert (c20, SKOS.inScheme, scheme) in graph
    assert (c20, SKOS.closeMatch, URIRef(BASE + "sdg#c-10.c")) in graph
    assert (c20, SKOS.relatedMatch, URIRef(BASE + "hld2013#c-RT1")) in graph
    labels = set(graph.objects(URIRef(BASE + "gcm#c-1"), SKOS.prefLabel))
    assert {label.language for label in labels} == {"en", "fr", "es"}


def test_sdg_export_has_six_languages_and_the_hierarchy(client):
    graph = Graph().parse(data=client.get("/api/v1/taxonomies/sdg/skos").text, format="json-ld")
    target = URIRef(BASE + "sdg#c-10.7")
    assert (target, SKOS.broader, URIRef(BASE + "sdg#c-10")) in graph
    assert {label.language for label in graph.objects(target, SKOS.prefLabel)} == {
        "en",
        "fr",
        "es",
        "ru",
        "ar",
        "zh",
    }
    assert (target, SKOS.notation, Literal("10.7")) in graph
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == 17 + 169


def test_skos_errors(client):
    assert client.get("/api/v1/taxonomies/nope/skos").status_code == 404
    assert client.get("/api/v1/taxonomies/gcm/skos?format=rdfxml").status_code == 422


def test_taxonomy_page_links_downloads_and_shows_the_crosswalk(client):
    page = client.get("/taxonomies/gcm").text
    assert 'href="/api/v1/taxonomies/gcm/skos?format=ttl"' in page
    assert 'href="/taxonomies/sdg#c-10.c"' in page
    page = client.get("/taxonomies/sdg").text
    assert 'href="/taxonomies/gcm#c-20"' in page


def test_cli_export(loaded_database, tmp_path):
    out = tmp_path / "hld.ttl"
    args = ["--database-url", loaded_database.settings.resolved_database_url]
    args += ["--data-dir", str(loaded_database.settings.data_dir)]
    result = CliRunner().invoke(
        main,
        [
            *args,
            "taxonomies",
            "export",
            "hld2013",
            "--format",
            "ttl",
            "-o",
            str(out),
            "--base-url",
            "https://hub.example.org/",
        ],
    )
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out, format="turtle")
    rt4 = URIRef("https://hub.example.org/taxonomies/hld2013#c-RT4")
    assert (rt4, RDF.type, SKOS.Concept) in graph
    assert (rt4, SKOS.closeMatch, URIRef("https://hub.example.org/taxonomies/gcm#c-6")) in graph
    result = CliRunner().invoke(main, [*args, "taxonomies", "export", "nope"])
    assert result.exit_code == 3
