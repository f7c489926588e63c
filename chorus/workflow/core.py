"""Transitions, actors and the one function that moves a document."""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.enums import Channel

# The role of the platform itself, on every kind: routing, integration, scheduled moves.
SYSTEM = "SYSTEME"

# What a transition may require of the caller, beyond being allowed to make it.
MOTIVE, COMMENT, MANDATE_NUMBER, ATTACHMENT = "motive", "comment", "mandate_number", "attachment"


@dataclass(frozen=True)
class Actor:
    """Who acts and through which channel: a member of a structure (a user acting under one of
    their memberships), a technical account (API, EDI), or the platform."""

    channel: str
    user: Any = None  # chorus.User
    membership: Any = None  # chorus.Membership the user acts under
    technical_account: Any = None  # chorus.TechnicalAccount

    @classmethod
    def platform(cls) -> "Actor":
        return cls(channel=Channel.SYSTEME)

    @classmethod
    def member(cls, membership, channel: str = Channel.PORTAIL) -> "Actor":
        return cls(channel=channel, user=membership.user, membership=membership)

    @classmethod
    def account(cls, technical_account, channel: str = Channel.API) -> "Actor":
        return cls(channel=channel, technical_account=technical_account)

    @property
    def is_platform(self) -> bool:
        return self.user is None and self.technical_account is None

    @property
    def structure(self):
        """The structure the actor acts for (None for the platform)."""
        if self.membership is not None:
            return self.membership.structure
        if self.technical_account is not None:
            return self.technical_account.structure
        return None

    @property
    def label(self) -> str:
        if self.user is not None:
            return str(self.user)
        if self.technical_account is not None:
            return str(self.technical_account)
        return "plateforme"


@dataclass(frozen=True)
class Transition:
    """One allowed move: from `source` to `target` by `action`, for the roles named.

    `marks` names a nullable date field of the document that the action fills in and that
    must still be empty: an action that keeps the status (acknowledging a rejection) can be
    taken once.
    """

    source: str
    target: str
    action: str
    roles: frozenset[str]
    requires: frozenset[str] = frozenset()
    marks: str = ""


class TransitionRefused(PermissionDenied):
    """A move the table, the actor's role or a concurrent move does not allow.

    `code`: `not_party` (the document is not the actor's), `wrong_role`, `wrong_status`,
    `missing_motive`, `bad_motive`, `missing_comment`, `missing_mandate_number`,
    `missing_attachment`, `concurrent` (someone else moved it first).
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Workflow:
    """A document kind's statuses, moves and history.

    - `roles_of(actor, document)`: the roles the actor holds on that document (empty when the
      document is none of theirs); the platform always holds SYSTEM.
    - `history`: the kind's history model (a `StatusChange`) and `document_field`, its foreign
      key to the document.
    - `motive_check(transition, code, comment)`: an error message, or None when the motive
      fits the action (the catalogue lives with the kind's callers, not here).
    - `lifecycle_codes`: the reform's lifecycle code of each status, written on history rows.
    - `on_move(document, source, target)`: called in the move's transaction, after the claim
      and before the document's attributes change (source "" for a new document's first
      status): what must change with the status or not at all (the invoices' counts).
    """

    model: type[models.Model]
    statuses: type[models.TextChoices]
    transitions: tuple[Transition, ...]
    history: type[models.Model]
    document_field: str
    roles_of: Callable[[Actor, models.Model], set[str]]
    motive_check: Callable[[Transition, str, str], str | None] | None = None
    lifecycle_codes: Mapping[str, str] = field(default_factory=dict)
    on_move: Callable[[models.Model, str, str], None] | None = None
    _follow_ups: dict[str, list[Callable]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self):
        pairs = [(t.source, t.target) for t in self.transitions]
        duplicates = {pair for pair in pairs if pairs.count(pair) > 1}
        if duplicates:
            raise ValueError(f"{self.model.__name__}: one transition per move, {duplicates} twice")
        known = set(self.statuses.values)
        unknown = {s for pair in pairs for s in pair} - known
        if unknown:
            raise ValueError(f"{self.model.__name__}: unknown statuses {unknown}")

    def transition(self, source: str, target: str) -> Transition | None:
        return next((t for t in self.transitions if (t.source, t.target) == (source, target)), None)

    def on_enter(self, *statuses: str) -> Callable:
        """Registers `follow_up(change)` to run after commit whenever a document enters one
        of `statuses`; channels (EDI, e-mail) attach themselves this way."""

        def register_follow_up(follow_up: Callable) -> Callable:
            for status in statuses:
                if follow_up not in self._follow_ups[status]:
                    self._follow_ups[status].append(follow_up)
            return follow_up

        return register_follow_up

    def follow_ups(self, status: str) -> list[Callable]:
        return list(self._follow_ups.get(status, ()))


_REGISTRY: dict[type[models.Model], Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    _REGISTRY[workflow.model] = workflow
    return workflow


def workflow_of(document: models.Model | type[models.Model]) -> Workflow:
    model = document if isinstance(document, type) else type(document)
    return _REGISTRY[model]


def _roles(workflow: Workflow, actor: Actor, document: models.Model) -> set[str]:
    if actor.is_platform:
        return {SYSTEM}
    return set(workflow.roles_of(actor, document))


def _is_open(transition: Transition, document: models.Model) -> bool:
    return not transition.marks or getattr(document, transition.marks) is None


def available_transitions(*, document: models.Model, actor: Actor) -> list[Transition]:
    """The moves the actor may make on the document now: drives buttons and the API."""
    workflow = workflow_of(document)
    roles = _roles(workflow, actor, document)
    return [
        t
        for t in workflow.transitions
        if t.source == document.status and t.roles & roles and _is_open(t, document)
    ]


def _refuse_unless_allowed(
    workflow: Workflow, transition: Transition | None, document, target: str, roles: set[str]
) -> Transition:
    statuses = workflow.statuses
    if not roles:
        raise TransitionRefused(
            "not_party", _("Ce document ne relève pas de votre structure ni de vos services.")
        )
    if transition is None or not _is_open(transition, document):
        allowed = [t for t in workflow.transitions if t.target == target and t.roles & roles]
        sources = ", ".join(str(statuses(t.source).label) for t in allowed)
        message = _(
            "Un document au statut « %(current)s » ne peut pas passer au statut « %(target)s »."
        ) % {
            "current": statuses(document.status).label,
            "target": statuses(target).label if target in statuses.values else target,
        }
        if sources:
            message += " " + str(_("Cette action n'est possible qu'au statut : %(sources)s.")) % {
                "sources": sources
            }
        raise TransitionRefused("wrong_status", message)
    if not transition.roles & roles:
        raise TransitionRefused(
            "wrong_role",
            _(
                "Votre rôle sur ce document ne permet pas de le faire passer au statut « %(target)s »."
            )
            % {"target": statuses(target).label},
        )
    return transition


def _check_requirements(
    workflow: Workflow, transition: Transition, motive: str, comment: str, details: dict
) -> None:
    requires = transition.requires
    if MOTIVE in requires:
        if not motive:
            raise TransitionRefused("missing_motive", _("Choisissez un motif."))
        if workflow.motive_check is not None:
            error = workflow.motive_check(transition, motive, comment)
            if error:
                raise TransitionRefused("bad_motive", error)
    if COMMENT in requires and not comment.strip():
        raise TransitionRefused("missing_comment", _("Ajoutez un commentaire."))
    if MANDATE_NUMBER in requires and not str(details.get("mandate_number") or "").strip():
        raise TransitionRefused("missing_mandate_number", _("Indiquez le numéro de mandat."))
    if ATTACHMENT in requires and not details.get("attachments"):
        raise TransitionRefused("missing_attachment", _("Joignez au moins une pièce."))


def status_transition(
    *,
    document: models.Model,
    target: str,
    actor: Actor,
    motive: str = "",
    comment: str = "",
    **details: Any,
) -> models.Model:
    """Moves a document to `target`: the one way any caller changes a status.

    Checks the kind's table and the actor's role on this document, claims the row with a
    conditional update (of two concurrent moves exactly one wins; the other is refused with
    code `concurrent`), writes the history row in the same transaction and queues the new
    status's follow-ups after commit. `details` go to the kind's history row (a mandate
    number...); `attachments`, when given, are only checked for presence here and kept by
    the caller. Returns the history row.
    """
    workflow = workflow_of(document)
    roles = _roles(workflow, actor, document)
    transition = _refuse_unless_allowed(
        workflow, workflow.transition(document.status, target), document, target, roles
    )
    _check_requirements(workflow, transition, motive, comment, details)
    details.pop("attachments", None)
    now = timezone.now()
    claim: dict[str, Any] = {"pk": document.pk, "status": transition.source}
    changes: dict[str, Any] = {"status": target}
    if transition.source != target:
        changes["status_at"] = now
    if transition.marks:
        claim[f"{transition.marks}__isnull"] = True
        changes[transition.marks] = now
    with transaction.atomic():
        if not type(document).objects.filter(**claim).update(**changes):
            raise TransitionRefused(
                "concurrent",
                _("Ce document vient d'être traité par quelqu'un d'autre : rechargez-le."),
            )
        if workflow.on_move is not None:
            workflow.on_move(document, transition.source, target)
        role = next(iter(sorted(transition.roles & roles)))
        change = workflow.history.objects.create(
            **{workflow.document_field: document},
            at=now,
            source=transition.source,
            target=target,
            action=transition.action,
            actor=actor.user,
            actor_label=actor.label[:250],
            actor_role=role,
            structure=actor.structure,
            technical_account=actor.technical_account,
            channel=actor.channel,
            motive=motive[:60],
            comment=comment,
            lifecycle_code=workflow.lifecycle_codes.get(target, ""),
            **details,
        )
        for name, value in changes.items():
            setattr(document, name, value)
        for follow_up in workflow.follow_ups(target):
            transaction.on_commit(lambda follow_up=follow_up: follow_up(change))
    return change


def history_start(*, document: models.Model, actor: Actor, **fields: Any) -> models.Model:
    """The first history row of a new document (no source status), in the caller's
    transaction, with the follow-ups of its first status."""
    workflow = workflow_of(document)
    roles = sorted(_roles(workflow, actor, document))
    if workflow.on_move is not None:
        workflow.on_move(document, "", document.status)
    change = workflow.history.objects.create(
        **{workflow.document_field: document},
        at=document.status_at,
        source="",
        target=document.status,
        action="create",
        actor=actor.user,
        actor_label=actor.label[:250],
        actor_role=roles[0] if roles else "",
        structure=actor.structure,
        technical_account=actor.technical_account,
        channel=actor.channel,
        lifecycle_code=workflow.lifecycle_codes.get(document.status, ""),
        **fields,
    )
    for follow_up in workflow.follow_ups(document.status):
        transaction.on_commit(lambda follow_up=follow_up: follow_up(change))
    return change
