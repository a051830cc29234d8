"""Pages for what the hub reads from a document's text: filing a document under the processes
its text suggests (a form on the upload result and the document page), and the admins' list of
candidate bodies (bodies documents name that the registry does not hold), with dismissing one.

The CSRF token of each form is checked before the handler runs
(:func:`rcphub.security.request_guard`); who may act is decided by the services through the
policy: filing needs ``DOCUMENT_EDIT`` on the document and ``DOCUMENT_ADD`` on each new process,
the candidate list ``REFDATA_LOAD`` (admins). A visitor gets 401, a user without the role 403,
and nothing is written. After a change the browser goes back (303).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rcphub import urls
from rcphub.dependencies import get_session
from rcphub.documents import candidates as candidate_service
from rcphub.documents import service
from rcphub.security import CurrentPrincipal
from rcphub.web.pages import renderer

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


@router.post("/documents/{ident}/filing")
def file_document(
    ident: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    target: Annotated[list[str], Form(max_length=120)],
) -> Response:
    summary = service.file_document(session, ident, target, principal)
    return RedirectResponse(urls.document(summary.id), status_code=303)


@router.get("/admin/candidates")
def candidates_page(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    status: Annotated[str, Query(pattern="^(proposed|dismissed)$")] = "proposed",
) -> Response:
    found = candidate_service.list_candidates(session, principal, status=status)
    return renderer(request).render(
        request, "candidates.html", {"candidates": found, "status": status}
    )


@router.post("/admin/candidates/{candidate_id}/status")
def candidate_status(
    candidate_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
    principal: CurrentPrincipal,
    status: Annotated[str, Form(max_length=20)],
) -> Response:
    changed = candidate_service.set_candidate_status(session, principal, candidate_id, status)
    back = "dismissed" if changed.status == "proposed" else "proposed"
    return RedirectResponse(urls.admin_candidates(status=back), status_code=303)
