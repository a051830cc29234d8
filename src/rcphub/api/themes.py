"""JSON routes of theme tags and SKOS exports under /api/v1: thin, over :mod:`rcphub.themes`.

Confirming or rejecting a tag needs ``Authorization: Bearer`` with a write token of a
secretariat of the document's processes, or of an admin (401 without a token, 403 when the
policy refuses)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from rcphub import registry, themes, urls
from rcphub.dependencies import get_session
from rcphub.security import CurrentPrincipal
from rcphub.themes.schemas import Decision
from rcphub.themes.skos import FORMATS

router = APIRouter(tags=["themes"])
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


@router.get("/documents/{document_id}/tags", summary="Theme tags of every passage of a document")
def document_tags(
    document_id: str, session: SessionDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    return themes.document_tags(session, document_id, principal).model_dump(mode="json")


@router.get("/documents/{document_id}/passages/{ref}/tags", summary="Theme tags of one passage")
def passage_tags(
    document_id: str, ref: str, session: SessionDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    return themes.passage_tags(session, document_id, ref, principal).model_dump(mode="json")


@router.post(
    "/documents/{document_id}/passages/{ref}/tags/{tag}/{decision}",
    summary="Confirm or reject a tag of a passage (confirming an absent concept adds it)",
)
def decide(
    document_id: str,
    ref: str,
    tag: str,
    decision: Decision,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> dict[str, Any]:
    return themes.decide_tag(session, document_id, ref, tag, decision, actor=principal).model_dump(
        mode="json"
    )


@router.get(
    "/taxonomies/{scheme_id}/skos",
    summary="A scheme as SKOS (JSON-LD or Turtle), with the crosswalk as closeMatch/relatedMatch",
)
def skos(
    scheme_id: str,
    request: Request,
    session: SessionDep,
    format: Annotated[str, Query(pattern="^(jsonld|ttl)$")] = "jsonld",
) -> Response:
    scheme = registry.get_scheme(session, scheme_id)
    base = str(request.base_url).rstrip("/") + urls.taxonomies() + "/"
    body = themes.export_scheme(scheme, format, base)
    suffix = "jsonld" if format == "jsonld" else "ttl"
    return Response(
        body,
        media_type=f"{FORMATS[format]}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{scheme.id}.{suffix}"'},
    )
