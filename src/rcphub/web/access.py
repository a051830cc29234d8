"""What a page offers to write: the write forms are shown to those the policy lets use them,
a "sign in" link to visitors, and nothing to the others. The writes themselves are decided
again by the services (a page is only a hint)."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from rcphub.accounts import Action, Outcome, decide
from rcphub.accounts.policy import Principal
from rcphub.accounts.scopes import governing_processes
from rcphub.security import current_principal

__all__ = ["may_edit_process", "process_tools", "write_access"]


def write_access(request: Request, session: Session, action: Action, document_id: str) -> str:
    """``edit`` (a secretariat of the document's processes, an admin), ``propose`` (a
    contributor, where the action is proposable), ``sign_in`` (a visitor) or ``none``."""
    principal = current_principal(request)
    if not principal.authenticated:
        return "sign_in"
    outcome = decide(principal, action, governing_processes(session, document_id)).outcome
    return {Outcome.ALLOW: "edit", Outcome.PROPOSE: "propose"}.get(outcome, "none")


def may_edit_process(principal: Principal, process_id: str | None) -> bool:
    """May ``principal`` keep this process's record (profile, members, meetings)? A meeting
    of no process (``process_id`` None) is an admin's."""
    targets = [process_id] if process_id else []
    return decide(principal, Action.PROCESS_EDIT, targets).outcome is Outcome.ALLOW


def process_tools(principal: Principal, process_id: str) -> dict[str, bool]:
    """What a process page offers beyond reading: ``may_propose_record`` (a contributor: the
    edit forms send proposals), ``may_manage_people`` (its secretariat, an admin)."""
    propose = decide(principal, Action.EDIT_PROPOSE, [process_id]).outcome is Outcome.PROPOSE
    people = decide(principal, Action.PEOPLE_MANAGE, [process_id]).outcome is Outcome.ALLOW
    return {"may_propose_record": propose, "may_manage_people": people}
