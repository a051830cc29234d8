"""Synthesis reports on real data: the Lima 2013 summary in six languages, tagged by the real
tagger, with a person's decisions and a tracked conclusion (see conftest). The content is
checked through the service, then each format is produced and read back, and bad input is
refused with a clear error by the CLI, the API and the page."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from click.testing import CliRunner
from docx import Document as DocxDocument
from docx.oxml.ns import qn
from pypdf import PdfReader
from selectolax.lexbor import LexborHTMLParser
from sqlalchemy import select

from rcphub.cli import main
from rcphub.db.models import PassageTag
from rcphub.errors import InvalidInput, NotFound
from rcphub.reports import ReportDocument, SynthesisQuery, render_report
from rcphub.wording.report import synthesis_document
from tests.reports.conftest import TODAY, ReportLima

BASE = "http://hub.example.org"
LIMA_10C = "Chair's summary, Global RCP meeting 2013, paragraph 10(c)"


def report(lima: ReportLima, **options) -> ReportDocument:  # type: ignore[no-untyped-def]
    query = SynthesisQuery(**{"framework": "hld2013", **options})
    with lima.database.session() as session:
        return synthesis_document(session, query, base_url=BASE, today=TODAY)


def section(doc: ReportDocument, code: str):  # type: ignore[no-untyped-def]
    return next(s for s in doc.sections if s.code == code)


def quotes(doc: ReportDocument, code: str | None = None):  # type: ignore[no-untyped-def]
    return [
        q
        for s in doc.sections
        if code is None or s.code == code
        for v in s.voices
        for q in v.statements
    ]


@pytest.fixture(scope="module")
def english(lima: ReportLima) -> ReportDocument:
    return report(lima, lang="en")


@pytest.fixture(scope="module")
def russian(lima: ReportLima) -> ReportDocument:
    return report(lima, lang="ru")


# ---------------------------------------------------------------------------- content


def test_a_tagged_paragraph_is_under_its_theme_cited_and_linked(lima, english):
    rt3 = section(english, "RT3")
    assert rt3.number == "Round table 3"
    assert rt3.label.startswith("Strengthening partnerships and cooperation")
    voice = rt3.voices[0]
    # the global meetings of RCP chairs are held by no single process: grouped by series
    assert voice.key == "series:grcp"
    assert voice.heading.startswith("Global Meetings of Chairs and Secretariats")
    found = [q for q in voice.statements if q.ref == "10.c"]
    # the en/ru work's English version, and the other versions the tagger put there too
    assert len(found) >= 3
    assert len({q.document for q in found}) == len(found)
    english_10c = next(q for q in found if q.lang == "en")
    assert english_10c.document == lima.ids["en"]
    assert english_10c.citation == LIMA_10C
    assert english_10c.href == f"{BASE}/documents/{lima.ids['en']}#p-10.c"
    assert english_10c.text.startswith("Regional consultative processes and interregional")
    assert english_10c.machine
    assert english_10c.note.startswith("score 0.")
    # one language version per work: the Russian one of the en/ru work is not quoted too
    assert lima.ids["ru"] not in {q.document for q in quotes(english)}


def test_confirmed_tags_come_first_and_are_not_marked_machine(lima, english):
    voice = section(english, "RT3").voices[0]
    first = voice.statements[0]
    assert (first.document, first.ref) == (lima.ids["en"], "10.a")
    assert not first.machine
    assert first.status == "confirmed"
    assert first.note == "confirmed by a person"
    assert all(q.machine for q in voice.statements[1:])


def test_rejected_tags_never_appear(lima, english, russian):
    with lima.database.session() as session:
        rejected = session.scalars(
            select(PassageTag).where(PassageTag.status == "rejected", PassageTag.code == "RT2")
        ).all()
    # the decision of the fixture is stored, on a suggestion that would count otherwise
    assert len(rejected) == 1
    assert rejected[0].score >= 0.44
    work = {lima.ids["en"], lima.ids["ru"]}
    for doc in (english, russian):
        assert quotes(doc, "RT2")  # round table 2 has paragraphs (of other works)...
        # ...but not the rejected one, in either language version of its work
        assert not [q for q in quotes(doc, "RT2") if q.document in work and q.ref == "10.d"]
    # the other tags of 10(d) stay
    assert any(q.ref == "10.d" for q in quotes(english, "RT3") if q.document == lima.ids["en"])


def test_the_tracked_conclusion_is_what_was_recommended(lima, english):
    voice = section(english, "RT3").voices[0]
    assert len(voice.recommendations) == 1
    line = voice.recommendations[0]
    assert line.item == lima.item
    assert line.status == "in_progress"
    assert line.light == "green"
    assert line.note == (
        "Conclusion · In progress, 40% done · Green: updated within 12 months"
        " · last update March 1, 2025"
    )
    # quoted from the version it is tracked on (Russian), in Russian
    assert line.lang == "ru"
    assert "консультативные процессы" in line.text
    assert line.citation == LIMA_10C
    assert line.href == f"{BASE}/documents/{lima.ids['ru']}#p-10.c"
    assert line.item_href == f"{BASE}/followup/items/{lima.item}"


def test_headings_are_in_the_report_language_and_quotes_in_their_own(lima, russian):
    assert russian.title.startswith("Сводный доклад")
    rt3 = section(russian, "RT3")
    assert rt3.number == "Круглый стол 3"
    # the Russian title is the Lima summary's own wording of the round table (i18n data)
    assert (rt3.label, rt3.label_lang, rt3.label_note) == (
        "Согласованные действия и сотрудничество многих сторон",
        "ru",
        "",
    )
    ru_10c = next(q for q in quotes(russian, "RT3") if q.ref == "10.c" and q.lang == "ru")
    assert ru_10c.citation == "Резюме Председателя, Глобальное совещание РКП 2013 г., пункт 10 c)"
    arabic = [q for q in quotes(russian) if q.lang == "ar"]
    assert arabic
    assert all(q.dir == "rtl" for q in arabic)


def test_a_title_the_hub_lacks_in_the_report_language_is_marked_as_english(lima):
    arabic = report(lima, lang="ar")  # no source gives the round tables' titles in Arabic
    rt3 = section(arabic, "RT3")
    assert rt3.label.startswith("Strengthening partnerships and cooperation")
    assert (rt3.label_lang, rt3.label_note) == ("en", "الإنجليزية")
    html = render_report(arabic, "html").decode()
    assert '<small class="fallback__note">(الإنجليزية)</small>' in html
    markdown = render_report(arabic, "md").decode()
    assert "Strengthening partnerships and cooperation" in markdown
    assert "(الإنجليزية)" in markdown


def test_introduction_states_scope_method_and_gaps(lima):
    doc = report(lima, framework="gcm", year_from=2013, year_to=2013)
    scope = dict(doc.scope)
    assert scope["Framework"].startswith("Objectives of the Global Compact")
    assert scope["Years"] == "2013"
    assert scope["Documents in scope"] == "5"
    assert "0.47" in doc.method[0]  # the GCM threshold
    assert doc.generated_on == "Produced on June 1, 2025"
    assert len(doc.sections) + len(doc.gaps) == 23
    assert doc.gaps
    assert all(g.startswith("Objective ") for g in doc.gaps)
    later = report(lima, framework="gcm", year_from=2014)
    assert later.sections == []
    assert len(later.gaps) == 23
    assert dict(later.scope)["Documents in scope"] == "0"


def test_a_chosen_process_gets_the_paragraphs_that_name_it(lima):
    doc = report(lima, processes=["gfmd"])
    assert dict(doc.scope)["Processes"] == "Global Forum on Migration and Development"
    found = quotes(doc)
    assert found
    assert all(q.via == "mention" for q in found)
    assert {v.key for s in doc.sections for v in s.voices} == {"process:gfmd"}
    assert any(q.ref == "10.c" for q in found)  # 10(c) names the GFMD
    assert all("names the process" in q.note for q in found)


def test_bad_queries_are_refused(lima):
    with lima.database.session() as session:
        for query, error in (
            (SynthesisQuery(framework="gcm-principles"), InvalidInput),
            (SynthesisQuery(framework="hld2013", processes=["no-such-process"]), NotFound),
            (SynthesisQuery(framework="hld2013", year_from=2014, year_to=2013), InvalidInput),
            (SynthesisQuery(framework="hld2013", lang="de"), InvalidInput),
        ):
            with pytest.raises(error):
                synthesis_document(session, query)


# ---------------------------------------------------------------------------- formats


def test_html_is_standalone_with_languages_and_directions(lima, russian):
    html = render_report(russian, "html").decode("utf-8")
    tree = LexborHTMLParser(html)
    root = tree.css_first("html")
    assert root.attributes["lang"] == "ru"
    assert not tree.css("script, link, img, iframe")  # nothing to fetch
    assert tree.css_first("style") is not None
    arabic = tree.css('blockquote[lang="ar"]')
    assert arabic
    assert all(b.attributes.get("dir") == "rtl" for b in arabic)
    assert all(b.attributes.get("dir") == "ltr" for b in tree.css('blockquote[lang="zh"]'))
    links = {a.attributes["href"] for a in tree.css("a")}
    assert f"{BASE}/documents/{lima.ids['ru']}#p-10.c" in links
    assert "Круглый стол 3" in tree.css_first("#theme-rt3 h2").text()
    arabic_report = render_report(report(lima, lang="ar"), "html").decode("utf-8")
    assert LexborHTMLParser(arabic_report).css_first("html").attributes["dir"] == "rtl"


def test_markdown_cites_with_links(lima, english):
    text = render_report(english, "md").decode("utf-8")
    assert text.startswith("# Synthesis report: Round tables of the 2013 High-level Dialogue")
    assert f"[{LIMA_10C}]({BASE}/documents/{lima.ids['en']}#p-10.c)".replace("'", "'") in text
    assert "**Machine-suggested**" in text
    assert re.search(r'<div lang="ar" dir="rtl">[^<]*\u0627', text)


def test_docx_has_headings_hyperlinks_and_right_to_left_quotes(lima, english):
    data = render_report(english, "docx")
    document = DocxDocument(io.BytesIO(data))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert ("Heading 1", "Introduction") in headings
    assert any(
        style == "Heading 1" and text.startswith("Round table 3: Strengthening")
        for style, text in headings
    )
    assert ("Heading 3", "What was recommended") in headings
    targets = {r.target_ref for r in document.part.rels.values() if r.is_external}
    assert f"{BASE}/documents/{lima.ids['en']}#p-10.c" in targets
    assert f"{BASE}/followup/items/{lima.item}" in targets
    quotes_ = [p for p in document.paragraphs if p.style.name == "Quote"]
    arabic = [p for p in quotes_ if re.search("[\u0600-\u06ff]", p.text)]
    assert arabic
    assert all(p._p.pPr.find(qn("w:bidi")) is not None for p in arabic)
    chinese = [p for p in quotes_ if re.search("[\u4e00-\u9fff]", p.text)]
    assert chinese
    assert all(p._p.pPr is None or p._p.pPr.find(qn("w:bidi")) is None for p in chinese)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert "<w:hyperlink" in body
    assert 'w:bidi="ar"' in body


def test_pdf_holds_the_text_of_all_six_languages(lima, russian):
    data = render_report(russian, "pdf")
    assert data.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    flat = " ".join(text.split())
    assert "Круглый стол 3" in flat  # Russian headings
    assert "Учет вопросов миграции в системах развития" in flat  # Russian round-table titles
    assert "processus consultatifs régionaux" in flat  # French quotes
    assert "procesos consultivos regionales" in flat  # Spanish
    assert "区域协商进程" in flat.replace(" ", "")  # Chinese
    assert len(re.findall("[\u0600-\u06ff\ufb50-\ufeff]", text)) > 200  # Arabic
    assert "Страница 2 /" in flat  # numbered pages, in the report language
    fonts = {
        str(font.get("/BaseFont"))
        for page in pdf.pages
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
        for font in [font.get_object()]
    }
    assert any(f.endswith("+Noto-Sans") for f in fonts), fonts  # Latin and Cyrillic
    assert any("Noto-Naskh-Arabic" in f for f in fonts), fonts
    assert any("Noto-Sans-CJK" in f for f in fonts), fonts


# ---------------------------------------------------------------------------- edges


@pytest.fixture(scope="module")
def run(lima: ReportLima):  # type: ignore[no-untyped-def]
    settings = lima.database.settings

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(
            main,
            [
                "--database-url",
                settings.resolved_database_url,
                "--data-dir",
                str(settings.data_dir),
                "report",
                "synthesis",
                *args,
            ],
        )

    return invoke


def test_cli_writes_each_format(run, lima, tmp_path):
    for fmt in ("html", "md", "docx", "pdf"):
        out = tmp_path / f"lima.{fmt}"
        result = run("--framework", "hld2013", "--lang", "fr", "-o", str(out), "--base-url", BASE)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    assert "Table ronde 3" in (tmp_path / "lima.md").read_text(encoding="utf-8")
    result = run("--framework", "gcm", "--format", "json", "-o", str(tmp_path / "r.json"))
    assert result.exit_code == 0, result.output
    assert '"lang": "en"' in (tmp_path / "r.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--framework", "nope"], 2, "Invalid value for '--framework'"),
        (["--framework", "gcm", "--process", "no-such"], 3, "no process with ID 'no-such'"),
        (["--framework", "gcm", "--from", "2014", "--to", "2013"], 2, "is after the last"),
        (["--framework", "gcm", "--lang", "de"], 2, "Invalid value for '--lang'"),
        (["--framework", "gcm", "--from", "13"], 2, "must be a year from 1945"),
    ],
)
def test_cli_refuses_bad_input(run, tmp_path, args, code, message):
    out = tmp_path / "r.pdf"
    result = run(*args, "-o", str(out))
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert not list(tmp_path.glob("*.partial"))


@pytest.fixture(scope="module")
def lima_client(lima: ReportLima):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from rcphub.app import create_app

    with TestClient(create_app(lima.database.settings, database=lima.database)) as client:
        yield client


def test_api_returns_the_content_and_the_files(lima_client, lima):
    response = lima_client.get("/api/v1/reports/synthesis", params={"framework": "hld2013"})
    assert response.status_code == 200
    body = response.json()
    assert body["lang"] == "en"
    rt3 = next(s for s in body["sections"] if s["code"] == "RT3")
    cited = [
        q
        for v in rt3["voices"]
        for q in v["statements"]
        if q["citation"] == LIMA_10C and q["lang"] == "en"
    ]
    assert cited[0]["href"] == f"http://testserver/documents/{lima.ids['en']}#p-10.c"
    for fmt, start in (("pdf", b"%PDF"), ("docx", b"PK"), ("html", b"<!doctype"), ("md", b"# ")):
        response = lima_client.get(
            "/api/v1/reports/synthesis",
            params={"framework": "hld2013", "lang": "zh", "format": fmt},
        )
        assert response.status_code == 200, response.text
        assert response.content.startswith(start)
        assert f"synthesis-hld2013-zh.{fmt}" in response.headers["content-disposition"]


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({}, 422, "framework"),
        ({"framework": "nope"}, 422, "unknown framework 'nope'"),
        ({"framework": "gcm", "process": "no-such"}, 404, "no process with ID 'no-such'"),
        ({"framework": "gcm", "from": "2014", "to": "2013"}, 422, "is after the last"),
        ({"framework": "gcm", "lang": "de"}, 422, "lang must be one of"),
        ({"framework": "gcm", "format": "odt"}, 422, "format must be"),
        ({"framework": "gcm", "from": "x"}, 422, "from"),
    ],
)
def test_api_refuses_bad_input(lima_client, params, status, message):
    response = lima_client.get("/api/v1/reports/synthesis", params=params)
    assert response.status_code == status
    assert message in response.json()["error"]["message"]


def test_page_previews_and_offers_downloads(lima_client, lima):
    response = lima_client.get(
        "/reports/synthesis", params={"framework": "hld2013", "report_lang": "ar", "lang": "fr"}
    )
    assert response.status_code == 200
    tree = LexborHTMLParser(response.text)
    assert tree.css_first("h1").text() == "Rapport de synthèse"  # the page in French
    preview = tree.css_first("article.synthesis")  # the report in Arabic
    assert preview.attributes["lang"] == "ar"
    assert preview.attributes["dir"] == "rtl"
    assert f"/documents/{lima.ids['ar']}#p-10.c" in {a.attributes["href"] for a in preview.css("a")}
    downloads = [a.attributes["href"] for a in tree.css(".report-downloads a")]
    assert len(downloads) == 4
    pdf = lima_client.get(next(d for d in downloads if "format=pdf" in d))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"framework": "nope"}, 422, "unknown framework"),
        ({"framework": "gcm", "process": "no-such"}, 404, "no process with ID"),
        ({"framework": "gcm", "from": "2014", "to": "2013"}, 422, "is after the last"),
        ({"framework": "gcm", "report_lang": "de"}, 422, "lang must be one of"),
        ({"framework": "gcm", "from": "20x4"}, 422, "must be a year"),
    ],
)
def test_page_says_what_is_wrong_on_the_form(lima_client, params, status, message):
    response = lima_client.get("/reports/synthesis", params=params)
    assert response.status_code == status
    tree = LexborHTMLParser(response.text)
    assert message in tree.css_first("form .form-error").text()
    assert tree.css_first("article.synthesis") is None


def test_page_without_a_choice_is_just_the_form(lima_client):
    response = lima_client.get("/reports/synthesis")
    assert response.status_code == 200
    tree = LexborHTMLParser(response.text)
    assert tree.css_first("select#r-framework") is not None
    assert tree.css_first(".form-error") is None


def test_download_of_a_bad_format_is_an_error_page(lima_client):
    response = lima_client.get(
        "/reports/synthesis/download", params={"framework": "gcm", "format": "odt"}
    )
    assert response.status_code == 422
    assert "format must be one of" in response.text
