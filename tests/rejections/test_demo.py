"""The demo world shows the rejection statistics with data: a corrected invoice linked to its
rejected predecessor, refused deposits with their rules."""

import pytest
from django.core.management import call_command

from chorus.enums import Role
from chorus.models import Membership
from invoices.enums import FlowItemStatus, InvoiceStatus
from invoices.models import FlowItem, Invoice
from rejections.statistics import correction_delays, refusals_by_rule

pytestmark = pytest.mark.django_db


def test_the_demo_world_has_a_correction_and_refused_deposits(client):
    call_command("seed_demo", verbosity=0)

    correction = Invoice.objects.get(number="FA-2026-0109")
    assert correction.replaces.number == "FA-2026-0105"
    assert correction.replaces.status == InvoiceStatus.REJETEE
    # As "corriger et renvoyer" writes it: the document names the rejected invoice (BT-25).
    (preceding,) = correction.canonical.preceding_invoices
    assert (preceding.number, preceding.issue_date) == (
        "FA-2026-0105",
        correction.replaces.issue_date,
    )
    assert correction.total_without_vat < correction.replaces.total_without_vat
    delays = {row.key: row.count for row in correction_delays(Invoice.objects.all())}
    assert delays["rejected"] == 1
    refused = FlowItem.objects.filter(status=FlowItemStatus.REFUSEE)
    assert refused.count() == 2
    assert refusals_by_rule(FlowItem.objects.all())

    supplier = correction.supplier
    member = Membership.objects.filter(structure=supplier, role=Role.GESTIONNAIRE_PRINCIPAL).first()
    client.force_login(member.user)
    html = client.get("/statistiques/").content.decode()
    assert "MONTANTTOTAL_ERR" in html and "Aucune donnée sur la période" not in html

    call_command("seed_demo", verbosity=0)  # idempotent
    assert FlowItem.objects.filter(status=FlowItemStatus.REFUSEE).count() == 2
    assert Invoice.objects.filter(replaces__isnull=False).count() == 1
