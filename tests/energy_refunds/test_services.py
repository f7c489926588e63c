"""The request from draft to payment through the services, with its amounts and e-mails."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from chorus.workflow import TransitionRefused
from energy_refunds import services
from energy_refunds.enums import RefundStatus
from energy_refunds.models import RefundRequest
from energy_refunds.selectors import departement_of, instructor_for, request_amounts
from tests.energy_refunds.conftest import draft, line

pytestmark = pytest.mark.django_db
D = Decimal


def _to_instruction(world, request):
    services.refund_request_deposit(request=request, actor=world.farm_actor)
    services.refund_request_take(request=request, actor=world.instructor_actor)


@pytest.mark.parametrize(
    "postcode, departement",
    [("37460", "37"), ("01000", "01"), ("20000", "2A"), ("20167", "2A"), ("20200", "2B"),
     ("20600", "2B"), ("97100", "971"), ("97600", "976"), ("", ""), ("ABCDE", "")],
)  # fmt: skip
def test_departement_of_a_postcode(postcode, departement):
    assert departement_of(postcode) == departement


def test_routing_follows_the_head_office_unless_overridden(world):
    assert instructor_for(world.beneficiary) == world.ddfip
    assert instructor_for(world.other_beneficiary) == world.other_ddfip
    world.beneficiary.instructor_override = world.other_ddfip
    assert instructor_for(world.beneficiary) == world.other_ddfip


def test_one_request_per_year_the_second_points_at_the_first(world):
    first = draft(world)
    with pytest.raises(services.RequestExists) as refused:
        draft(world)
    assert refused.value.existing == first
    assert first.reference in refused.value.message_dict["year"][0]
    assert first.reference == f"TIC-2023-{first.pk:06d}"
    assert first.instructor == world.ddfip


def test_a_request_for_a_campaign_not_open_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        draft(world, year=2031)
    assert "pas encore ouverte" in refused.value.message_dict["year"][0]


def test_changes_are_possible_until_instruction_starts(world):
    request = draft(world, lines=[line("A")])
    services.refund_request_deposit(request=request, actor=world.farm_actor)
    services.fuel_invoice_add(request=request, actor=world.farm_actor, **line("B"))  # still DEPOSEE
    services.refund_request_take(request=request, actor=world.instructor_actor)

    with pytest.raises(ValidationError) as refused:
        services.fuel_invoice_add(request=request, actor=world.farm_actor, **line("C"))
    assert "ne peut plus être modifiée" in refused.value.messages[0]
    assert request.invoices.count() == 2


def test_another_farm_cannot_touch_the_request(world):
    request = draft(world)
    from chorus.workflow import Actor

    with pytest.raises(PermissionDenied):
        services.fuel_invoice_add(request=request, actor=Actor.member(world.other_farmer), **line())


def test_lifecycle_with_adjustment_advance_and_payment(world):
    request = draft(
        world,
        lines=[line("G1", quantity="60"), line("G2", quantity="40.5"),
               line("N1", product="GN_COMBUSTIBLE", quantity="12.345")],
        advance_requested=True,
        advance_commitment=True,
        de_minimis_declared=True,
    )  # fmt: skip
    _to_instruction(world, request)
    assert request_amounts(request).gross == D("1600.14")  # 1503.48 + 96.66

    with pytest.raises(ValidationError) as refused:
        services.refund_request_validate(
            request=request, actor=world.instructor_actor, adjusted_amount=D("1500.00")
        )
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.refund_request_validate(
            request=request,
            actor=world.instructor_actor,
            adjusted_amount=D("1600.15"),
            reason="Plus que demandé.",
        )
    assert "1600,14 €" in refused.value.message_dict["adjusted_amount"][0]

    services.refund_request_validate(
        request=request,
        actor=world.instructor_actor,
        adjusted_amount=D("1500.00"),
        reason="Une livraison de gaz concerne la maison d'habitation.",
    )
    request.refresh_from_db()
    assert (request.status, request.validated_amount, request.advance_amount) == (
        RefundStatus.VALIDEE,
        D("1500.00"),
        D("750.00"),
    )
    services.refund_request_pay(request=request, actor=world.instructor_actor)
    change = services.refund_request_record_payment(
        request=request, actor=world.instructor_actor, payment_reference="VIR-2026-0001"
    )
    request.refresh_from_db()
    assert request.status == RefundStatus.PAYEE
    assert change.amount == D("2250.00")  # the balance and next year's advance
    assert request.advance_paid_at is not None


def test_the_advance_paid_is_deducted_from_next_years_refund(world):
    from django.utils import timezone

    from tests.energy_refunds.factories import RefundRequestFactory

    RefundRequestFactory(
        beneficiary=world.beneficiary,
        year=2022,
        status=RefundStatus.PAYEE,
        advance_amount=D("600.00"),
        advance_paid_at=timezone.now(),
    )
    request = draft(world, lines=[line(quantity="100")])
    assert request_amounts(request).net == D("896.00")
    _to_instruction(world, request)
    services.refund_request_validate(request=request, actor=world.instructor_actor)

    request.refresh_from_db()
    assert (request.validated_amount, request.advance_deducted) == (D("1496.00"), D("600.00"))
    assert request_amounts(request).to_pay == D("896.00")


def test_suspension_answered_by_the_document_goes_back_to_the_instructor(world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = draft(world, lines=[line()])
    _to_instruction(world, request)
    services.refund_request_suspend(
        request=request,
        actor=world.instructor_actor,
        motive="TIC_PIECE_MANQUANTE",
        comment="Joignez le RIB.",
    )
    with pytest.raises(TransitionRefused):
        services.refund_request_complete(request=request, actor=world.farm_actor, files=[])
    services.refund_request_complete(
        request=request,
        actor=world.farm_actor,
        files=[SimpleUploadedFile("rib.pdf", b"%PDF-1.4 rib")],
    )
    request.refresh_from_db()
    assert request.status == RefundStatus.COMPLETEE
    assert request.attachments.get().change.target == RefundStatus.COMPLETEE
    services.refund_request_validate(request=request, actor=world.instructor_actor)


def test_the_beneficiary_is_told_of_each_change(world, django_capture_on_commit_callbacks):
    request = draft(world, lines=[line()])
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_request_deposit(request=request, actor=world.farm_actor)
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_request_take(request=request, actor=world.instructor_actor)
    with django_capture_on_commit_callbacks(execute=True):
        services.refund_request_reject(
            request=request, actor=world.instructor_actor, motive="TIC_HORS_DELAI"
        )

    to_farmer = [m for m in mail.outbox if m.to == [world.farmer.user.email]]
    assert [m.subject for m in to_farmer] == [
        f"Demande de remboursement {request.reference} : En cours d'instruction",
        f"Demande de remboursement {request.reference} : Rejetée",
    ]
    assert "Demande déposée après la date limite" in to_farmer[1].body
    to_instructor = [m for m in mail.outbox if m.to == [world.instructor.user.email]]
    assert [m.subject for m in to_instructor] == [
        f"Nouvelle demande de remboursement {request.reference} à instruire"
    ]
    assert RefundRequest.objects.get(pk=request.pk).changes.count() == 4


def test_choosing_another_ddfip_reroutes_the_requests_not_yet_instructed(world):
    waiting = draft(world)
    services.beneficiary_save(
        structure=world.beneficiary.structure,
        actor=world.farm_actor,
        kind=world.beneficiary.kind,
        iban=world.beneficiary.bank_account.iban,
        bic=world.beneficiary.bank_account.bic,
        instructor_override=world.other_ddfip,
    )
    waiting.refresh_from_db()
    assert waiting.instructor == world.other_ddfip


def test_a_farm_cannot_save_another_structures_profile(world):
    with pytest.raises(PermissionDenied):
        services.beneficiary_save(
            structure=world.other_beneficiary.structure,
            actor=world.farm_actor,
            kind="CUMA",
            iban="FR7630006000011234567890189",
            bic="AGRIFRPP",
        )
