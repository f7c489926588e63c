from decimal import Decimal

from django.utils import timezone

from energy_refunds.enums import RefundStatus
from energy_refunds.models import RefundRequest
from energy_refunds.selectors import request_amounts, requests_amounts
from tests.energy_refunds.conftest import draft, line
from tests.energy_refunds.factories import FuelInvoiceFactory, RefundRequestFactory


def test_a_list_has_the_amounts_of_each_request_in_four_queries(world, django_assert_num_queries):
    RefundRequestFactory(
        beneficiary=world.beneficiary,
        year=2022,
        status=RefundStatus.PAYEE,
        advance_amount=Decimal("600.00"),
        advance_paid_at=timezone.now(),
    )
    with_advance = draft(world, lines=[line(quantity="100")])
    FuelInvoiceFactory(request=RefundRequestFactory(beneficiary=world.other_beneficiary))
    RefundRequestFactory(beneficiary=world.other_beneficiary, year=2030)  # no rates yet
    requests = RefundRequest.objects.order_by("pk").prefetch_related("invoices")
    expected = [(r, request_amounts(r)) for r in requests]

    with django_assert_num_queries(4):  # requests, invoices, rates, advances paid
        listed = requests_amounts(requests.all())

    assert listed == expected
    assert dict(listed)[with_advance].net == Decimal("896.00")
