"""The mémoire's workflow, declared on the core (chorus.workflow).

Roles are relative to the mémoire:
- PRESTATAIRE: the members and technical accounts of the provider's structure;
- AGENT: at the mémoire's juridiction, the members given the agent role (justice_fees.CourtRole),
  the managers, the members acting for the mémoire's service, and technical accounts;
- MAGISTRAT: at the mémoire's juridiction, the members given the magistrate role. Certifying
  (taxation) is a magistrate's personal act: no technical account holds it.
"""

from chorus.workflow import SYSTEM, Actor, Transition, Workflow, register
from chorus.workflow.core import ATTACHMENT, MOTIVE
from justice_fees.enums import CourtRoleKind, MemoireRole, MemoireStatus
from justice_fees.models import CourtRole, Memoire, MemoireStatusChange
from rejections import catalogue

S = MemoireStatus
PROVIDER = frozenset({MemoireRole.PRESTATAIRE})
AGENT = frozenset({MemoireRole.AGENT})
MAGISTRATE = frozenset({MemoireRole.MAGISTRAT})
AGENT_OR_PLATFORM = frozenset({MemoireRole.AGENT, SYSTEM})

# The motive catalogue's outcomes for mémoires (rejections.enums.Outcome), by action.
MOTIVE_OUTCOMES = {"suspend": "memoire_suspend", "reject": "memoire_reject"}

MEMOIRE_TRANSITIONS = (
    Transition(S.BROUILLON, S.DEPOSE, "deposit", PROVIDER),
    Transition(S.DEPOSE, S.EN_COURS_DE_TRAITEMENT, "take", AGENT),
    Transition(S.DEPOSE, S.REJETE, "reject", AGENT, frozenset({MOTIVE})),
    Transition(S.EN_COURS_DE_TRAITEMENT, S.A_CERTIFIER, "submit", AGENT),
    Transition(S.EN_COURS_DE_TRAITEMENT, S.SUSPENDU, "suspend", AGENT, frozenset({MOTIVE})),
    Transition(S.EN_COURS_DE_TRAITEMENT, S.REJETE, "reject", AGENT, frozenset({MOTIVE})),
    Transition(S.SUSPENDU, S.COMPLETE, "complete", PROVIDER, frozenset({ATTACHMENT})),
    Transition(S.COMPLETE, S.EN_COURS_DE_TRAITEMENT, "resume", AGENT),
    Transition(S.A_CERTIFIER, S.CERTIFIE, "certify", MAGISTRATE),
    Transition(S.A_CERTIFIER, S.SUSPENDU, "suspend", MAGISTRATE, frozenset({MOTIVE})),
    Transition(S.A_CERTIFIER, S.REJETE, "reject", MAGISTRATE, frozenset({MOTIVE})),
    Transition(S.CERTIFIE, S.MIS_EN_PAIEMENT, "pay", AGENT_OR_PLATFORM),
    Transition(S.MIS_EN_PAIEMENT, S.PAYE, "paid", AGENT_OR_PLATFORM),
)


def court_role_of(membership) -> str:
    role = CourtRole.objects.filter(membership=membership).values_list("role", flat=True).first()
    return role or ""


def acts_for_memoire(actor: Actor, memoire: Memoire) -> bool:
    """Whether a court-side actor acts as agent on this mémoire (see the module doc)."""
    if actor.technical_account is not None:
        return True
    membership = actor.membership
    if membership.is_manager or court_role_of(membership) == CourtRoleKind.AGENT:
        return True
    return (
        memoire.service_id is not None
        and membership.services.filter(pk=memoire.service_id).exists()
    )


def memoire_roles(actor: Actor, memoire: Memoire) -> set[str]:
    structure = actor.structure
    roles: set[str] = set()
    if structure is None:
        return roles
    if structure.pk == memoire.provider_id:
        roles.add(MemoireRole.PRESTATAIRE)
    if structure.pk == memoire.juridiction_id:
        if acts_for_memoire(actor, memoire):
            roles.add(MemoireRole.AGENT)
        if (
            actor.membership is not None
            and court_role_of(actor.membership) == CourtRoleKind.MAGISTRAT
        ):
            roles.add(MemoireRole.MAGISTRAT)
    return roles


def _motive_check(transition: Transition, code: str, comment: str) -> str | None:
    return catalogue.motive_check(MOTIVE_OUTCOMES[transition.action], code, comment)


MEMOIRE_WORKFLOW = register(
    Workflow(
        model=Memoire,
        statuses=MemoireStatus,
        transitions=MEMOIRE_TRANSITIONS,
        history=MemoireStatusChange,
        document_field="memoire",
        roles_of=memoire_roles,
        motive_check=_motive_check,
    )
)
