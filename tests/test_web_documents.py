"""Document pages on both databases: the Lima Chair's summary with its passages, citations and
linked mentions; documents on process, country, meeting and home pages; uploads through the
form (new, already stored, refused, hostile); side-by-side versions; source downloads; every
page in the six UN languages."""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterator
from importlib import resources

import pytest
from sqlalchemy import func, select

from rcphub.accounts import SYSTEM
from rcphub.bootstrap import ingest_bundled_documents
from rcphub.config import LANGUAGES
from rcphub.db.models import Document
from rcphub.documents import link_versions, list_documents
from tests.accounts_support import make_user, sign_in
from tests.documents.corpus import VERSIONS
from tests.documents.render import render
from tests.test_web_pages import html_lang, parse

with warnings.catch_warnings():
    # see tests/test_web_pages.py: Starlette warns at import when only httpx is installed
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient

LIMA = resources.files("rcphub.refdata").joinpath(
    "data", "documents", "lima-2013-chairs-summary.ru.txt"
)

NAV_DOCUMENTS = {
    "en": "Documents",
    "fr": "Documents",
    "es": "Documentos",
    "ru": "Документы",
    "ar": "الوثائق",
    "zh": "文件",
}
# paragraph 8(b) of the Lima summary as a citation names it, in each interface language
CITED_8B = {
    "en": "Chair&#39;s summary, Global RCP meeting 2013, paragraph 8(b)",
    "fr": "Résumé de la présidence, Réunion mondiale des PCR 2013, paragraphe 8 b)",
    "es": "Resumen de la Presidencia, Reunión Mundial de los PCR 2013, párrafo 8 b)",
    "ru": "Резюме Председателя, Глобальное совещание РКП 2013 г., пункт 8 b)",
    # (in a right-to-left page "8 (b)" sits between Unicode isolates, so it reads left to right)
    "ar": "موجز الرئيس، الاجتماع العالمي للعمليات التشاورية الإقليمية 2013، "
    "الفقرة \u20668 (b)\u2069",
    "zh": "主席摘要，2013年区域协商进程全球会议，第8(b)段",
}
CITED_FN1 = {
    "en": "footnote 1",
    "fr": "note de bas de page 1",
    "es": "nota 1",
    "ru": "сноска 1",
    "ar": "الحاشية 1",
    "zh": "脚注1",
}

ENGLISH_SUMMARY = """Fifth Global Meeting of Chairs and Secretariats of Regional Consultative
Processes

Chair's summary

1. The meeting took place in Lima, with the support of IOM.

2. Delegations from Peru and Mexico presented their national experience:

(a) Peru described its return and reintegration programme;

(b) Mexico described labour mobility agreements with its neighbours.

3. Participants thanked the Government of Peru for its hospitality.
"""


def get(client: TestClient, url: str, **kwargs):
    client.cookies.delete("lang")  # each request names its language; a session stays
    return client.get(url, **kwargs)


def count_documents(database) -> int:
    return count_rows(database, Document)


def count_rows(database, model) -> int:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model))


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def web(app, lima_id) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def writable(database_factory):
    """A database of this module's own, for uploads."""
    database = database_factory.new()
    ingest_bundled_documents(database)
    return database


@pytest.fixture(scope="module")
def uploader(writable) -> Iterator[TestClient]:
    """Signed in as an admin of the hub (who may file documents under any process or none)."""
    from rcphub.app import create_app

    make_user(writable, "uploader", "admin")
    app = create_app(writable.settings, database=writable)
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "uploader")
        yield client


def upload(client: TestClient, files, data=None, lang: str = "en"):
    client.cookies.delete("lang")
    form = {**(data or {}), "csrf_token": client.csrf}
    return client.post(f"/documents/upload?lang={lang}", files=files, data=form)


def element(html: str, marker: str, end: str) -> str:
    """From the tag that contains ``marker`` to the next ``end``."""
    position = html.index(marker)
    start = html.rindex("<", 0, position)
    return html[start : html.index(end, position)]


def document_links(html: str) -> list[str]:
    """The documents a result page links to, in order."""
    return re.findall(r'<a href="/documents/([0-9a-f]{16})">', html)


# ---------------------------------------------------------------------------- the Lima document


def test_lima_page_shows_passages_in_order_with_anchors(web, lima_id):
    html = get(web, f"/documents/{lima_id}?lang=en").text
    assert html_lang(html) == ("en", "ltr")
    # paragraph 8(b), its visible label and its text, in Russian and marked so
    article = element(html, 'id="p-8.b"', "</article>")
    assert re.search(r'class="passage__ref" id="ref-p-8.b" href="#p-8.b"[^>]*>8\(b\)</a>', article)
    assert '<p class="passage__text" lang="ru">необходимо продолжать' in article
    assert "passage--subparagraph passage--depth-1" in article
    # the order of the document, footnotes gathered at the end
    positions = [html.index(f'id="p-{ref}"') for ref in ("h1", "p1", "1", "2", "8", "8.a", "8.b")]
    assert positions == sorted(positions)
    notes = html.index('id="notes-heading"')
    assert html.index('id="p-fn1"') > notes > html.index('id="p-11"')
    fn1 = element(html, 'id="p-fn1"', "</article>")
    assert "Абу-Дабийский диалог" in fn1
    assert 'href="#p-2">paragraph 2</a>' in fn1  # back to the paragraph that calls it
    # paragraph 2 calls footnotes 1 and 2
    p2 = element(html, 'id="p-2"', "</article>")
    assert '<sup class="fnref"><a href="#p-fn1" title="footnote 1">1</a></sup>' in p2
    # headings are headings
    assert re.search(
        r'<h3 class="passage__main passage__heading" lang="ru">Резюме Председателя', html
    )


def test_lima_metadata(web, lima_id):
    html = get(web, f"/documents/{lima_id}?lang=en").text
    about = element(html, 'id="about-heading"', "</section>")
    for expected in (
        "Chair&#39;s summary",
        "June 28, 2013",
        "General Assembly",
        ">68<",
        "21(e)",
        "lima-2013-chairs-summary.ru.txt",
        "TXT, 23.7 kB",
        "605e52dfd9fa3d4d9b583701e97c1db00d2a3b6dfa6eca686b70e004fea42b03",
        'href="/meetings/grcp-2013">Global RCP meeting 2013</a>',
    ):
        assert expected in about, expected
    assert "Russian" in about
    assert "English" in about
    assert 'href="/documents/' + lima_id + '/source"' in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_citation_of_8b_in_the_page_language(web, lima_id, lang):
    html = get(web, f"/documents/{lima_id}?lang={lang}").text
    cite = element(html, 'id="cite-p-8.b"', "</p>")
    assert CITED_8B[lang] in cite
    assert f"http://testserver/documents/{lima_id}#p-8.b</a>" in cite  # the permalink
    assert 'data-copy="cite-p-8.b"' in html  # the button that copies it
    footnote = element(html, 'id="cite-p-fn1"', "</p>")
    assert CITED_FN1[lang] in footnote


def test_mentions_are_links_in_the_text(web, lima_id):
    russian = get(web, f"/documents/{lima_id}?lang=ru").text
    # same language: the link alone
    assert re.search(
        r'<a class="mention mention--state" href="/countries/PER" title="Страница страны: Перу">'
        r"Перу</a>",
        russian,
    )
    assert re.search(
        r'<a class="mention mention--org" href="/processes/iom" title="[^"]+">МОМ</a>', russian
    )
    # another interface language: the title in it, the words still Russian
    english = get(web, f"/documents/{lima_id}?lang=en").text
    assert (
        '<a class="mention mention--state" href="/countries/PER" title="Country page: Peru" '
        'lang="en"><span lang="ru">Перу</span></a>' in english
    )
    assert 'href="/processes/bali-process" title="Process page: Bali Process' in english
    # the legend: grouped, counted, with the passages
    legend = english[english.index('id="mentions-heading"') :]
    legend = legend[: legend.index("</section>")]
    assert 'id="mentions-state"' in legend
    assert 'id="mentions-org"' in legend
    peru = legend[legend.index('href="/countries/PER"') :]
    peru = peru[: peru.index("</li>")]
    assert "6 mentions" in peru
    assert 'href="#p-2"' in peru
    assert 'href="#p-11"' in peru


def test_documents_on_record_pages(web, lima_id):
    bali = get(web, "/processes/bali-process?lang=en").text
    section = bali[bali.index('id="documents"') :]
    assert f'href="/documents/{lima_id}"' in section
    assert f'href="/documents/{lima_id}#p-3">paragraph 3</a>' in section
    assert f'href="/documents/{lima_id}#p-fn1">footnote 1</a>' in section
    peru = get(web, "/countries/PER?lang=es").text
    section = peru[peru.index('id="documents"') :]
    assert "Documentos que mencionan a Perú" in section
    assert f'href="/documents/{lima_id}#p-11">párrafo 11</a>' in section
    assert "6 menciones" in section
    meeting = get(web, "/meetings/grcp-2013?lang=fr").text
    section = meeting[meeting.index('id="documents"') :]
    assert "Documents de cette réunion" in section
    assert f'href="/documents/{lima_id}"' in section
    iom = get(web, "/processes/iom?lang=en").text
    assert f'href="/documents/{lima_id}#p-8.f">paragraph 8(f)</a>' in iom


def test_home_and_list(web, lima_id):
    home = get(web, "/?lang=en").text
    assert 'href="/documents"' in home
    assert "Latest documents" in home
    assert f'href="/documents/{lima_id}"' in home
    listing = get(web, "/documents?lang=en").text
    row = listing[listing.index(f'href="/documents/{lima_id}"') :]
    row = row[: row.index("</tr>")]
    assert '<bdi lang="ru">Письмо Постоянного представителя Перу' in row
    assert "Russian" in row
    assert "Chair&#39;s summary" in row
    assert 'href="/meetings/grcp-2013">Global RCP meeting 2013</a>' in row
    assert 'href="/documents/upload"' in listing
    assert lima_id in get(web, "/documents?language=ru&type=chair-summary").text
    assert lima_id not in get(web, "/documents?language=fr").text
    assert lima_id not in get(web, "/documents?process=bali-process").text  # mentioned, not filed


def test_canonical_address_and_unknown_document(web, lima_id):
    response = get(web, f"/documents/{lima_id[:6].upper()}?lang=fr", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"/documents/{lima_id}?lang=fr"
    missing = get(web, "/documents/ffffffffffffffff?lang=fr")
    assert missing.status_code == 404
    assert html_lang(missing.text) == ("fr", "ltr")
    assert "no document with ID" in missing.text
    assert parse(missing.text).h1_count == 1


def test_source_download_returns_the_original_bytes(web, lima_id):
    response = get(web, f"/documents/{lima_id}/source")
    assert response.status_code == 200
    assert response.content == LIMA.read_bytes()
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["content-disposition"] == (
        'attachment; filename="lima-2013-chairs-summary.ru.txt"; '
        "filename*=UTF-8''lima-2013-chairs-summary.ru.txt"
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert get(web, "/documents/ffffffffffffffff/source").status_code == 404


# ---------------------------------------------------------------------------- six languages

DOCUMENT_PAGES = (
    "/documents",
    "/documents?language=ru&type=chair-summary",
    "/documents?process=bali-process",
    "/documents/upload",
    "/documents/{lima}",
    "/processes/bali-process",
    "/countries/PER",
    "/meetings/grcp-2013",
    "/",
)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", DOCUMENT_PAGES)
def test_every_document_page_in_every_language(web, uploader, lima_id, path, lang):
    url = path.format(lima=lima_id)
    client = uploader if path == "/documents/upload" else web  # the form needs a signed-in user
    response = get(client, f"{url}{'&' if '?' in url else '?'}lang={lang}")
    assert response.status_code == 200
    html = response.text
    assert html_lang(html) == (lang, "rtl" if lang == "ar" else "ltr")
    assert re.search(rf'<a href="/documents"[^>]*>{NAV_DOCUMENTS[lang]}</a>', html)
    page = parse(html)
    assert page.h1_count == 1
    assert page.inline_scripts == 0
    ids = [a.get("id") for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids)), "duplicate ids"
    labelled = {a.get("for") for tag, a in page.tags if tag == "label"}
    for tag, attributes in page.tags:
        assert "style" not in attributes
        assert not any(n.startswith("on") for n in attributes)
        if tag in ("select", "textarea") or (
            tag == "input" and attributes.get("type") not in ("hidden", "submit")
        ):
            assert attributes.get("id") in labelled
        if tag == "th":
            assert attributes.get("scope") in ("col", "row")
        for reference in ("aria-labelledby", "aria-describedby"):
            for target in (attributes.get(reference) or "").split():
                assert target in ids, f"{reference}={target}"
    tables = sum(1 for tag, _ in page.tags if tag == "table")
    assert tables == sum(1 for tag, _ in page.tags if tag == "caption")


def test_document_page_loads_only_its_own_script(web, lima_id):
    page = parse(get(web, f"/documents/{lima_id}").text)
    scripts = [a["src"] for tag, a in page.tags if tag == "script"]
    assert [s.split("?")[0] for s in scripts] == ["/static/js/site.js", "/static/js/citations.js"]
    assert get(web, "/static/js/citations.js").status_code == 200
    buttons = [a for tag, a in page.tags if tag == "button" and "data-copy" in a]
    assert len(buttons) == 29  # every passage but the five headings
    assert all("hidden" in a for a in buttons)  # shown by the script; without it, text to select


# ---------------------------------------------------------------------------- upload


def test_upload_page_states_the_limit(uploader):
    html = get(uploader, "/documents/upload?lang=fr").text
    assert 'enctype="multipart/form-data"' in html
    assert 'name="files"' in html
    assert "multiple" in html
    assert "50 Mo par fichier" in html or "50 MB" in html
    assert 'value="bali-process"' in html
    assert 'value="grcp-2013"' in html
    for lang in ("en", "fr", "ar"):  # names and meetings escaped once, never twice
        page = get(uploader, f"/documents/upload?lang={lang}").text
        assert "&amp;#39;" not in page
        assert "&lt;span" not in page


def test_upload_a_french_docx_and_read_it(uploader, writable):
    data = render(VERSIONS["fr"], "fr", "docx")
    response = upload(
        uploader,
        [("files", ("résumé du président.docx", data, "application/octet-stream"))],
        {"process": "bali-process", "meeting": "grcp-2013"},
        lang="fr",
    )
    assert response.status_code == 200
    html = response.text
    assert "Nouveau document" in html
    assert "résumé du président.docx" in html
    (doc_id,) = set(document_links(html))
    page = get(uploader, f"/documents/{doc_id}?lang=fr")
    assert page.status_code == 200
    text = page.text
    assert 'id="p-4.c.i"' in text
    assert 'id="p-annex.1"' in text
    assert "Réunion mondiale des PCR 2013" in text  # filed under the meeting
    assert 'href="/processes/bali-process"' in text  # filed under the process
    assert re.search(r'href="/countries/PER"[^>]*>', text)  # "Pérou" mentioned
    # the process page lists it as one of its documents
    bali = get(uploader, "/processes/bali-process?lang=fr").text
    assert f'href="/documents/{doc_id}"' in bali[bali.index('id="documents-linked"') :]


def test_the_same_file_twice_is_already_stored(uploader, writable):
    data = ENGLISH_SUMMARY.replace("Fifth", "Sixth").encode()
    first = upload(uploader, [("files", ("summary.txt", data, "text/plain"))])
    assert "New document" in first.text
    before = count_documents(writable)
    second = upload(uploader, [("files", ("summary-copy.txt", data, "text/plain"))])
    assert second.status_code == 200
    assert "Already stored" in second.text
    assert "1 file was already stored" in second.text
    assert document_links(first.text)[0] == document_links(second.text)[0]
    assert count_documents(writable) == before


def test_the_upload_result_shows_the_recommendations_found_and_why(uploader, writable):
    """A real Russian CIS decision of the real-text set: the result lists what follow-up
    detection finds — "1. Утвердить" as a decision, with why — and proposes nothing yet."""
    from rcphub.db import FollowupItem
    from tests.realtext.operative.evaluation import load_excerpts

    excerpt = next(e for e in load_excerpts() if e.id == "cis-2005-decision.ru")
    before = count_rows(writable, FollowupItem)
    page = upload(uploader, [("files", ("cis-2005.ru.txt", excerpt.text.encode(), "text/plain"))])
    assert page.status_code == 200
    found = element(page.text, "upload-row__recommendations", "</details>")
    assert "Recommendations found: 2" in found
    assert "Decision" in found
    assert "Утвердить Программу сотрудничества" in found
    assert "operative language: “Утвердить”" in found
    assert "listed under the decisions of" in found  # item 2 takes "решил:" from its lead-in
    assert "вступает в силу" not in found  # the entry-into-force clause is not an ask
    assert count_rows(writable, FollowupItem) == before
    french = upload(
        uploader, [("files", ("cis-2005.ru.txt", excerpt.text.encode(), "text/plain"))], lang="fr"
    )
    assert "Recommandations trouvées : 2" in french.text


def test_a_corrupt_pdf_is_refused_readably_and_nothing_is_stored(uploader, writable):
    before = count_documents(writable)
    files_before = sorted(writable.settings.files_dir.rglob("*"))
    response = upload(
        uploader,
        [("files", ("rapport.pdf", b"%PDF-1.4\n%broken beyond repair", "application/pdf"))],
        lang="fr",
    )
    assert response.status_code == 422
    html = response.text
    assert "Non enregistré" in html
    assert "Le fichier PDF est endommagé et ne peut pas être lu." in html
    assert "rapport.pdf" in html
    assert '<span lang="en">this PDF is damaged and cannot be read</span>' in html
    assert count_documents(writable) == before
    assert sorted(writable.settings.files_dir.rglob("*")) == files_before


def test_a_batch_goes_on_after_a_bad_file(uploader, writable):
    response = upload(
        uploader,
        [
            ("files", ("empty.txt", b"", "text/plain")),
            (
                "files",
                ("notes.md", ENGLISH_SUMMARY.replace("Fifth", "Seventh").encode(), "text/markdown"),
            ),
            ("files", ("picture.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")),
        ],
        lang="es",
    )
    assert response.status_code == 200
    html = response.text
    assert "1 documento nuevo" in html
    assert "2 archivos no se pudieron guardar" in html
    assert "El archivo está vacío." in html
    assert len(document_links(html)) == 1


@pytest.mark.parametrize(
    ("files", "data", "message"),
    [
        ([], {}, "Choose at least one file to upload."),
        ([("files", ("", b"", "application/octet-stream"))], {}, "Choose at least one file"),
        (
            [("files", ("a.txt", b"1. Text about Peru.", "text/plain"))],
            {"process": "nope"},
            "There is no process or organisation with the ID “nope”.",
        ),
        (
            [("files", ("a.txt", b"1. Text about Peru.", "text/plain"))],
            {"meeting": "<b>grcp-1999</b>"},
            "There is no meeting with the ID “&lt;b&gt;grcp-1999&lt;/b&gt;”.",
        ),
    ],
)
def test_bad_uploads_show_the_form_again(uploader, writable, files, data, message):
    before = count_documents(writable)
    response = upload(uploader, files, data)
    assert response.status_code == 422
    assert message in response.text
    assert 'role="alert"' in response.text
    assert 'name="files"' in response.text  # the form, to try again
    assert count_documents(writable) == before


def test_bad_upload_message_in_the_page_language(uploader):
    response = upload(uploader, [], {}, lang="ru")
    assert response.status_code == 422
    assert "Выберите хотя бы один файл для загрузки." in response.text
    assert html_lang(response.text) == ("ru", "ltr")


def test_a_file_over_the_limit_is_refused(database_factory):
    from rcphub.app import create_app

    database = database_factory.new()
    database.settings = database.settings.model_copy(update={"max_upload_mb": 1})
    app = create_app(database.settings, database=database)
    make_user(database, "admin", "admin")
    with TestClient(app) as client:
        sign_in(client, "admin")
        assert "1 MB" in client.get("/documents/upload?lang=en").text
        response = client.post(
            "/documents/upload?lang=fr",
            files=[("files", ("énorme.txt", b"1. Peru. " * 200_000, "text/plain"))],
            data={"csrf_token": client.csrf},
        )
    assert response.status_code == 422
    assert "Le fichier dépasse la limite de 1 Mo." in response.text
    assert count_documents(database) == 0


def test_hostile_names_and_text_are_escaped(uploader):
    hostile = (
        "<script>alert(1)</script>\n\n"
        "1. The meeting in Peru heard <script>alert(2)</script> and "
        "<img src=x onerror=alert(3)>.\n\n"
        '2. IOM & UNHCR said "<b>bold</b>" to Mexico.\n'
    )
    name = '<img src=x onerror=alert(4)>"onmouseover="x.txt'
    response = upload(uploader, [("files", (name, hostile.encode(), "text/plain"))])
    assert response.status_code == 200
    (doc_id,) = set(document_links(response.text))
    pages = [
        response.text,
        get(uploader, f"/documents/{doc_id}").text,
        get(uploader, "/documents").text,
        get(uploader, "/countries/PER").text,
    ]
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<b>bold</b>" not in html
        assert '"onmouseover="' not in html
    document = pages[1]
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in document
    assert 'href="/countries/PER"' in document  # mentions still linked around the escaped text
    source = get(uploader, f"/documents/{doc_id}/source")
    assert source.content == hostile.encode()
    disposition = source.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="img_src_x_onerror_alert_4_')
    assert "<" not in disposition
    assert "\n" not in disposition
    assert "%3Cimg%20src%3Dx" in disposition


def test_source_file_missing_from_the_store_is_a_404(uploader, writable):
    data = ENGLISH_SUMMARY.replace("Fifth", "Eighth").encode()
    (doc_id,) = set(
        document_links(upload(uploader, [("files", ("gone.txt", data, "text/plain"))]).text)
    )
    content_hash = hashlib.sha256(data).hexdigest()
    if writable.settings.sources_in_database:  # the default on PostgreSQL
        from sqlalchemy import delete

        from rcphub.db import SourceFile

        with writable.session() as session:
            session.execute(delete(SourceFile).where(SourceFile.content_hash == content_hash))
    else:
        writable.settings.files_dir.joinpath(content_hash[:2], content_hash).unlink()
    response = get(uploader, f"/documents/{doc_id}/source?lang=es")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert html_lang(response.text)[0] == "es"


# ---------------------------------------------------------------------------- versions


@pytest.fixture(scope="module")
def english_and_arabic(uploader, writable) -> tuple[str, str]:
    ids = []
    for lang, fmt in (("en", "md"), ("ar", "txt")):
        response = upload(
            uploader,
            [("files", (f"summary.{lang}.{fmt}", render(VERSIONS[lang], lang, fmt), "text/plain"))],
        )
        ids.append(document_links(response.text)[0])
    with writable.session() as session:
        link_versions(session, ids[0], ids[1], SYSTEM)
    return ids[0], ids[1]


def test_versions_switcher(uploader, english_and_arabic):
    english, arabic = english_and_arabic
    html = get(uploader, f"/documents/{english}?lang=en").text
    versions = element(html, 'id="versions-heading"', "</nav>")
    assert f'<a href="/documents/{arabic}" hreflang="ar">Arabic</a>' in versions
    assert f'href="/documents/{english}/compare/{arabic}"' in versions


def test_compare_view_aligns_passages_by_ref(uploader, english_and_arabic):
    english, arabic = english_and_arabic
    response = get(uploader, f"/documents/{english}/compare/{arabic}?lang=fr")
    assert response.status_code == 200
    html = response.text
    row = element(html, '<tr id="p-4.b"', "</tr>")
    cells = re.findall(r'<td class="compare__cell[^"]*" lang="(\w+)" dir="(\w+)">', row)
    assert cells == [("en", "ltr"), ("ar", "rtl")]
    assert "engagement should continue" in row
    assert "ينبغي مواصلة التعاون" in row
    assert "4 b)" in row  # the row's label, the French way
    assert "compare__gap" not in html  # the six versions share every ref


def test_compare_view_leaves_gaps(uploader, writable, english_and_arabic):
    english, _ = english_and_arabic
    with writable.session() as session:
        _, found = list_documents(session, link="meeting:grcp-2013")
    lima = next(d.id for d in found if d.language == "ru")
    html = get(uploader, f"/documents/{lima}/compare/{english}?lang=en").text
    # the Russian summary skips the letter (e) in paragraph 10: 10(f) has no partner
    row = element(html, '<tr id="p-10.f"', "</tr>")
    assert 'lang="ru"' in row
    assert "compare__gap" in row
    assert "Not in this version" in row
    # the English version's 4(c)(i) is not in the Russian one
    row = element(html, '<tr id="p-4.c.i"', "</tr>")
    assert row.index("compare__gap") < row.index('lang="en"')
    both = element(html, '<tr id="p-2"', "</tr>")
    assert 'lang="ru"' in both
    assert 'lang="en"' in both
    assert get(uploader, f"/documents/{lima}/compare/{lima}").status_code == 422
    assert get(uploader, f"/documents/{lima}/compare/ffffffffffffffff").status_code == 404


# ---------------------------------------------------------------------------- hostile URLs

HOSTILE = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "..%2F..%2Fetc",
    "x" * 3000,
    "%FF%FE",
    "-1",
]
ROUTES = [
    "/documents/{}",
    "/documents/{}/source",
    "/documents/{}/compare/{}",
    "/documents?language={}",
    "/documents?type={}",
    "/documents?process={}",
    "/documents?page={}",
]


def test_document_routes_survive_bad_values(uploader):
    for route in ROUTES:
        for value in HOSTILE:
            url = route.replace("{}", value)
            response = uploader.get(url)
            assert response.status_code in (404, 422), url
            assert "<script>alert" not in response.text, url
            assert "Traceback" not in response.text, url


# ---------------------------------------------------------------------------- pure helpers


def test_refs_in_words():
    from rcphub.web.i18n import load_translations
    from rcphub.web.passages import RefNames, anchor

    english = RefNames(lambda message: message)
    assert [english.short(r) for r in ("8", "8.b", "8.b.ii", "fn1", "fn-star", "p2")] == [
        "8",
        "8(b)",
        "8(b)(ii)",
        "1",
        "*",
        "p2",
    ]
    assert english.full("annex.3.a") == "annex, paragraph 3(a)"
    assert english.full("annex-ii.1") == "annex II, paragraph 1"
    assert english.full("fn-star2") == "footnote **"
    assert english.full("pp2") == "preambular paragraph 2"
    assert english.full("sig1") == "signature 1"
    assert english.full("h3") == "heading 3"
    assert english.full("something odd") == "something odd"
    assert english.compact("8.b") == "8(b)"
    assert english.compact("fn2") == "footnote 2"
    chinese = RefNames(load_translations("zh").gettext)
    assert chinese.full("8.b") == "第8(b)段"
    assert chinese.full("fn1") == "脚注1"
    arabic = RefNames(load_translations("ar").gettext, right_to_left=True)
    assert arabic.full("8.b") == "الفقرة \u20668 (b)\u2069"
    assert anchor("8.b") == "p-8.b"
    assert anchor('x"><script>') == "p-x___script_"


def test_mentions_are_escaped_and_overlaps_skipped():
    from markupsafe import Markup, escape

    from rcphub.documents.schemas import MentionOut
    from rcphub.web.passages import mark_mentions

    text = "<b>Peru</b> & Mexico"

    def mention(start: int, end: int) -> MentionOut:
        return MentionOut(entity="state:PER", passage="1", start=start, end=end, surface="")

    def link(m: MentionOut, span: str) -> Markup:
        return Markup("<a>") + span + Markup("</a>")

    html = mark_mentions(text, [mention(3, 7), mention(5, 9), mention(14, 99)], link)
    assert html == "&lt;b&gt;<a>Peru</a>&lt;/b&gt; &amp; Mexico"
    assert mark_mentions(text, [], link) == escape(text)


def test_alignment_by_ref():
    from rcphub.web.passages import align

    left = ["h1", "1", "2", "2.a", "fn1", "3"]
    right = ["h1", "1", "1.a", "2", "fn1", "2.a", "4"]
    assert align(left, right) == [
        ("h1", "h1"),
        ("1", "1"),
        (None, "1.a"),
        ("2", "2"),
        ("2.a", "2.a"),
        (None, "4"),  # after the last ref the two share before it on the right
        ("fn1", "fn1"),
        ("3", None),
    ]
    assert align([], ["1"]) == [(None, "1")]
