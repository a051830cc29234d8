"""The envelopes of the JSON API's lists (``{"total", "<things>"}``) are pydantic models beside
their schemas, so the OpenAPI document describes them: each answer is exactly its model (no
key written by hand besides it), and the OpenAPI document names the model. On SQLite and
PostgreSQL."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pydantic import BaseModel

from rcphub.accounts import SYSTEM
from rcphub.accounts.invitations import InvitationList, create_invitation
from rcphub.accounts.schemas import TokenHolder, UserList
from rcphub.app import create_app
from rcphub.audit import AuditPage
from rcphub.bootstrap import ingest_bundled_documents
from rcphub.cli import main
from rcphub.documents.schemas import CandidateList, DocumentList, ProposalBatch, ProposalList
from rcphub.exchange.schemas import FollowList
from rcphub.feeds.schemas import UpdateList
from rcphub.registry.schemas import MeetingList, ProcessList, RegionList, SchemeList, StateList
from rcphub.webhooks.schemas import CreatedWebhook, DeliveryList, WebhookList
from tests.accounts_support import make_token, make_user

ENVELOPES: list[tuple[str, type[BaseModel]]] = [
    ("/api/v1/processes", ProcessList),
    ("/api/v1/processes?kind=rcp", ProcessList),
    ("/api/v1/states", StateList),
    ("/api/v1/meetings", MeetingList),
    ("/api/v1/upcoming?since=2000-01-01", MeetingList),
    ("/api/v1/taxonomies", SchemeList),
    ("/api/v1/regions", RegionList),
    ("/api/v1/documents", DocumentList),
    ("/api/v1/candidates?status=all", CandidateList),
    ("/api/v1/proposals?status=all", ProposalList),
    ("/api/v1/people", UserList),
    ("/api/v1/invitations", InvitationList),
    ("/api/v1/updates", UpdateList),
    ("/api/v1/follows", FollowList),
    ("/api/v1/webhooks", WebhookList),
    ("/api/v1/webhooks/deliveries", DeliveryList),
    ("/api/v1/audit?limit=5", AuditPage),
]


@pytest.fixture(scope="module")
def hub(database_factory):
    database = database_factory.new()
    ingest_bundled_documents(database)  # the Lima summary: documents and candidate bodies
    make_user(database, "admin", "admin")
    make_user(database, "contrib", "contributor@bali-process")
    with database.session() as session:
        create_invitation(session, SYSTEM, "reader", "bali-process")
    return database


@pytest.fixture(scope="module")
def api(hub):
    app = create_app(hub.settings, database=hub)
    with TestClient(app, headers={"Authorization": f"Bearer {make_token(hub, 'admin')}"}) as client:
        proposed = client.post(
            "/api/v1/documents",
            headers={"Authorization": f"Bearer {make_token(hub, 'contrib')}"},
            files=[("files", ("proposed.txt", b"1. A proposed text on Peru.\n", "text/plain"))],
            data={"process": "bali-process"},
        )
        assert proposed.status_code == 202, proposed.text
        hook = client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"})
        assert hook.status_code == 201, hook.text
        assert CreatedWebhook.model_validate_json(hook.content).model_dump_json().encode() == (
            hook.content
        )
        stored = client.post(  # a document added: an event, so a delivery for the webhook
            "/api/v1/documents",
            files=[("files", ("added.txt", b"1. Peru hosted the meeting.\n", "text/plain"))],
        )
        assert stored.status_code == 201, stored.text
        followed = client.post("/api/v1/follows", json={"kind": "process", "target": "midsa"})
        assert followed.status_code == 201, followed.text
        published = client.post(
            "/api/v1/processes/midsa/updates", json={"titles": {"en": "A meeting in Gaborone"}}
        )
        assert published.status_code == 201, published.text
        yield client


@pytest.mark.parametrize(("url", "model"), ENVELOPES)
def test_each_list_is_its_model(api, url, model):
    response = api.get(url)
    assert response.status_code == 200, response.text
    found = model.model_validate_json(response.content)
    # nothing beside the model, nothing the model leaves out, in the model's order
    assert found.model_dump_json().encode() == response.content
    items = next(value for key, value in response.json().items() if key != "total")
    if "total" in model.model_fields and "limit=" not in url:  # a page counts all it could hold
        assert response.json()["total"] == len(items)
    assert items, f"{url}: an empty list proves little"


@pytest.mark.parametrize(("url", "model"), ENVELOPES)
def test_the_openapi_document_names_each_envelope(api, url, model):
    document = api.get("/api/v1/openapi.json").json()
    path = url.split("?")[0].removeprefix("/api/v1")
    answer = document["paths"][f"/api/v1{path}"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{model.__name__}"
    }
    assert set(document["components"]["schemas"][model.__name__]["properties"]) == set(
        model.model_fields
    )


def test_names_in_a_language_stay_beside_the_envelope(api):
    """``?lang=`` adds ``name`` and ``name_language`` beside each ``names``: more than the
    model says, still one envelope."""
    listed = api.get("/api/v1/processes?lang=fr").json()
    assert set(listed) == {"total", "processes"}
    assert {"name", "name_language"} <= set(listed["processes"][0])


def test_the_upload_envelopes(api, hub):
    contrib = {"Authorization": f"Bearer {make_token(hub, 'contrib')}"}
    proposed = api.post(
        "/api/v1/documents",
        headers=contrib,
        files=[("files", ("p.txt", b"1. Peru and Mexico agree.\n", "text/plain"))],
        data={"process": "bali-process"},
    )
    assert proposed.status_code == 202, proposed.text
    assert ProposalBatch.model_validate_json(proposed.content).model_dump_json().encode() == (
        proposed.content
    )
    assert set(proposed.json()) == {"proposals"}  # no empty "errors": as before the model
    document = api.get("/api/v1/openapi.json").json()
    upload = document["paths"]["/api/v1/documents"]["post"]["responses"]
    assert upload["201"]["content"]["application/json"]["schema"]["$ref"].endswith("IngestReport")
    assert upload["202"]["content"]["application/json"]["schema"]["$ref"].endswith("ProposalBatch")


@pytest.mark.parametrize(
    ("args", "url"),
    [
        (["processes", "list", "--json"], "/api/v1/processes"),
        (["countries", "list", "--json"], "/api/v1/states"),
        (["meetings", "list", "--json"], "/api/v1/meetings"),
        (["taxonomies", "list", "--json"], "/api/v1/taxonomies"),
    ],
)
def test_the_command_line_prints_the_same_envelope(api, hub, args, url):
    settings = hub.settings
    base = ["--database-url", settings.resolved_database_url, "--data-dir", str(settings.data_dir)]
    result = CliRunner().invoke(main, [*base, *args])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == api.get(url).json()


def test_me_is_its_model(api):
    response = api.get("/api/v1/me")
    found = TokenHolder.model_validate_json(response.content)
    assert found.model_dump_json().encode() == response.content
    assert found.roles[0].role == "admin"
    document = api.get("/api/v1/openapi.json").json()
    answer = document["paths"]["/api/v1/me"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/TokenHolder")
