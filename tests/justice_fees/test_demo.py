"""The demo world shows the justice fees: the court's roles, the interpreter's profile and
mémoires at different statuses, seeded through the services."""

import pytest
from django.core.management import call_command

from justice_fees.enums import CourtRoleKind, MemoireStatus
from justice_fees.models import CourtRole, Memoire, ProviderProfile

pytestmark = pytest.mark.django_db


def test_the_demo_world_has_a_court_its_roles_and_memoires_at_every_stage(capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert "lucie.perrin@tj-brenne-sur-loire.example" in output
    assert "helene.marchand@tj-brenne-sur-loire.example" in output
    roles = {
        r.membership.user.email: r.role
        for r in CourtRole.objects.select_related("membership__user")
    }
    assert roles == {
        "lucie.perrin@tj-brenne-sur-loire.example": CourtRoleKind.AGENT,
        "helene.marchand@tj-brenne-sur-loire.example": CourtRoleKind.MAGISTRAT,
    }
    assert ProviderProfile.objects.get(structure__identifier="84409127200014").kind == "INTERPRETE"
    statuses = set(Memoire.objects.values_list("status", flat=True))
    assert statuses >= {
        MemoireStatus.BROUILLON,
        MemoireStatus.DEPOSE,
        MemoireStatus.SUSPENDU,
        MemoireStatus.A_CERTIFIER,
        MemoireStatus.REJETE,
        MemoireStatus.PAYE,
    }
    by_edi = Memoire.objects.get(number="OP-2026-035")  # an E3 flow over the EDI channel
    assert by_edi.channel == "EDI" and by_edi.status == MemoireStatus.DEPOSE
    assert by_edi.flow_item.flow.syntax == "IN_DP_E3_UBL_INVOICE"
    assert by_edi.attachments.filter(kind="DECISION").exists()
    paid = Memoire.objects.get(status=MemoireStatus.PAYE)
    assert paid.certified_total < paid.claimed_total
    assert paid.lines.exclude(reduction_reason="").count() == 1
