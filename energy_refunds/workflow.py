"""The refund request's workflow, declared on the core (chorus.workflow).

The beneficiary's members and technical accounts hold BENEFICIAIRE on its requests; the
members and technical accounts of the DDFiP the request is routed to hold INSTRUCTEUR.
"""

from chorus.workflow import SYSTEM, Actor, Transition, Workflow, register
from chorus.workflow.core import ATTACHMENT, MOTIVE
from energy_refunds.enums import MOTIVE_OUTCOMES, RefundRole, RefundStatus
from energy_refunds.models import RefundRequest, RefundStatusChange
from rejections import catalogue

S = RefundStatus
BENEFICIARY = frozenset({RefundRole.BENEFICIAIRE})
INSTRUCTOR = frozenset({RefundRole.INSTRUCTEUR})
INSTRUCTOR_OR_PLATFORM = frozenset({RefundRole.INSTRUCTEUR, SYSTEM})

# Where an instructor decides: under instruction, or completed by the beneficiary.
_TO_DECIDE = (S.EN_COURS_INSTRUCTION, S.COMPLETEE)

REFUND_TRANSITIONS = (
    Transition(S.BROUILLON, S.DEPOSEE, "deposit", BENEFICIARY),
    Transition(S.DEPOSEE, S.EN_COURS_INSTRUCTION, "take", INSTRUCTOR),
    *(
        transition
        for source in _TO_DECIDE
        for transition in (
            Transition(source, S.VALIDEE, "validate", INSTRUCTOR),
            Transition(source, S.SUSPENDUE, "suspend", INSTRUCTOR, frozenset({MOTIVE})),
            Transition(source, S.REJETEE, "reject", INSTRUCTOR, frozenset({MOTIVE})),
        )
    ),
    Transition(S.SUSPENDUE, S.COMPLETEE, "complete", BENEFICIARY, frozenset({ATTACHMENT})),
    Transition(S.VALIDEE, S.MISE_EN_PAIEMENT, "pay", INSTRUCTOR),
    Transition(S.MISE_EN_PAIEMENT, S.PAYEE, "record_payment", INSTRUCTOR_OR_PLATFORM),
)


def refund_roles(actor: Actor, request: RefundRequest) -> set[str]:
    structure = actor.structure
    roles = set()
    if structure is None:
        return roles
    if structure.pk == request.beneficiary.structure_id:
        roles.add(RefundRole.BENEFICIAIRE)
    if request.instructor_id is not None and structure.pk == request.instructor_id:
        roles.add(RefundRole.INSTRUCTEUR)
    return roles


def _refund_motive_check(transition: Transition, code: str, comment: str) -> str | None:
    return catalogue.motive_check(MOTIVE_OUTCOMES[transition.action], code, comment)


REFUND_WORKFLOW = register(
    Workflow(
        model=RefundRequest,
        statuses=RefundStatus,
        transitions=REFUND_TRANSITIONS,
        history=RefundStatusChange,
        document_field="request",
        roles_of=refund_roles,
        motive_check=_refund_motive_check,
    )
)
