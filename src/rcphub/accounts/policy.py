"""Who may do what: the one place that answers "may this principal do X on Y".

Every write path asks :func:`authorize` (or :func:`decide`) before it changes anything: the
upload form, ``POST /api/v1/documents``, linking versions, approving proposals, confirming or
rejecting theme tags, every follow-up write (detect, track, confirm/reject, edit, updates, CSV
import), the user and token commands.

What belongs to which processes (:func:`rcphub.accounts.scopes.governing_processes`): a
document, its theme tags and the follow-up items drawn from it belong to the processes the
document is filed under; a document filed only under meetings belongs to the bodies of those
meetings (a GFMD summit to ``gfmd``, an HLD or IMRF to ``un-hld-imrf``); one filed under a
meeting the registry knows no process of (the global meetings of RCPs) or under nothing is
for an admin only. Tags need ``DOCUMENT_EDIT``; follow-up needs ``FOLLOWUP_EDIT``.

A contributor's proposals in follow-up are the items themselves: a contributor may detect
recommendations and track a passage, and the items stay *proposed* until a secretariat of the
processes confirms or rejects them. Everything else in follow-up (confirming, rejecting,
editing, reporting updates, tracking an item as confirmed at once, CSV imports) needs a
secretariat: an update changes the item's status at once and has no proposed state, so a
contributor's update is refused (403) rather than half-accepted.

Every read path asks :func:`may_read` (one object in hand) or filters its query with
:func:`visible_documents_clause` / :func:`visible_items_clause` / :func:`visible_updates_clause`
(many rows): a document, a follow-up item or a process's update is ``public`` or
``restricted``; restricted content belongs to the processes its document is filed under (its
``process:`` links; an update, to the process that published it) and is read by the members (a
grant of any
role for one of those processes: reader, contributor, secretariat) and by admins. Anonymous
visitors (and so feeds, which are anonymous) see public content only; the ``rcphub`` command
(the system) sees everything. Restricted content filed under no process is for admins only.
Whoever may not read a document is told it does not exist (404, never 403).

Registry edits (a process's profile, members, meetings, a document's details) are proposed
with :data:`Action.EDIT_PROPOSE`: a contributor's becomes a proposal that a secretariat of the
process accepts (the change is then made by the secretariat through the editing service, and
its history names both); a secretariat or an admin makes the change directly.

People: an admin invites, grants and revokes any role and makes password reset links; a
secretariat of a process (:data:`Action.PEOPLE_MANAGE`) invites people to, grants and revokes
the roles of that process only (secretariat, contributor, reader) — never admin, never a role of
another process (:func:`authorize_grant`).

Roles::

    admin         everything, hub-wide
    secretariat   of one or more processes (a secretariat or a government focal point): may add
                  and edit that process's documents, record, updates and follow-up items, and
                  decide contributors' proposals for it
    contributor   of one or more processes: proposes; a secretariat of the process approves
    reader        signs in and reads (a reader of a process: a member, for member-only content)

A principal is who is asking: an anonymous visitor, a signed-in user (through a session cookie
or an API token, whose scope may be read-only), or the system itself (the ``rcphub`` command run
by the operator of the machine, and the bundled data loaded at start).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, or_, select, true

from rcphub.db.exchange_models import ProcessUpdate
from rcphub.db.followup_models import FollowupItem
from rcphub.db.models import Document, DocumentLink
from rcphub.errors import Forbidden, Unauthenticated


class Role(StrEnum):
    ADMIN = "admin"
    SECRETARIAT = "secretariat"
    CONTRIBUTOR = "contributor"
    READER = "reader"


PROCESS_ROLES = frozenset({Role.SECRETARIAT, Role.CONTRIBUTOR})
"""Roles that are always held for a process."""


class Visibility(StrEnum):
    PUBLIC = "public"
    RESTRICTED = "restricted"


VISIBILITIES = tuple(v.value for v in Visibility)


class Action(StrEnum):
    DOCUMENT_ADD = "document.add"
    """Upload or ingest documents filed under processes."""
    DOCUMENT_EDIT = "document.edit"
    """Change stored documents (link language versions) of processes."""
    PROPOSAL_DECIDE = "proposal.decide"
    """Approve or reject a contributor's proposal for processes."""
    PROCESS_EDIT = "process.edit"
    UPDATE_PUBLISH = "update.publish"
    FOLLOWUP_EDIT = "followup.edit"
    REFDATA_LOAD = "refdata.load"
    USERS_MANAGE = "users.manage"
    AUDIT_VIEW = "audit.view"
    WEBHOOKS_MANAGE = "webhooks.manage"
    """Register, remove and redeliver webhooks: an admin any, a secretariat those filtered to
    its processes."""
    TOKENS_MANAGE = "tokens.manage"
    """Create and revoke one's own API tokens (any signed-in user, through a session)."""
    EDIT_PROPOSE = "edit.propose"
    """Change a process's record or a document's details, or (a contributor) propose it."""
    PEOPLE_MANAGE = "people.manage"
    """Invite people to a process, grant and revoke the roles of that process."""


PROCESS_ACTIONS = frozenset(
    {
        Action.DOCUMENT_ADD,
        Action.DOCUMENT_EDIT,
        Action.PROPOSAL_DECIDE,
        Action.PROCESS_EDIT,
        Action.UPDATE_PUBLISH,
        Action.FOLLOWUP_EDIT,
        Action.WEBHOOKS_MANAGE,
        Action.EDIT_PROPOSE,
        Action.PEOPLE_MANAGE,
    }
)
"""Actions on what belongs to processes: a secretariat of every process involved may."""

PROPOSABLE = frozenset(
    {Action.DOCUMENT_ADD, Action.UPDATE_PUBLISH, Action.FOLLOWUP_EDIT, Action.EDIT_PROPOSE}
)
"""Actions a contributor of the processes may propose instead of doing."""

ADMIN_ACTIONS = frozenset({Action.REFDATA_LOAD, Action.USERS_MANAGE, Action.AUDIT_VIEW})

READ_ACTIONS = frozenset({Action.AUDIT_VIEW})
"""Actions that change nothing: a read-only token may do them (if its user may)."""


class Outcome(StrEnum):
    ALLOW = "allow"
    PROPOSE = "propose"
    DENY = "deny"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str

    @property
    def allowed(self) -> bool:
        return self.outcome is Outcome.ALLOW


@dataclass(frozen=True)
class Principal:
    """Who is asking. ``grants`` are ``(role, process_id or None)`` pairs."""

    kind: str  # anonymous | user | system
    user_id: int | None = None
    username: str | None = None
    grants: frozenset[tuple[str, str | None]] = field(default_factory=frozenset)
    via: str = "none"  # none | session | token | cli | system
    scope: str = "write"  # what the credential allows: write | read
    token_id: int | None = None
    address: str | None = None
    name: str | None = None  # the operator of the CLI, for the system principal
    proposer: str | None = None
    """Whose proposal this principal is applying (the history names both), if any."""

    @property
    def authenticated(self) -> bool:
        return self.kind != "anonymous"

    @property
    def is_admin(self) -> bool:
        return self.kind == "system" or (Role.ADMIN, None) in self.grants

    def processes_with(self, role: Role) -> frozenset[str]:
        return frozenset(p for r, p in self.grants if r == role and p is not None)

    @property
    def label(self) -> str:
        """How the audit log names this principal: ``alice``, ``alice (token 3)``,
        ``cli:root``, ``system``."""
        if self.kind == "anonymous":
            return "anonymous"
        if self.kind == "system":
            return f"cli:{self.name}" if self.via == "cli" else "system"
        if self.via == "token":
            return f"{self.username} (token {self.token_id})"
        return self.username or "?"

    def with_address(self, address: str | None) -> Principal:
        from dataclasses import replace

        return replace(self, address=address)

    def applying_proposal_of(self, proposer: str) -> Principal:
        """This principal, accepting ``proposer``'s proposal."""
        from dataclasses import replace

        return replace(self, proposer=proposer)


ANONYMOUS = Principal(kind="anonymous")
SYSTEM = Principal(kind="system", via="system")


def cli_operator(name: str) -> Principal:
    """The operator of the ``rcphub`` command: whoever can run it has the database already."""
    return Principal(kind="system", via="cli", name=name)


def decide(principal: Principal, action: Action, processes: Iterable[str] = ()) -> Decision:
    """May ``principal`` do ``action`` on what belongs to ``processes``? Pure: no I/O."""
    targets = frozenset(processes)
    if principal.kind == "system":
        return Decision(Outcome.ALLOW, "the system")
    if not principal.authenticated:
        return Decision(Outcome.DENY, "sign in first")
    if principal.scope != "write" and action not in READ_ACTIONS:
        return Decision(Outcome.DENY, "this token may only read")
    if action is Action.TOKENS_MANAGE:
        if principal.via == "token":
            return Decision(Outcome.DENY, "API tokens are managed after signing in, not by token")
        return Decision(Outcome.ALLOW, "own tokens")
    if principal.is_admin:
        return Decision(Outcome.ALLOW, "admin")
    if action in ADMIN_ACTIONS:
        return Decision(Outcome.DENY, "only an admin may do this")
    if action in PROCESS_ACTIONS:
        if not targets:
            return Decision(Outcome.DENY, "only an admin may change what is filed under no process")
        secretariat = principal.processes_with(Role.SECRETARIAT)
        if targets <= secretariat:
            return Decision(Outcome.ALLOW, "secretariat of " + ", ".join(sorted(targets)))
        contributor = principal.processes_with(Role.CONTRIBUTOR)
        if action in PROPOSABLE and targets <= secretariat | contributor:
            return Decision(Outcome.PROPOSE, "contributor: a secretariat approves")
        missing = ", ".join(sorted(targets - secretariat))
        return Decision(Outcome.DENY, f"not a secretariat of {missing}")
    return Decision(Outcome.DENY, "not allowed")


def processes_for(principal: Principal, action: Action) -> frozenset[str] | None:
    """The processes for which ``principal`` may do (or propose) ``action``; None: any, and
    things filed under no process too (an admin, the system)."""
    if decide(principal, action, ()).outcome is not Outcome.DENY:
        return None
    if not principal.authenticated or principal.scope != "write":
        return frozenset()
    held = principal.processes_with(Role.SECRETARIAT) | principal.processes_with(Role.CONTRIBUTOR)
    return frozenset(p for p in held if decide(principal, action, [p]).outcome != Outcome.DENY)


def authorize(
    principal: Principal,
    action: Action,
    processes: Iterable[str] = (),
    *,
    proposals: bool = False,
) -> Decision:
    """:func:`decide`, raising :class:`Unauthenticated` for an anonymous principal and
    :class:`Forbidden` when refused. ``proposals``: the caller can turn a PROPOSE into a
    proposal; otherwise a PROPOSE is refused too."""
    decision = decide(principal, action, processes)
    if decision.outcome is Outcome.DENY or (decision.outcome is Outcome.PROPOSE and not proposals):
        if not principal.authenticated:
            raise Unauthenticated("sign in first")
        reason = (
            decision.reason
            if decision.outcome is Outcome.DENY
            else "a contributor may only propose this"
        )
        raise Forbidden(f"{principal.label} may not {action.value}: {reason}")
    return decision


PROCESS_ROLES_GRANTABLE = (Role.SECRETARIAT, Role.CONTRIBUTOR, Role.READER)
"""Roles a secretariat may grant for its process."""


def authorize_grant(principal: Principal, role: str, process: str | None) -> Decision:
    """May ``principal`` grant (or revoke, or invite someone with) ``role`` for ``process``
    (None: hub-wide)? An admin any; a secretariat of ``process`` its process's roles."""
    if principal.is_admin:
        return authorize(principal, Action.USERS_MANAGE)
    if process is None or role not in PROCESS_ROLES_GRANTABLE:
        if not principal.authenticated:
            raise Unauthenticated("sign in first")
        raise Forbidden(f"{principal.label} may not grant {role}: only an admin may")
    return authorize(principal, Action.PEOPLE_MANAGE, [process])


# -- reading -----------------------------------------------------------------------------------


def check_visibility(value: str) -> Visibility:
    """``public`` or ``restricted``, else :class:`InvalidInput`."""
    from rcphub.errors import InvalidInput

    try:
        return Visibility((value or "").strip().lower())
    except ValueError:
        raise InvalidInput("visibility must be public or restricted") from None


def readable_processes(principal: Principal) -> frozenset[str] | None:
    """The processes whose restricted content ``principal`` may read; None: all of it, and
    restricted content filed under no process too (an admin, the system)."""
    if principal.is_admin:
        return None
    if not principal.authenticated:
        return frozenset()
    return frozenset(p for _role, p in principal.grants if p is not None)


def may_read(principal: Principal, visibility: str, processes: Iterable[str]) -> bool:
    """May ``principal`` read content of ``visibility`` filed under ``processes`` (process
    IDs, ``bali-process``)? Pure: no I/O. Anything not public counts as restricted."""
    if visibility == Visibility.PUBLIC:
        return True
    readable = readable_processes(principal)
    return readable is None or bool(readable & frozenset(processes))


def may_see_editors(principal: Principal, processes: Iterable[str]) -> bool:
    """May ``principal`` see who changed a record of ``processes`` (a history's ``who``)?
    Members of one of them (a grant of any role) and admins; everyone else sees what changed
    and when, not by whom. A record of no process: admins. Pure: no I/O."""
    readable = readable_processes(principal)
    return readable is None or bool(readable & frozenset(processes))


def _member_documents(readable: frozenset[str]):  # type: ignore[no-untyped-def]
    """IDs of documents filed under one of ``readable`` (a subquery)."""
    return select(DocumentLink.document_id).where(
        DocumentLink.target.in_(sorted(f"process:{p}" for p in readable))
    )


def visible_documents_clause(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause over :class:`Document` keeping the documents ``principal`` may read
    (the SQL form of :func:`may_read`); other tables use it as
    ``X.document_id.in_(select(Document.id).where(visible_documents_clause(p)))``."""
    readable = readable_processes(principal)
    if readable is None:
        return true()
    public = Document.visibility == Visibility.PUBLIC.value
    if not readable:
        return public
    return or_(public, Document.id.in_(_member_documents(readable)))


def visible_document_ids(principal: Principal):  # type: ignore[no-untyped-def]
    """The IDs of the documents ``principal`` may read, as a subquery for ``in_``."""
    return select(Document.id).where(visible_documents_clause(principal))


def visible_items_clause(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause over :class:`FollowupItem`: its document is visible, and the item is
    public or ``principal`` reads the restricted content of the document's processes."""
    readable = readable_processes(principal)
    if readable is None:
        return true()
    document_visible = FollowupItem.document_id.in_(visible_document_ids(principal))
    public = FollowupItem.visibility == Visibility.PUBLIC.value
    if not readable:
        return and_(document_visible, public)
    return and_(
        document_visible, or_(public, FollowupItem.document_id.in_(_member_documents(readable)))
    )


def visible_updates_clause(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause over :class:`ProcessUpdate` (the SQL form of :func:`may_read` with the
    publishing process): public updates, and the restricted ones of the processes
    ``principal`` is a member of."""
    readable = readable_processes(principal)
    if readable is None:
        return true()
    public = ProcessUpdate.visibility == Visibility.PUBLIC.value
    if not readable:
        return public
    return or_(public, ProcessUpdate.process_id.in_(sorted(readable)))
