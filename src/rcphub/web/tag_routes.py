"""The one form handler for theme tags on the document page: a person confirms or rejects a
tag of a passage.

The CSRF token of the form is checked before the handler runs, by
:func:`rcphub.security.request_guard` (as for every form of the hub); who acts is the signed-in
principal, and whether they may is decided by :func:`rcphub.themes.decide_tag` through the
policy (``DOCUMENT_EDIT`` on the document's processes): a visitor gets 401, a user without the
role 403, and nothing is written. After the decision the browser goes back to the passage
(303, so a reload does not post again).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rcphub import themes, urls
from rcphub.dependencies import get_session
from rcphub.security import CurrentPrincipal
from rcphub.themes.service import find_document_id

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
Field = Annotated[str, Form(max_length=100)]


@router.post("/documents/{ident}/tags")
def decide_tag(
    ident: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    ref: Field,
    tag: Field,
    decision: Field,
) -> Response:
    themes.decide_tag(session, ident, ref, tag, decision, actor=principal)
    document_id = find_document_id(session, ident, principal)
    return RedirectResponse(urls.document(document_id, ref=ref), status_code=303)
