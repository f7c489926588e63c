"""The invoice's and the flow's workflows, declared on the core (chorus.workflow).

Invoice roles are relative to the document: the supplier's members and technical accounts
hold FOURNISSEUR; the recipient's hold DESTINATAIRE when they act for the invoice's service
(managers and technical accounts act for the whole structure). A public structure invoicing
another holds FOURNISSEUR on that invoice like any supplier.
"""

from chorus.workflow import SYSTEM, Actor, Transition, Workflow, register
from chorus.workflow.core import COMMENT, MANDATE_NUMBER, MOTIVE
from invoices.counts import invoice_counts_on_move
from invoices.enums import INVOICE_LIFECYCLE_CODES, FlowStatus, InvoiceRole, InvoiceStatus
from invoices.models import Flow, FlowStatusChange, Invoice, InvoiceStatusChange
from rejections import catalogue

S = InvoiceStatus
SUPPLIER = frozenset({InvoiceRole.FOURNISSEUR})
RECIPIENT = frozenset({InvoiceRole.DESTINATAIRE})
PLATFORM = frozenset({SYSTEM})

# Where a recipient processes an invoice: just made available, or completed by the supplier.
_TO_PROCESS = (S.MISE_A_DISPOSITION, S.COMPLETEE)
# The accounting steps after the mandate are optional, in this order, never backwards.
_ACCOUNTING = (S.MANDATEE, S.MISE_A_DISPOSITION_COMPTABLE, S.COMPTABILISEE, S.MISE_EN_PAIEMENT)
_ACCOUNTING_ACTIONS = {
    S.MISE_A_DISPOSITION_COMPTABLE: "hand_to_accountant",
    S.COMPTABILISEE: "record",
    S.MISE_EN_PAIEMENT: "pay",
}

INVOICE_TRANSITIONS = (
    Transition(S.DEPOSEE, S.EN_COURS_ACHEMINEMENT, "route", PLATFORM),
    Transition(S.DEPOSEE, S.MISE_A_DISPOSITION, "make_available", PLATFORM),
    Transition(S.EN_COURS_ACHEMINEMENT, S.MISE_A_DISPOSITION, "deliver", PLATFORM),
    *(
        transition
        for source in _TO_PROCESS
        for transition in (
            Transition(source, S.SUSPENDUE, "suspend", RECIPIENT, frozenset({MOTIVE})),
            Transition(source, S.A_RECYCLER, "send_back", RECIPIENT, frozenset({MOTIVE})),
            Transition(source, S.REJETEE, "reject", RECIPIENT, frozenset({MOTIVE})),
            Transition(source, S.SERVICE_FAIT, "certify", RECIPIENT),
            Transition(source, S.MANDATEE, "mandate", RECIPIENT, frozenset({MANDATE_NUMBER})),
        )
    ),
    Transition(S.SERVICE_FAIT, S.MANDATEE, "mandate", RECIPIENT, frozenset({MANDATE_NUMBER})),
    *(
        Transition(source, target, _ACCOUNTING_ACTIONS[target], RECIPIENT)
        for index, source in enumerate(_ACCOUNTING)
        for target in _ACCOUNTING[index + 1 :]
    ),
    Transition(S.SUSPENDUE, S.COMPLETEE, "complete", SUPPLIER, frozenset({COMMENT})),
    Transition(S.A_RECYCLER, S.DEPOSEE, "recycle", SUPPLIER),
    Transition(S.REJETEE, S.REJETEE, "acknowledge", SUPPLIER, marks="rejection_acknowledged_at"),
)


def acts_for_invoice(actor: Actor, invoice: Invoice) -> bool:
    """Whether a recipient-side actor acts for this invoice's service (see the module doc)."""
    if actor.technical_account is not None or actor.membership.is_manager:
        return True
    if invoice.service_id is None:
        return True
    return actor.membership.services.filter(pk=invoice.service_id).exists()


def invoice_roles(actor: Actor, invoice: Invoice) -> set[str]:
    structure = actor.structure
    roles = set()
    if structure is None:
        return roles
    if structure.pk == invoice.supplier_id:
        roles.add(InvoiceRole.FOURNISSEUR)
    if structure.pk == invoice.recipient_id and acts_for_invoice(actor, invoice):
        roles.add(InvoiceRole.DESTINATAIRE)
    return roles


def _invoice_motive_check(transition: Transition, code: str, comment: str) -> str | None:
    return catalogue.motive_check(transition.action, code, comment)


INVOICE_WORKFLOW = register(
    Workflow(
        model=Invoice,
        statuses=InvoiceStatus,
        transitions=INVOICE_TRANSITIONS,
        history=InvoiceStatusChange,
        document_field="invoice",
        roles_of=invoice_roles,
        motive_check=_invoice_motive_check,
        lifecycle_codes=INVOICE_LIFECYCLE_CODES,
        on_move=invoice_counts_on_move,
    )
)

F = FlowStatus
_FLOW_ENDS = (F.INTEGRE, F.INTEGRE_PARTIEL, F.REJETE, F.INCIDENTE)

# Flows move by the platform alone: received, queued, processed, and an end. A flow can be
# refused (REJETE, INCIDENTE) at any step before its end.
FLOW_TRANSITIONS = (
    Transition(F.RECU, F.EN_ATTENTE, "queue", PLATFORM),
    Transition(F.EN_ATTENTE, F.EN_COURS, "process", PLATFORM),
    *(Transition(F.EN_COURS, end, "finish", PLATFORM) for end in _FLOW_ENDS),
    *(
        Transition(source, end, "refuse", PLATFORM)
        for source in (F.RECU, F.EN_ATTENTE)
        for end in (F.REJETE, F.INCIDENTE)
    ),
)

FLOW_WORKFLOW = register(
    Workflow(
        model=Flow,
        statuses=FlowStatus,
        transitions=FLOW_TRANSITIONS,
        history=FlowStatusChange,
        document_field="flow",
        roles_of=lambda actor, flow: set(),
    )
)
