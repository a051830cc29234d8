"""Updates, follows and "What's new" on both databases, through the pages (signed in through
the real form, with CSRF tokens), the JSON API (bearer tokens), the CLI and the Atom feed; a
members-only update that outsiders, anonymous readers and feeds never see; bad input as 4xx."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import feedparser
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from rcphub import audit
from rcphub.accounts import SYSTEM
from rcphub.cli import main
from rcphub.db import Database
from rcphub.exchange import follows as follow_service
from rcphub.exchange.updates import publish_update
from tests.accounts_support import csrf_from, make_token, make_user, signed_in_client

PUBLIC_TITLE = "Ministerial Conference announced for March"
PUBLIC_TITLE_FR = "Conférence ministérielle annoncée pour mars"
SECRET_TITLE = "Closed session: draft negotiating text"
SAVED_SEARCH_TEXT = """Working group statement

1. The working group was asked to study the costs of remittance corridors and to report on them.

2. The next meeting will take place in the second half of the year.
"""


@dataclass
class Hub:
    database: Database
    app: object
    anonymous: TestClient
    secretariat: TestClient
    member: TestClient
    outsider: TestClient
    public_id: int
    secret_id: int


@pytest.fixture(scope="module")
def hub(database_factory):  # type: ignore[no-untyped-def]
    from rcphub.app import create_app

    database = database_factory.new()
    make_user(database, "sec", "secretariat@bali-process")
    make_user(database, "member", "reader@bali-process")
    make_user(database, "outsider", "reader")
    app = create_app(database.settings, database=database)
    app.state.indexer.catch_up()  # what the background indexer of `rcphub serve` does
    secretariat = signed_in_client(app, "sec")
    page = secretariat.get("/processes/bali-process/updates/new")
    assert page.status_code == 200, page.text
    response = secretariat.post(
        "/processes/bali-process/updates",
        data={
            "csrf_token": csrf_from(page.text),
            "title_en": PUBLIC_TITLE,
            "body_en": "The Co-Chairs announced the Ministerial Conference.\n\nDetails follow.",
            "title_fr": PUBLIC_TITLE_FR,
            "body_fr": "Les coprésidents ont annoncé la Conférence ministérielle.",
            "links": "meeting:grcp-2013",
            "visibility": "public",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    public_id = int(response.headers["location"].rsplit("/", 1)[1])
    with database.session() as session:
        secret = publish_update(
            session, SYSTEM, "bali-process", {"en": SECRET_TITLE}, visibility="restricted"
        )
    anonymous = TestClient(app)
    anonymous.__enter__()
    hub = Hub(
        database,
        app,
        anonymous,
        secretariat,
        signed_in_client(app, "member"),
        signed_in_client(app, "outsider"),
        public_id,
        secret.id,
    )
    yield hub
    for client in (anonymous, hub.secretariat, hub.member, hub.outsider):
        client.__exit__(None, None, None)


def follow(client, kind: str, target: str, next_path: str | None = None):  # type: ignore[no-untyped-def]
    """Post the follow form as its button does (CSRF token, no redirect followed)."""
    data = {"csrf_token": client.csrf, "kind": kind, "target": target}
    if next_path is not None:
        data["next"] = next_path
    return client.post("/follows", data=data, follow_redirects=False)


# ---------------------------------------------------------------------------- updates


def test_a_published_update_has_a_page_in_the_readers_language(hub):
    english = hub.anonymous.get(f"/updates/{hub.public_id}?lang=en")
    assert english.status_code == 200
    assert PUBLIC_TITLE in english.text
    assert "Details follow." in english.text
    assert "/meetings/grcp-2013" in english.text
    french = hub.anonymous.get(f"/updates/{hub.public_id}?lang=fr")
    assert f"<h1>{PUBLIC_TITLE_FR}</h1>" in french.text


def test_the_process_page_lists_updates_and_offers_publishing_to_its_secretariat(hub):
    page = hub.anonymous.get("/processes/bali-process?lang=en").text
    assert PUBLIC_TITLE in page
    assert SECRET_TITLE not in page
    assert "/updates/new" not in page
    mine = hub.secretariat.get("/processes/bali-process?lang=en").text
    assert SECRET_TITLE in mine
    assert "/processes/bali-process/updates/new" in mine
    assert "/updates/new" not in hub.outsider.get("/processes/bali-process").text


def test_members_only_updates_stay_with_members(hub):
    path = f"/updates/{hub.secret_id}"
    assert hub.anonymous.get(path).status_code == 404
    assert hub.outsider.get(path).status_code == 404
    assert hub.member.get(path).status_code == 200
    assert hub.secretariat.get(path).status_code == 200
    assert hub.anonymous.get(f"/api/v1{path}").status_code == 404
    listed = hub.anonymous.get("/api/v1/updates?process=bali-process").json()["updates"]
    assert [u["id"] for u in listed] == [hub.public_id]


def test_the_process_feed_carries_public_updates_only(hub):
    body = hub.anonymous.get("/feeds/process/bali-process.atom?lang=fr").content
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.bozo_exception
    titles = [e.title for e in feed.entries]
    assert any(PUBLIC_TITLE_FR in t for t in titles), titles
    assert not any(SECRET_TITLE in t for t in titles)
    entry = next(e for e in feed.entries if PUBLIC_TITLE_FR in e.title)
    assert entry.link.endswith(f"/updates/{hub.public_id}")


def test_publishing_is_for_the_secretariat_and_checks_csrf(hub):
    form = {"title_en": "Not mine", "csrf_token": hub.outsider.csrf}
    refused = hub.outsider.post("/processes/bali-process/updates", data=form)
    assert refused.status_code == 403
    assert hub.outsider.get("/processes/bali-process/updates/new").status_code == 403
    away = hub.anonymous.get("/processes/bali-process/updates/new", follow_redirects=False)
    assert away.status_code == 303
    assert away.headers["location"].startswith("/sign-in")
    forged = hub.secretariat.post(
        "/processes/bali-process/updates", data={"title_en": "Forged", "csrf_token": "x"}
    )
    assert forged.status_code == 403
    wrong_process = hub.secretariat.post(
        "/processes/gfmd/updates",
        data={"title_en": "Elsewhere", "csrf_token": hub.secretariat.csrf},
    )
    assert wrong_process.status_code == 403


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body_en": "no title"}, "needs a title"),
        ({"title_en": "x" * 301}, "longer than 300"),
        ({"title_en": "Links", "links": "document:nope"}, "no document"),
        ({"title_en": "Links", "links": "https://example.org"}, "document:&lt;id&gt;"),
        ({"title_en": "Who", "visibility": "secret"}, "visibility must be public or restricted"),
        ({"title_fr": "Titre", "body_en": "text"}, "has no title"),
    ],
)
def test_bad_updates_are_refused_with_the_form_again(hub, fields, message):
    response = hub.secretariat.post(
        "/processes/bali-process/updates",
        data={"csrf_token": hub.secretariat.csrf, **fields},
    )
    assert response.status_code == 422
    assert message in response.text
    assert 'name="title_en"' in response.text


def test_updates_are_audited_and_withdrawn_by_the_secretariat(hub):
    with hub.database.session() as session:
        extra = publish_update(session, SYSTEM, "bali-process", {"en": "To withdraw"})
    refused = hub.outsider.post(
        f"/updates/{extra.id}/withdraw", data={"csrf_token": hub.outsider.csrf}
    )
    assert refused.status_code == 403
    done = hub.secretariat.post(
        f"/updates/{extra.id}/withdraw",
        data={"csrf_token": hub.secretariat.csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert hub.anonymous.get(f"/updates/{extra.id}").status_code == 404
    with hub.database.session() as session:
        _, entries = audit.list_entries(session, object_id=str(extra.id))
        actions = {(e.action, e.actor) for e in entries}
        _, published = audit.list_entries(session, object_id=str(hub.public_id))
    assert ("update.withdraw", "sec") in actions
    assert ("update.publish", "sec") in {(e.action, e.actor) for e in published}


def test_the_api_publishes_with_a_secretariat_token(hub):
    token = make_token(hub.database, "sec")
    headers = {"Authorization": f"Bearer {token}"}
    body = {"titles": {"ru": "Объявлено совещание"}, "bodies": {"ru": "Текст"}}
    created = hub.anonymous.post(
        "/api/v1/processes/bali-process/updates", json=body, headers=headers
    )
    assert created.status_code == 201, created.text
    assert created.json()["titles"] == {"ru": "Объявлено совещание"}
    assert created.json()["published_by"] == "sec (token " + created.json()["published_by"][11:]
    bad = hub.anonymous.post(
        "/api/v1/processes/bali-process/updates",
        json={**body, "visibility": "nobody"},
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_input"
    missing = hub.anonymous.post("/api/v1/processes/nowhere/updates", json=body, headers=headers)
    assert missing.status_code == 404
    outsider = {"Authorization": f"Bearer {make_token(hub.database, 'outsider')}"}
    refused = hub.anonymous.post(
        "/api/v1/processes/bali-process/updates", json=body, headers=outsider
    )
    assert refused.status_code == 403
    anonymous = hub.anonymous.post("/api/v1/processes/bali-process/updates", json=body)
    assert anonymous.status_code == 401


def test_the_cli_publishes_and_lists(hub):
    settings = hub.database.settings
    base = ["--database-url", settings.resolved_database_url, "--data-dir", str(settings.data_dir)]
    runner = CliRunner()
    published = runner.invoke(
        main,
        [
            *base,
            "updates",
            "publish",
            "bali-process",
            "--title",
            "es",
            "Reunión anunciada",
            "--link",
            "meeting:grcp-2013",
            "--json",
        ],
        catch_exceptions=False,
    )
    assert published.exit_code == 0, published.output
    update = json.loads(published.output)
    assert update["links"] == ["meeting:grcp-2013"]
    listed = runner.invoke(main, [*base, "updates", "list", "--process", "bali-process"])
    assert "Reunión anunciada" in listed.output
    assert "[restricted]" in listed.output  # the operator reads everything
    bad = runner.invoke(main, [*base, "updates", "publish", "bali-process", "--title", "en", " "])
    assert bad.exit_code == 2
    assert "needs a title" in bad.output


# ---------------------------------------------------------------------------- follows


def test_follow_from_the_process_page_and_see_whats_new(hub):
    client = hub.outsider
    page = client.get("/processes/bali-process?lang=en").text
    assert "Follow this process" in page
    followed = follow(client, "process", "bali-process", "/processes/bali-process")
    assert followed.status_code == 303
    assert followed.headers["location"] == "/processes/bali-process"
    assert "Stop following" in client.get("/processes/bali-process?lang=en").text
    new = client.get("/whats-new?lang=en")
    assert new.status_code == 200
    assert PUBLIC_TITLE in new.text
    assert SECRET_TITLE not in new.text
    french = client.get("/whats-new?lang=fr").text
    assert PUBLIC_TITLE_FR in french
    seen = client.post("/whats-new/seen", data={"csrf_token": client.csrf}, follow_redirects=False)
    assert seen.status_code == 303
    assert PUBLIC_TITLE not in client.get("/whats-new?lang=en").text
    assert hub.anonymous.get("/whats-new", follow_redirects=False).status_code == 303


def test_a_member_finds_the_restricted_update_in_whats_new(hub):
    """What's new reads as the follower: a member of the process gets its restricted update,
    and the API answers the same (the outsider's view is in the test above)."""
    make_user(hub.database, "member-follower", "reader@bali-process")
    client = signed_in_client(hub.app, "member-follower")
    try:
        followed = follow(client, "process", "bali-process")
        assert followed.status_code == 303
        page = client.get("/whats-new?lang=en").text
        assert SECRET_TITLE in page
        assert PUBLIC_TITLE in page
    finally:
        client.__exit__(None, None, None)


def test_themes_are_followed_from_their_taxonomy_page(hub):
    assert 'action="/follows"' not in hub.anonymous.get("/taxonomies/hld2013").text
    make_user(hub.database, "theme-reader", "reader")
    client = signed_in_client(hub.app, "theme-reader")
    try:
        page = client.get("/taxonomies/hld2013?lang=en").text
        concepts = page.count('class="concept"') + page.count('class="concept concept--child"')
        assert page.count('name="kind" value="theme"') == concepts > 0
        followed = follow(client, "theme", "hld2013/rt1", "/taxonomies/hld2013#c-RT1")
        assert followed.headers["location"] == "/taxonomies/hld2013#c-RT1"
        page = client.get("/taxonomies/hld2013?lang=en").text
        item = page[page.index('id="c-RT1"') :]
        item = item[: item.index("</li>")]
        assert "Stop following" in item
        assert 'value="hld2013/RT1"' not in page  # the followed one offers no second follow
    finally:
        client.__exit__(None, None, None)


def test_follows_are_managed_on_the_account_page(hub):
    client = hub.member
    for kind, target in [("state", "per"), ("theme", "hld2013/rt1"), ("search", "q=trafficking")]:
        response = follow(client, kind, target)
        assert response.status_code == 303, response.text
    account = client.get("/account?lang=en").text
    # shown by name in the page's language, each a link to its page, never by raw ID
    peru = client.get("/api/v1/states/PER").json()["names"]
    rt1 = next(
        c for c in client.get("/api/v1/taxonomies/hld2013").json()["concepts"] if c["code"] == "RT1"
    )
    assert f'<a href="/countries/PER" class="follow-list__subject">{peru["en"]}</a>' in account
    assert (
        f'href="/taxonomies/hld2013#c-RT1" class="follow-list__subject">{rt1["labels"]["en"]}'
        in (account)
    )
    assert (
        '<a href="/search?q=trafficking" class="follow-list__subject"><q>trafficking</q></a>'
        in (account)
    )
    for raw in (">PER<", ">hld2013/RT1<", "state:PER", ">q=trafficking<"):
        assert raw not in account
    for lang in ("fr", "ar", "zh"):
        translated = client.get(f"/account?lang={lang}").text
        assert f">{peru[lang]}</a>" in translated, lang
    whats_new = client.get("/whats-new?lang=ru").text
    assert f">{peru['ru']}</a>" in whats_new
    assert "<q>trafficking</q>" in whats_new
    ids = re.findall(r'action="/follows/(\d+)/delete"', account)
    assert len(ids) == 3
    removed = client.post(
        f"/follows/{ids[0]}/delete", data={"csrf_token": client.csrf}, follow_redirects=False
    )
    assert removed.status_code == 303
    assert len(re.findall(r'action="/follows/(\d+)/delete"', client.get("/account").text)) == 2
    # someone else's follow is not found
    other = hub.outsider.post(f"/follows/{ids[1]}/delete", data={"csrf_token": hub.outsider.csrf})
    assert other.status_code == 404


@pytest.mark.parametrize(
    ("kind", "target", "status"),
    [
        ("process", "atlantis", 404),
        ("state", "XXX", 404),
        ("theme", "gcm", 422),
        ("theme", "gcm/o99", 404),
        ("search", "page=2", 422),
        ("planet", "mars", 422),
        ("process", "", 422),
    ],
)
def test_bad_follows_are_4xx(hub, kind, target, status):
    response = hub.member.post(
        "/follows", data={"csrf_token": hub.member.csrf, "kind": kind, "target": target}
    )
    assert response.status_code == status, response.text


def test_digest_settings_are_checked(hub):
    client = hub.member
    no_address = client.post(
        "/account/preferences", data={"csrf_token": client.csrf, "digest": "daily"}
    )
    assert no_address.status_code == 422
    bad = client.post(
        "/account/preferences",
        data={"csrf_token": client.csrf, "digest": "hourly", "email": "m@example.org"},
    )
    assert bad.status_code == 422
    ok = client.post(
        "/account/preferences",
        data={
            "csrf_token": client.csrf,
            "digest": "weekly",
            "email": "member@example.org",
            "language": "ru",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    page = client.get("/account?lang=en").text
    assert 'value="member@example.org"' in page
    assert '<option value="weekly" selected>' in page


def test_the_api_follows_with_a_token(hub):
    headers = {"Authorization": f"Bearer {make_token(hub.database, 'outsider')}"}
    created = hub.anonymous.post(
        "/api/v1/follows", json={"kind": "state", "target": "bra"}, headers=headers
    )
    assert created.status_code == 201, created.text
    assert created.json()["target"] == "BRA"
    again = hub.anonymous.post(
        "/api/v1/follows", json={"kind": "state", "target": "BRA"}, headers=headers
    )
    assert again.json()["id"] == created.json()["id"]
    listed = hub.anonymous.get("/api/v1/follows", headers=headers).json()["follows"]
    assert ("state", "BRA") in {(f["kind"], f["target"]) for f in listed}
    new = hub.anonymous.get("/api/v1/whats-new", headers=headers)
    assert new.status_code == 200
    assert all(
        i.get("update", {}).get("visibility", "public") == "public" for i in new.json()["items"]
    )
    gone = hub.anonymous.delete(f"/api/v1/follows/{created.json()['id']}", headers=headers)
    assert gone.status_code == 204
    read_only = {"Authorization": f"Bearer {make_token(hub.database, 'outsider', 'read')}"}
    refused = hub.anonymous.post(
        "/api/v1/follows", json={"kind": "state", "target": "BRA"}, headers=read_only
    )
    assert refused.status_code == 403
    assert hub.anonymous.get("/api/v1/follows").status_code == 401


def test_saved_searches_are_kept_canonical(hub):
    with hub.database.session() as session:
        from rcphub.accounts.users import get_user_row, principal_for

        principal = principal_for(session, get_user_row(session, "outsider"), via="session")
        saved = follow_service.follow(
            session, principal, "search", "/search?q=+labour+migration&language=en&page=3"
        )
    assert saved.target == "q=labour+migration&language=en"


@pytest.mark.parametrize(
    "path", ["/updates/0", "/updates/99999999999999999999", "/api/v1/updates/-1", "/updates/x"]
)
def test_impossible_update_ids_are_4xx(hub, path):
    assert hub.anonymous.get(path).status_code in (404, 422)


def test_whats_new_runs_saved_searches(hub):
    """A saved search's new matches appear in What's new, cited and linked to the paragraph;
    what does not match it does not."""
    from rcphub.documents import Ingestor

    client = hub.member
    response = follow(client, "search", "q=remittance+corridors")
    assert response.status_code == 303
    ingestor = Ingestor(hub.database, tag=False)
    outcome = ingestor.ingest_bytes(SAVED_SEARCH_TEXT.encode(), "corridors-2026.en.txt")
    assert outcome.error is None, outcome.error
    hub.app.state.indexer.catch_up()  # what the background indexer of `rcphub serve` does
    page = client.get("/whats-new?lang=en")
    assert page.status_code == 200
    assert f"/documents/{outcome.document_id}#p-1" in page.text
    assert "costs of remittance corridors" in page.text
    assert f"/documents/{outcome.document_id}#p-2" not in page.text  # no match: not shown
    arabic = client.get("/whats-new?lang=ar")
    assert arabic.status_code == 200
    assert 'dir="rtl"' in arabic.text
    assert f"/documents/{outcome.document_id}#p-1" in arabic.text
    huge = client.post("/follows/99999999999999999999/delete", data={"csrf_token": client.csrf})
    assert huge.status_code == 404


def test_follow_a_country_and_a_search_from_their_pages(hub):
    client = hub.secretariat
    country = client.get("/countries/PER?lang=en").text
    assert "Follow this country or area" in country
    assert "Follow this country" not in hub.anonymous.get("/countries/PER?lang=en").text
    follow(client, "state", "PER")
    assert "Stop following" in client.get("/countries/PER?lang=en").text
    search = client.get("/search?q=trafficking&language=fr&lang=en").text
    target = re.search(r'name="target" value="([^"]+)"', search)
    assert target, "no follow form on the search page"
    saved = follow(client, "search", target.group(1).replace("&amp;", "&"))
    assert saved.status_code == 303
    account = client.get("/account?lang=en").text
    # the passages' language (named), not the page's; the link keeps the search
    assert 'href="/search?q=trafficking&amp;language=fr" class="follow-list__subject">' in account
    assert "<q>trafficking</q>, Language: French</a>" in account


def test_whats_new_is_in_the_menu_of_signed_in_visitors(hub):
    nav = re.compile(r'<nav class="site-nav".*?</nav>', re.S)
    signed_in = nav.search(hub.member.get("/processes?lang=fr").text).group(0)
    assert '<a href="/whats-new">' in signed_in
    current = nav.search(hub.member.get("/whats-new?lang=en").text).group(0)
    assert '<a href="/whats-new" aria-current="page">What' in current
    anonymous = nav.search(hub.anonymous.get("/processes?lang=en").text).group(0)
    assert "/whats-new" not in anonymous


def test_an_update_cannot_link_a_restricted_document_its_author_may_not_read(hub):
    """The API answers as for a document that does not exist: it must not confirm it does."""
    from rcphub.documents import IngestOptions, Ingestor

    ingestor = Ingestor(hub.database, tag=False)
    hidden = ingestor.ingest_bytes(
        b"1. A closed session of the Budapest Process on return and readmission.\n",
        "closed.txt",
        IngestOptions(processes=["budapest-process"], visibility="restricted"),
    )
    readable = ingestor.ingest_bytes(
        b"1. A public note of the Bali Process on labour migration.\n", "public.txt"
    )
    assert hidden.document_id
    assert readable.document_id
    headers = {"Authorization": f"Bearer {make_token(hub.database, 'sec')}"}
    url = "/api/v1/processes/bali-process/updates"

    def link(target: str):  # type: ignore[no-untyped-def]
        body = {"titles": {"en": "With a link"}, "links": [target]}
        return hub.anonymous.post(url, json=body, headers=headers)

    refused = link(f"document:{hidden.document_id}")
    missing = link("document:ffffffffffffffff")
    assert refused.status_code == missing.status_code == 404
    assert refused.json()["error"]["message"] == missing.json()["error"]["message"].replace(
        "ffffffffffffffff", hidden.document_id
    )
    assert link(f"document:{readable.document_id}").status_code == 201
