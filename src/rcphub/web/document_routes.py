"""Document pages: the list, one document with its passages, two language versions side by
side, and the stored source file (the upload form is :mod:`rcphub.web.upload_routes`).

Like :mod:`rcphub.web.registry_routes`, each route parses its parameters, calls the documents
services and renders one template; errors become the error page through the app's handlers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from rcphub import registry, themes, urls
from rcphub.accounts import Action
from rcphub.config import LANGUAGES
from rcphub.dependencies import get_ingestor, get_session
from rcphub.documents import get_document, list_documents
from rcphub.documents.parsing.model import DOC_TYPES
from rcphub.documents.schemas import DocumentDetail, MentionOut
from rcphub.errors import InvalidInput, NotFound
from rcphub.followup import KINDS as FOLLOWUP_KINDS
from rcphub.followup import tracked_refs
from rcphub.headers import content_disposition
from rcphub.limits import PAGE_PASSAGE_CHARS, PAGE_PASSAGES
from rcphub.registry.schemas import ProcessSummary
from rcphub.security import current_principal
from rcphub.web.access import write_access
from rcphub.web.pages import (
    blank_to_none,
    canonical,
    link_labels,
    lookup,
    renderer,
    sorted_processes,
    suggestion_names,
    tools_for,
)
from rcphub.web.presenters import party_href
from rcphub.wording import passages
from rcphub.wording.citations import designation, linked_meetings
from rcphub.wording.tools import PageTools

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
Filter = Annotated[str | None, Query(max_length=100)]
PAGE_SIZE = 25
DOCUMENT_LANGUAGES = (*LANGUAGES, "und")

SOURCE_TYPES = {
    "txt": "text/plain",
    "md": "text/markdown",
    "html": "text/html",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


# ---------------------------------------------------------------------------- shared pieces


def _entity_names(
    session: Session, entities: set[str], bodies: list[ProcessSummary]
) -> dict[str, dict[str, str]]:
    """Names of the mentioned states, processes and organisations."""
    names: dict[str, dict[str, str]] = {body.ref: body.names for body in bodies}
    if any(e.startswith("state:") for e in entities):
        for iso3, localised in registry.state_names(session).items():
            names[f"state:{iso3}"] = localised
    return names


_CLOSE = Markup("</a>")
_CLOSE_SPAN = Markup("</span></a>")


class MentionLinks:
    """Makes the link of a mention: to the country or process page, titled with where it
    goes, in the interface language; the mention itself stays in the passage's language."""

    def __init__(
        self,
        tools: PageTools,
        names: dict[str, dict[str, str]],
        passage_languages: dict[str, str],
    ) -> None:
        _ = tools.gettext
        self.tools = tools
        self.names = names
        self.passage_languages = passage_languages
        self._openings: dict[tuple[str, str], Markup] = {}
        self.titles = {
            "state": _("Country page: %(name)s"),
            "process": _("Process page: %(name)s"),
            "org": _("Organisation page: %(name)s"),
        }

    def name(self, entity: str) -> str:
        picked = self.tools.pick(self.names.get(entity))
        return picked.text if picked else entity.partition(":")[2]

    def _opening(self, entity: str, language: str) -> Markup:
        """``<a ...>`` (and ``<span lang>``) of a mention of ``entity`` in text in
        ``language``; the same for every mention of it, so it is made once."""
        key = (entity, language)
        if key not in self._openings:
            kind = passages.entity_kind(entity)
            title = self.titles.get(kind, "%(name)s") % {"name": self.name(entity)}
            href = party_href(entity)
            if language == self.tools.lang:
                opening = Markup('<a class="mention mention--{}" href="{}" title="{}">').format(
                    kind, href, title
                )
            else:  # the title is in the interface language, the words in the document's
                opening = Markup(
                    '<a class="mention mention--{}" href="{}" title="{}" lang="{}"><span lang="{}">'
                ).format(kind, href, title, self.tools.lang, language)
            self._openings[key] = opening
        return self._openings[key]

    def __call__(self, mention: MentionOut, span: str) -> Markup:
        language = self.passage_languages.get(mention.passage, self.tools.lang)
        closing = _CLOSE if language == self.tools.lang else _CLOSE_SPAN
        return self._opening(mention.entity, language) + span + closing  # span is escaped


def _bodies(session: Session, *documents: DocumentDetail) -> list[ProcessSummary]:
    """Every process and organisation, when the documents mention or are filed under one."""
    wanted = any(not m.entity.startswith("state:") for d in documents for m in d.mentions) or any(
        t.startswith("process:") for d in documents for t in d.links
    )
    return registry.list_processes(session, include_listed_only=True) if wanted else []


def _views(
    session: Session, tools: PageTools, document: DocumentDetail, bodies: list[ProcessSummary]
) -> tuple[list[passages.PassageView], MentionLinks]:
    languages = {
        p.ref: (p.language if p.language != "und" else document.language) for p in document.passages
    }
    names = _entity_names(session, {m.entity for m in document.mentions}, bodies)
    links = MentionLinks(tools, names, languages)
    return passages.passage_views(document, tools.refs, links), links


# ---------------------------------------------------------------------------- the list


@router.get("/documents")
def documents(
    request: Request,
    session: SessionDep,
    language: Filter = None,
    type: Filter = None,  # the public parameter name, as in the API
    process: Filter = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    language, doc_type = blank_to_none(language), blank_to_none(type)
    process = blank_to_none(process)
    if language is not None and language not in DOCUMENT_LANGUAGES:
        raise InvalidInput(f"language must be one of: {', '.join(DOCUMENT_LANGUAGES)}")
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise InvalidInput(f"type must be one of: {', '.join(DOC_TYPES)}")
    tools = tools_for(request)
    bodies = registry.list_processes(session, include_listed_only=True)
    processes = [p for p in bodies if not p.listed_only]
    if process is not None and process not in {p.id for p in bodies}:
        raise InvalidInput(f"no process or organisation with ID {process!r}")
    total, found = list_documents(
        session,
        language=language,
        doc_type=doc_type,
        link=f"process:{process}" if process else None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        viewer=current_principal(request),
    )
    targets = {target for d in found for target in d.links}
    selected = {"language": language, "type": doc_type, "process": process}
    pages = max(1, -(-total // PAGE_SIZE))

    def page_href(number: int) -> str:
        query = [(k, v) for k, v in selected.items() if v] + [("page", str(number))]
        return urls.documents(query=query)

    return renderer(request).render(
        request,
        "documents.html",
        {
            "documents": found,
            "total": total,
            "first": (page - 1) * PAGE_SIZE + 1,
            "last": (page - 1) * PAGE_SIZE + len(found),
            "page": page,
            "pages": pages,
            "previous_href": page_href(page - 1) if page > 1 else None,
            "next_href": page_href(page + 1) if page < pages else None,
            "links": link_labels(tools, targets, bodies, linked_meetings(session, targets)),
            "languages": LANGUAGES,
            "doc_types": DOC_TYPES,
            "processes": sorted_processes(tools, processes),
            "selected": selected,
            "filtered": any(selected.values()),
        },
        section="documents",
    )


# ---------------------------------------------------------------------------- one document


@router.get("/documents/{ident}")
def document(
    request: Request,
    ident: str,
    session: SessionDep,
    detected: Annotated[int | None, Query(ge=0, le=100_000)] = None,
) -> Response:
    doc = lookup(request, get_document, session, ident, current_principal(request))
    if doc.id != ident:
        return canonical(request, urls.document(doc.id))
    tools = tools_for(request)
    bodies = _bodies(session, doc)
    total_passages = len(doc.passages)
    doc, cut = bounded_for_page(doc)
    views, links = _views(session, tools, doc, bodies)
    meetings = linked_meetings(session, set(doc.links))
    groups = passages.group_mentions(doc.mentions, [p.ref for p in doc.passages])
    base = str(request.base_url).rstrip("/")
    principal = current_principal(request)
    tags = {p.ref: p.tags for p in themes.document_tags(session, doc.id, principal).passages}
    tracked = tracked_refs(session, doc.id, principal)
    followup_access = {
        d: write_access(request, session, Action.FOLLOWUP_EDIT, d)
        for d in {doc.id} | {t.document for t in tracked.values()}
    }
    return renderer(request).render(
        request,
        "document.html",
        {
            "doc": doc,
            "tags": tags,
            "title": doc.title or doc.filename,
            "body": [v for v in views if not v.is_footnote],
            "notes": [v for v in views if v.is_footnote],
            "mention_groups": groups,
            "entity_names": links.names,
            "entity_href": party_href,
            "mention_total": len(doc.mentions),
            "links": link_labels(tools, set(doc.links), bodies, meetings),
            "designation": designation(tools, doc, meetings),
            "permalink": base + urls.document(doc.id),
            "ingested_at": tools.timestamp(doc.ingested_at),
            "tracked": tracked,
            "detected": detected,
            "followup_access": followup_access,
            "followup_kinds": FOLLOWUP_KINDS,
            "tag_access": write_access(request, session, Action.DOCUMENT_EDIT, doc.id),
            # the details form: a contributor's edit becomes a proposal
            "edit_access": write_access(request, session, Action.EDIT_PROPOSE, doc.id),
            "filing_access": write_access(request, session, Action.DOCUMENT_EDIT, doc.id),
            "target_names": suggestion_names(session, tools, doc),
            "sign_in_href": urls.sign_in(next=urls.document(doc.id)),
            "cut": cut,
            "total_passages": total_passages,
            "page_passages": PAGE_PASSAGES,
            "page_passage_chars": PAGE_PASSAGE_CHARS,
        },
        section="documents",
    )


def bounded_for_page(doc: DocumentDetail) -> tuple[DocumentDetail, bool]:
    """The document as its page shows it: the first :data:`PAGE_PASSAGES` passages, each up to
    :data:`PAGE_PASSAGE_CHARS` characters, with the mentions in what is shown (the page of a
    10 MB one-line paragraph or of 50,000 paragraphs stays a page); and whether anything was
    left out (the page then says so and points to the source file)."""
    passages = doc.passages[:PAGE_PASSAGES]
    long = any(len(p.text) > PAGE_PASSAGE_CHARS for p in passages)
    if len(passages) == len(doc.passages) and not long:
        return doc, False
    shown = {p.ref for p in passages}
    passages = [
        p.model_copy(update={"text": p.text[:PAGE_PASSAGE_CHARS]})
        if len(p.text) > PAGE_PASSAGE_CHARS
        else p
        for p in passages
    ]
    mentions = [m for m in doc.mentions if m.passage in shown and m.end <= PAGE_PASSAGE_CHARS]
    return doc.model_copy(update={"passages": passages, "mentions": mentions}), True


@router.get("/documents/{ident}/compare/{other}")
def compare(request: Request, ident: str, other: str, session: SessionDep) -> Response:
    left = lookup(request, get_document, session, ident, current_principal(request))
    right = lookup(request, get_document, session, other, current_principal(request))
    if left.id != ident or right.id != other:
        return canonical(request, urls.compare(left.id, right.id))
    if left.id == right.id:
        raise InvalidInput("a document cannot be compared with itself")
    tools = tools_for(request)
    bodies = _bodies(session, left, right)
    left_views = {v.ref: v for v in _views(session, tools, left, bodies)[0]}
    right_views = {v.ref: v for v in _views(session, tools, right, bodies)[0]}
    rows = [
        (left_views.get(a) if a else None, right_views.get(b) if b else None)
        for a, b in passages.align(list(left_views), list(right_views))
    ]
    return renderer(request).render(
        request,
        "compare.html",
        {
            "left": left,
            "right": right,
            "rows": rows,
            "shared": sum(1 for a, b in rows if a and b),
        },
        section="documents",
    )


@router.get("/documents/{ident}/source")
def source(request: Request, ident: str, session: SessionDep) -> Response:
    """The stored source file, as a download."""
    doc = lookup(request, get_document, session, ident, current_principal(request))
    if doc.id != ident:
        return canonical(request, urls.document(doc.id, "source"))
    try:
        data = get_ingestor(request).store.get(doc.content_hash)
    except OSError as missing:
        raise NotFound("source file", doc.id) from missing
    return Response(
        data,
        media_type=SOURCE_TYPES.get(doc.source_format, "application/octet-stream"),
        headers={
            "Content-Disposition": content_disposition(doc.filename),
            "X-Content-Type-Options": "nosniff",
            # an HTML source must never run as a page of the hub
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )
