"""The mémoire's services: totals, deposit, certification with reductions, completion,
history and the provider's notifications."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from chorus.workflow import Actor
from justice_fees import services
from justice_fees.enums import AttachmentKind, LineKind, MemoireStatus, VatRegime
from justice_fees.models import MemoireAttachment
from tests.justice_fees.factories import PDF, agent_of, court, draft, interpreter, magistrate_of

pytestmark = pytest.mark.django_db
S = MemoireStatus


@pytest.fixture
def world():
    juridiction, service = court()
    provider, member = interpreter()
    return {
        "memoire": draft(provider=provider, juridiction=juridiction, service=service),
        "provider": Actor.member(member),
        "agent": Actor.member(agent_of(juridiction)),
        "magistrate": Actor.member(magistrate_of(juridiction)),
    }


def test_totals_are_computed_by_the_platform(world):
    memoire = world["memoire"]
    # 3 h × 42.00 + 48 km × 0.40 at 20 %, and 4.35 of postage exempt of VAT.
    assert [line.claimed_net for line in memoire.lines.all()] == [
        Decimal("126.00"),
        Decimal("19.20"),
        Decimal("4.35"),
    ]
    assert [line.vat_rate for line in memoire.lines.all()] == [Decimal("20"), Decimal("20"), 0]
    assert memoire.claimed_net == Decimal("149.55")
    assert memoire.claimed_vat == Decimal("29.04")
    assert memoire.claimed_total == Decimal("178.59")


def test_a_tariff_price_wins_over_a_typed_one(world):
    memoire = world["memoire"]
    services.memoire_lines_set(
        memoire=memoire,
        kinds=(LineKind.PRESTATION,),
        lines=[
            services.LineInput(
                kind=LineKind.PRESTATION,
                label="",
                quantity=Decimal("1.5"),
                unit_price=Decimal("999"),
                vat_rate=Decimal("20"),
                tariff=services.Tariff.objects.get(code="INT-ORAL-H"),
            )
        ],
        step=2,
    )
    line = memoire.lines.get(kind=LineKind.PRESTATION)
    assert (line.unit_price, line.claimed_net) == (Decimal("42.00"), Decimal("63.00"))


def test_franchise_zeroes_every_rate(world):
    memoire = services.memoire_vat_regime_set(
        memoire=world["memoire"], vat_regime=VatRegime.FRANCHISE
    )
    assert memoire.claimed_vat == 0
    assert memoire.claimed_total == memoire.claimed_net == Decimal("149.55")


def _to_certify(world):
    memoire = world["memoire"]
    services.memoire_deposit(memoire=memoire, actor=world["provider"])
    services.memoire_take(memoire=memoire, actor=world["agent"])
    services.memoire_submit_for_certification(memoire=memoire, actor=world["agent"])
    return memoire


def test_certification_reduces_a_line_with_its_reason(world):
    memoire = _to_certify(world)
    travel = memoire.lines.get(kind=LineKind.FRAIS)
    services.memoire_certify(
        memoire=memoire,
        actor=world["magistrate"],
        reductions={travel.pk: services.Reduction(Decimal("9.60"), "Trajet de 24 km, non 48.")},
    )
    memoire.refresh_from_db()
    travel.refresh_from_db()
    assert memoire.status == S.CERTIFIE
    assert (travel.certified_net, travel.reduction_reason) == (
        Decimal("9.60"),
        "Trajet de 24 km, non 48.",
    )
    # 126.00 + 9.60 at 20 % (VAT 27.12) + 4.35 exempt.
    assert (memoire.certified_net, memoire.certified_vat, memoire.certified_total) == (
        Decimal("139.95"),
        Decimal("27.12"),
        Decimal("167.07"),
    )
    assert memoire.claimed_total == Decimal("178.59")
    assert memoire.history.last().certified_total == Decimal("167.07")
    assert all(
        line.certified_net == line.claimed_net for line in memoire.lines.exclude(pk=travel.pk)
    )


def test_a_reduction_needs_a_reason_and_stays_within_the_claim(world):
    memoire = _to_certify(world)
    travel = memoire.lines.get(kind=LineKind.FRAIS)
    for reduction in (
        services.Reduction(Decimal("9.60"), "  "),
        services.Reduction(Decimal("25.00"), "Plus"),
        services.Reduction(Decimal("-1"), "Négatif"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.memoire_certify(
                memoire=memoire, actor=world["magistrate"], reductions={travel.pk: reduction}
            )
        assert f"line_{travel.pk}" in refused.value.message_dict
    memoire.refresh_from_db()
    assert memoire.status == S.A_CERTIFIER


def test_suspension_answered_by_the_missing_document(world):
    memoire = world["memoire"]
    services.memoire_deposit(memoire=memoire, actor=world["provider"])
    services.memoire_take(memoire=memoire, actor=world["agent"])
    services.memoire_suspend(
        memoire=memoire,
        actor=world["agent"],
        motive="FJ_PIECE_ABS",
        comment="Attestation de mission ?",
    )
    change = services.memoire_complete(
        memoire=memoire,
        actor=world["provider"],
        uploads=[
            services.Upload(AttachmentKind.ATTESTATION, "attestation.pdf", PDF, "application/pdf")
        ],
        comment="Jointe.",
    )
    attachment = MemoireAttachment.objects.get(change=change)
    assert attachment.upload.received_file.read_bytes() == PDF
    services.memoire_resume(memoire=memoire, actor=world["agent"])
    memoire.refresh_from_db()
    assert memoire.status == S.EN_COURS_DE_TRAITEMENT
    assert [c.target for c in memoire.history.all()] == [
        S.BROUILLON,
        S.DEPOSE,
        S.EN_COURS_DE_TRAITEMENT,
        S.SUSPENDU,
        S.COMPLETE,
        S.EN_COURS_DE_TRAITEMENT,
    ]


def test_a_deposited_memoire_can_no_longer_be_modified(world):
    memoire = world["memoire"]
    services.memoire_deposit(memoire=memoire, actor=world["provider"])
    with pytest.raises(ValidationError):
        services.memoire_vat_regime_set(memoire=memoire, vat_regime=VatRegime.FRANCHISE)
    with pytest.raises(ValidationError):
        services.memoire_draft_delete(memoire=memoire)


def test_the_provider_is_told_of_every_change_but_not_of_its_own(
    world, django_capture_on_commit_callbacks
):
    memoire = world["memoire"]
    provider_email = world["provider"].user.email
    with django_capture_on_commit_callbacks(execute=True):
        services.memoire_deposit(memoire=memoire, actor=world["provider"])
    assert provider_email not in {address for m in mail.outbox for address in m.to}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.memoire_take(memoire=memoire, actor=world["agent"])
        services.memoire_suspend(memoire=memoire, actor=world["agent"], motive="FJ_PIECE_ABS")
    assert [m.to for m in mail.outbox] == [[provider_email], [provider_email]]
    assert "En cours de traitement" in mail.outbox[0].subject
    assert "Suspendu" in mail.outbox[1].subject
    assert "Pièce justificative manquante" in mail.outbox[1].body
    assert f"/frais-de-justice/memoires/{memoire.pk}/" in mail.outbox[1].body


def test_the_court_is_told_when_it_has_to_act(world, django_capture_on_commit_callbacks):
    memoire = world["memoire"]
    agent, magistrate = world["agent"].user.email, world["magistrate"].user.email
    with django_capture_on_commit_callbacks(execute=True):
        services.memoire_deposit(memoire=memoire, actor=world["provider"])
    # The agent of the service is told of the arrival; the magistrate is not.
    assert [m.to for m in mail.outbox] == [[agent]]
    assert "a déposé le mémoire" in mail.outbox[0].body
    assert f"/frais-de-justice/juridiction/{memoire.pk}/" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.memoire_take(memoire=memoire, actor=world["agent"])
        services.memoire_submit_for_certification(memoire=memoire, actor=world["agent"])
    court_mail = [m for m in mail.outbox if m.to != [world["provider"].user.email]]
    assert [m.to for m in court_mail] == [[magistrate]]
    assert "attend votre certification" in court_mail[0].body


def test_full_path_to_payment(world, django_capture_on_commit_callbacks):
    memoire = _to_certify(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.memoire_certify(memoire=memoire, actor=world["magistrate"])
        services.memoire_pay(memoire=memoire, actor=world["agent"])
        services.memoire_paid(memoire=memoire, actor=Actor.platform())
    memoire.refresh_from_db()
    assert memoire.status == S.PAYE
    assert memoire.certified_total == memoire.claimed_total
    assert [m.subject.split(" : ")[-1] for m in mail.outbox] == [
        "Certifié",
        "Mis en paiement",
        "Payé",
    ]
