"""Each check of a request, and the field its message lands on."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from energy_refunds import checks, services
from energy_refunds.models import Campaign, ProductDeadline, Rate
from tests.energy_refunds.conftest import draft, line
from tests.energy_refunds.factories import FuelInvoiceFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_delivery_outside_the_year_is_refused_and_pointed_at_its_own_year():
    assert checks.delivery_date_check(D(2023, 12, 31), 2023) is None
    message = checks.delivery_date_check(D(2024, 1, 2), 2023)
    assert "2024" in message and "2023" in message


def test_the_campaign_must_exist_and_be_open():
    assert "pas encore ouverte" in checks.campaign_open_check(2031)
    assert "ouvre le" in checks.campaign_open_check(2023, today=D(2024, 1, 15))
    assert checks.campaign_open_check(2023, today=D(2024, 2, 1)) is None
    # 2022 deliveries: GNR until 31 Dec 2024, the other products until 31 Dec 2025.
    assert checks.campaign_open_check(2022, today=D(2025, 12, 31)) is None
    assert "close depuis le 31/12/2025" in checks.campaign_open_check(2022, today=D(2026, 1, 1))


def test_a_product_deadline_overrides_the_campaign_deadline():
    # 2022 deliveries: the campaign runs to 31 Dec 2025, GNR only to 31 Dec 2024.
    assert ProductDeadline.objects.filter(campaign__year=2022, product="GNR").exists()
    assert checks.product_deadline_check(2022, "GNR", today=D(2024, 12, 31)) is None
    assert "31/12/2024" in checks.product_deadline_check(2022, "GNR", today=D(2025, 1, 1))
    assert checks.product_deadline_check(2022, "GPL", today=D(2025, 1, 1)) is None
    assert checks.product_deadline_check(2022, "GPL", today=D(2026, 1, 1))


def test_a_rate_not_published_refuses_the_product_for_that_year():
    assert checks.rate_published_check(2023, "GN_CARBURANT") is None
    assert "pas encore publié" in checks.rate_published_check(2020, "GN_CARBURANT")
    assert "pas encore publié" in checks.rate_published_check(2019, "FIOUL_LOURD")


def test_the_seeded_rates_are_the_published_ones_with_their_source():
    rate = Rate.objects.get(year=2023, product="FIOUL_LOURD")
    assert rate.amount == Decimal("13.76")
    assert "P-TERRES-ARIEGE" in rate.source
    assert Rate.objects.get(year=2018, product="GN_COMBUSTIBLE").amount == Decimal("8.331")
    assert not Rate.objects.filter(year=2018, product="GN_CARBURANT").exists()
    assert Rate.objects.filter(year__in=range(2018, 2024)).count() == 21
    assert Campaign.objects.get(year=2023).opens_on == D(2024, 2, 1)


def test_the_supplier_siret_is_validated():
    assert checks.supplier_siret_check("73282932000074") is None
    assert "SIRET" in checks.supplier_siret_check("73282932000075")
    assert "14 chiffres" in checks.supplier_siret_check("1234")


def test_a_supplier_invoice_is_claimed_once_across_all_the_beneficiarys_requests(world):
    # A request of a past campaign (now closed), with the invoice F-7.
    first = FuelInvoiceFactory(
        request__beneficiary=world.beneficiary, request__year=2022, number="F-7"
    ).request
    message = checks.invoice_claimed_once_check(
        beneficiary_id=world.beneficiary.pk, supplier_siret="732 829 320 00074", number="f-7"
    )
    assert first.reference in message
    # Another farm may claim an invoice with the same number; another supplier's too.
    assert (
        checks.invoice_claimed_once_check(
            beneficiary_id=world.other_beneficiary.pk,
            supplier_siret="73282932000074",
            number="F-7",
        )
        is None
    )
    assert (
        checks.invoice_claimed_once_check(
            beneficiary_id=world.beneficiary.pk, supplier_siret="55210055400013", number="F-7"
        )
        is None
    )


def test_quantities_are_positive_and_an_implausible_one_is_only_warned():
    assert checks.quantity_check(Decimal("0")) == (
        "La quantité doit être supérieure à zéro : saisissez la quantité livrée inscrite sur "
        "la facture."
    )
    assert checks.quantity_check(Decimal("-3"))
    assert checks.quantity_check(Decimal("0.001")) is None
    assert checks.quantity_warning("GNR", Decimal("400")) is None
    assert "vérifiez l'unité" in checks.quantity_warning("GNR", Decimal("12000"))


def test_the_unit_must_be_the_products():
    assert checks.unit_check("GNR", "HL") is None
    assert checks.unit_check("GN_COMBUSTIBLE", "MWH") is None
    message = checks.unit_check("GPL", "HL")
    assert "100 kg" in message and "hectolitre" in message


def test_each_failure_lands_on_its_field(world):
    request = draft(world)
    errors = checks.fuel_invoice_errors(
        request=request,
        data={
            "supplier_siret": "73282932000075",
            "number": "X1",
            "invoice_date": D(2099, 1, 1),
            "delivery_date": D(2022, 12, 30),
            "product": "GPL",
            "quantity": Decimal("-1"),
            "unit": "HL",
        },
    )

    assert set(errors) == {"supplier_siret", "invoice_date", "delivery_date", "quantity", "unit"}


def test_the_service_refuses_a_line_with_the_errors_by_field(world):
    request = draft(world)
    with pytest.raises(ValidationError) as refused:
        services.fuel_invoice_add(
            request=request, actor=world.farm_actor, **line(delivery=D(2024, 1, 3))
        )
    assert set(refused.value.message_dict) == {"delivery_date"}
    services.fuel_invoice_add(request=request, actor=world.farm_actor, **line("A"))
    with pytest.raises(ValidationError) as refused:
        services.fuel_invoice_add(request=request, actor=world.farm_actor, **line("A"))
    assert request.reference in refused.value.message_dict["number"][0]


def test_deposit_needs_invoices_de_minimis_and_the_advance_commitment(world):
    request = draft(world, advance_requested=True)
    with pytest.raises(ValidationError) as refused:
        services.refund_request_deposit(request=request, actor=world.farm_actor)
    assert set(refused.value.message_dict) == {"invoices", "advance_commitment"}

    services.fuel_invoice_add(
        request=request, actor=world.farm_actor, **line(product="GN_COMBUSTIBLE", quantity="5")
    )
    with pytest.raises(ValidationError) as refused:
        services.refund_request_deposit(request=request, actor=world.farm_actor)
    assert set(refused.value.message_dict) == {"de_minimis_declared", "advance_commitment"}


def test_deposit_refuses_a_product_whose_deadline_passed_since_the_line_was_added(world):
    request = draft(world, lines=[line()])
    Campaign.objects.filter(year=2023).update(closes_on=D(2024, 6, 30))
    with pytest.raises(ValidationError) as refused:
        services.refund_request_deposit(request=request, actor=world.farm_actor)
    assert "30/06/2024" in refused.value.message_dict["invoices"][0]
