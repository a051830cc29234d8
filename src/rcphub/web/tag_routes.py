"""The one form handler for theme tags on the document page: a person confirms or rejects a
tag of a passage.

Form handling for tags lives here and only here: who is acting comes from
:func:`rcphub.dependencies.get_actor` ("anonymous" until accounts exist); when CSRF protection
arrives, the check belongs in :func:`check_form`. After the decision the browser goes back to
the passage (303, so a reload does not post again).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rcphub import themes
from rcphub.dependencies import get_actor, get_session
from rcphub.security import current_principal
from rcphub.themes.service import find_document_id
from rcphub.web.passages import anchor

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(get_session)]
ActorDep = Annotated[str, Depends(get_actor)]
Field = Annotated[str, Form(max_length=100)]


def check_form(request: Request) -> None:
    """Checks every tag form passes before it changes anything (CSRF goes here)."""


@router.post("/documents/{ident}/tags", dependencies=[Depends(check_form)])
def decide_tag(
    request: Request,
    ident: str,
    session: SessionDep,
    actor: ActorDep,
    ref: Field,
    tag: Field,
    decision: Field,
) -> Response:
    themes.decide_tag(session, ident, ref, tag, decision, who=actor)
    document_id = find_document_id(session, ident, current_principal(request))
    return RedirectResponse(f"/documents/{document_id}#{anchor(ref)}", status_code=303)
