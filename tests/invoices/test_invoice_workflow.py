"""The invoice and flow tables, tested move by move: every allowed move, and every move the
table, the role, the requirements or another structure refuse (generated from the tables)."""

import pytest

from chorus.enums import Channel, Role
from chorus.workflow import Actor, TransitionRefused, available_transitions, status_transition
from chorus.workflow.core import MANDATE_NUMBER, MOTIVE
from invoices.enums import FlowStatus, InvoiceRole, InvoiceStatus
from invoices.models import Flow, Invoice
from invoices.workflow import FLOW_TRANSITIONS, INVOICE_TRANSITIONS, INVOICE_WORKFLOW
from tests.chorus.factories import (
    MembershipFactory,
    ServiceFactory,
    StructureFactory,
    TechnicalAccountFactory,
)
from tests.invoices.factories import stored_invoice

pytestmark = pytest.mark.django_db

# What each action needs to succeed, when its transition requires it.
MOTIVE_OF = {"suspend": "JUSTIF_ABS", "send_back": "CODE_ROUTAGE_ERR", "reject": "DOUBLON"}


@pytest.fixture
def parties():
    """A supplier, and a recipient with two services; an agent acts for the first one."""
    supplier = StructureFactory()
    service = ServiceFactory()
    other_service = ServiceFactory(structure=service.structure)
    agent = MembershipFactory(structure=service.structure, role=Role.UTILISATEUR)
    agent.services.add(service)
    return {
        "invoice": stored_invoice(supplier=supplier, service=service),
        "supplier": Actor.member(MembershipFactory(structure=supplier)),
        "recipient": Actor.member(agent),
        "other_agent": Actor.member(_agent_of(other_service)),
        "stranger": Actor.member(MembershipFactory(structure=StructureFactory())),
    }


def _agent_of(service):
    membership = MembershipFactory(structure=service.structure, role=Role.UTILISATEUR)
    membership.services.add(service)
    return membership


def _actor_for(transition, parties):
    if InvoiceRole.FOURNISSEUR in transition.roles:
        return parties["supplier"]
    if InvoiceRole.DESTINATAIRE in transition.roles:
        return parties["recipient"]
    return Actor.platform()


def _at(invoice, status):
    Invoice.objects.filter(pk=invoice.pk).update(status=status)
    invoice.refresh_from_db()
    return invoice


def _requirements(transition):
    needs = {}
    if MOTIVE in transition.requires:
        needs["motive"] = MOTIVE_OF[transition.action]
    if MANDATE_NUMBER in transition.requires:
        needs["mandate_number"] = "MDT-2026-0042"
    if "comment" in transition.requires:
        needs["comment"] = "Le bon de livraison signé est joint."
    return needs


def _name(transition):
    return f"{transition.source}-{transition.action}-{transition.target}"


@pytest.mark.parametrize("transition", INVOICE_TRANSITIONS, ids=_name)
def test_each_allowed_move(transition, parties):
    invoice = _at(parties["invoice"], transition.source)
    actor = _actor_for(transition, parties)
    assert transition in available_transitions(document=invoice, actor=actor)

    change = status_transition(
        document=invoice, target=transition.target, actor=actor, **_requirements(transition)
    )

    invoice.refresh_from_db()
    assert invoice.status == transition.target
    assert (change.source, change.target, change.action) == (
        transition.source,
        transition.target,
        transition.action,
    )
    assert change.actor == actor.user
    assert change.actor_role == next(iter(transition.roles))
    assert change.lifecycle_code == INVOICE_WORKFLOW.lifecycle_codes[transition.target]
    assert invoice.history.last() == change
    if transition.marks:
        assert getattr(invoice, transition.marks) is not None


@pytest.mark.parametrize(
    "transition", [t for t in INVOICE_TRANSITIONS if t.roles - {"SYSTEME"}], ids=_name
)
def test_each_move_is_refused_to_the_other_party(transition, parties):
    invoice = _at(parties["invoice"], transition.source)
    wrong = (
        parties["recipient"] if InvoiceRole.FOURNISSEUR in transition.roles else parties["supplier"]
    )
    with pytest.raises(TransitionRefused) as refused:
        status_transition(
            document=invoice, target=transition.target, actor=wrong, **_requirements(transition)
        )
    assert refused.value.code == "wrong_role"
    assert transition not in available_transitions(document=invoice, actor=wrong)
    invoice.refresh_from_db()
    assert invoice.status == transition.source


@pytest.mark.parametrize("transition", INVOICE_TRANSITIONS, ids=_name)
def test_each_move_is_refused_to_another_structure(transition, parties):
    invoice = _at(parties["invoice"], transition.source)
    with pytest.raises(TransitionRefused) as refused:
        status_transition(
            document=invoice,
            target=transition.target,
            actor=parties["stranger"],
            **_requirements(transition),
        )
    assert refused.value.code == "not_party"


@pytest.mark.parametrize(
    "transition", [t for t in INVOICE_TRANSITIONS if t.roles == {"SYSTEME"}], ids=_name
)
def test_platform_moves_are_refused_to_people(transition, parties):
    invoice = _at(parties["invoice"], transition.source)
    for who in ("supplier", "recipient"):
        with pytest.raises(TransitionRefused) as refused:
            status_transition(document=invoice, target=transition.target, actor=parties[who])
        assert refused.value.code == "wrong_role"


_ALLOWED = {(t.source, t.target) for t in INVOICE_TRANSITIONS}
_NOT_IN_TABLE = [
    (source, target)
    for source in InvoiceStatus.values
    for target in InvoiceStatus.values
    if (source, target) not in _ALLOWED
]


@pytest.mark.parametrize(("source", "target"), _NOT_IN_TABLE, ids=lambda s: s)
def test_every_move_outside_the_table_is_refused(source, target, parties):
    invoice = _at(parties["invoice"], source)
    for actor in (parties["supplier"], parties["recipient"], Actor.platform()):
        with pytest.raises(TransitionRefused) as refused:
            status_transition(
                document=invoice,
                target=target,
                actor=actor,
                motive="AUTRE",
                comment="Essai",
                mandate_number="M1",
            )
        assert refused.value.code == "wrong_status"
    invoice.refresh_from_db()
    assert invoice.status == source
    assert invoice.history.count() == 1


@pytest.mark.parametrize("transition", [t for t in INVOICE_TRANSITIONS if t.requires], ids=_name)
def test_each_requirement_is_enforced(transition, parties):
    invoice = _at(parties["invoice"], transition.source)
    actor = _actor_for(transition, parties)
    needs = _requirements(transition)
    for missing in needs:
        partial = {key: value for key, value in needs.items() if key != missing}
        with pytest.raises(TransitionRefused) as refused:
            status_transition(document=invoice, target=transition.target, actor=actor, **partial)
        assert refused.value.code == f"missing_{missing}"
    invoice.refresh_from_db()
    assert invoice.status == transition.source


def test_a_motive_must_fit_the_action(parties):
    invoice = _at(parties["invoice"], InvoiceStatus.MISE_A_DISPOSITION)
    with pytest.raises(TransitionRefused) as refused:
        # A duplicate cannot be fixed by completing the invoice: no suspension for DOUBLON.
        status_transition(
            document=invoice,
            target=InvoiceStatus.SUSPENDUE,
            actor=parties["recipient"],
            motive="DOUBLON",
        )
    assert refused.value.code == "bad_motive"
    assert "ne permet pas cette action" in refused.value.message

    with pytest.raises(TransitionRefused) as refused:
        status_transition(
            document=invoice, target=InvoiceStatus.REJETEE, actor=parties["recipient"], motive="XYZ"
        )
    assert "n'existe pas" in refused.value.message


def test_a_motive_that_asks_for_a_comment_gets_one(parties):
    invoice = _at(parties["invoice"], InvoiceStatus.MISE_A_DISPOSITION)
    with pytest.raises(TransitionRefused) as refused:
        status_transition(
            document=invoice,
            target=InvoiceStatus.SUSPENDUE,
            actor=parties["recipient"],
            motive="AUTRE",
        )
    assert refused.value.code == "bad_motive"
    change = status_transition(
        document=invoice,
        target=InvoiceStatus.SUSPENDUE,
        actor=parties["recipient"],
        motive="AUTRE",
        comment="Le relevé d'heures de mars manque.",
    )
    assert (change.motive, change.comment) == ("AUTRE", "Le relevé d'heures de mars manque.")


def test_an_agent_of_another_service_cannot_act(parties):
    invoice = _at(parties["invoice"], InvoiceStatus.MISE_A_DISPOSITION)
    with pytest.raises(TransitionRefused) as refused:
        status_transition(
            document=invoice, target=InvoiceStatus.SERVICE_FAIT, actor=parties["other_agent"]
        )
    assert refused.value.code == "not_party"
    assert available_transitions(document=invoice, actor=parties["other_agent"]) == []


def test_a_manager_and_a_technical_account_act_for_the_whole_structure(parties):
    invoice = _at(parties["invoice"], InvoiceStatus.MISE_A_DISPOSITION)
    manager = Actor.member(MembershipFactory(structure=invoice.recipient))
    account = Actor.account(TechnicalAccountFactory(structure=invoice.recipient))
    status_transition(document=invoice, target=InvoiceStatus.SERVICE_FAIT, actor=manager)
    change = status_transition(
        document=invoice,
        target=InvoiceStatus.MANDATEE,
        actor=account,
        mandate_number="MDT-7",
    )
    assert (change.technical_account, change.channel, change.mandate_number) == (
        account.technical_account,
        Channel.API,
        "MDT-7",
    )


def test_a_stale_copy_loses_to_the_move_made_first(parties):
    invoice = _at(parties["invoice"], InvoiceStatus.MISE_A_DISPOSITION)
    stale = Invoice.objects.get(pk=invoice.pk)
    status_transition(
        document=invoice, target=InvoiceStatus.SERVICE_FAIT, actor=parties["recipient"]
    )
    with pytest.raises(TransitionRefused) as refused:
        status_transition(
            document=stale,
            target=InvoiceStatus.SUSPENDUE,
            actor=parties["recipient"],
            motive="JUSTIF_ABS",
        )
    assert refused.value.code == "concurrent"
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.SERVICE_FAIT


def test_a_rejection_is_acknowledged_once(parties):
    invoice = _at(parties["invoice"], InvoiceStatus.REJETEE)
    status_transition(document=invoice, target=InvoiceStatus.REJETEE, actor=parties["supplier"])
    assert available_transitions(document=invoice, actor=parties["supplier"]) == []
    with pytest.raises(TransitionRefused) as refused:
        status_transition(document=invoice, target=InvoiceStatus.REJETEE, actor=parties["supplier"])
    assert refused.value.code == "wrong_status"


def test_the_recipient_is_offered_every_processing_action(parties):
    invoice = _at(parties["invoice"], InvoiceStatus.MISE_A_DISPOSITION)
    actions = [
        t.action for t in available_transitions(document=invoice, actor=parties["recipient"])
    ]
    assert actions == ["suspend", "send_back", "reject", "certify", "mandate"]
    assert available_transitions(document=invoice, actor=parties["supplier"]) == []


def test_accounting_steps_are_optional_and_never_go_back(parties):
    invoice = _at(parties["invoice"], InvoiceStatus.COMPTABILISEE)
    targets = [
        t.target for t in available_transitions(document=invoice, actor=parties["recipient"])
    ]
    assert targets == [InvoiceStatus.MISE_EN_PAIEMENT]


# Flows move by the platform alone.
@pytest.mark.parametrize("transition", FLOW_TRANSITIONS, ids=_name)
def test_each_flow_move(transition, parties):
    flow = _a_flow(parties["invoice"])
    Flow.objects.filter(pk=flow.pk).update(status=transition.source)
    flow.refresh_from_db()
    with pytest.raises(TransitionRefused):
        status_transition(document=flow, target=transition.target, actor=parties["supplier"])
    status_transition(document=flow, target=transition.target, actor=Actor.platform())
    flow.refresh_from_db()
    assert flow.status == transition.target
    assert flow.history.last().action == transition.action


def test_a_final_flow_never_moves_again(parties):
    flow = _a_flow(parties["invoice"])
    for end in FlowStatus.final():
        Flow.objects.filter(pk=flow.pk).update(status=end)
        flow.refresh_from_db()
        for target in FlowStatus.values:
            with pytest.raises(TransitionRefused):
                status_transition(document=flow, target=target, actor=Actor.platform())


def _a_flow(invoice):
    from invoices.ingestion.receive import flow_create

    return flow_create(
        received=invoice.received_file,
        channel="PORTAIL",
        structure=invoice.supplier,
        depositor_key=f"test:{invoice.pk}",
    )
