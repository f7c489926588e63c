"""The demo world shows the refunds: a farm, a DDFiP instructor, requests at several statuses."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from energy_refunds.enums import RefundStatus
from energy_refunds.models import RefundRequest

pytestmark = pytest.mark.django_db


def test_the_demo_world_has_requests_at_several_statuses_one_with_the_advance_deducted(tmp_path):
    call_command("seed_demo", stdout=open(tmp_path / "out.txt", "w"))  # noqa: SIM115
    printed = (tmp_path / "out.txt").read_text()

    statuses = dict(RefundRequest.objects.values_list("reference", "status"))
    assert set(statuses.values()) >= {
        RefundStatus.PAYEE,
        RefundStatus.VALIDEE,
        RefundStatus.SUSPENDUE,
        RefundStatus.DEPOSEE,
    }
    gaec_2023 = RefundRequest.objects.get(
        beneficiary__structure__identifier="49811726600011", year=2023
    )
    gaec_2022 = RefundRequest.objects.get(
        beneficiary__structure__identifier="49811726600011", year=2022
    )
    assert gaec_2022.advance_paid_at is not None
    assert gaec_2023.advance_deducted == gaec_2022.advance_amount > Decimal("0")
    assert "julie.marchand@ddfip-indre-et-loire.example" in printed

    count = RefundRequest.objects.count()
    call_command("seed_demo", stdout=open(tmp_path / "again.txt", "w"))  # noqa: SIM115
    assert RefundRequest.objects.count() == count
