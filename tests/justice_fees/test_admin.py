"""The administrators edit the reference table of services and tariffs; mémoires are read
only in the admin (they move through their services)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from justice_fees.models import Tariff
from justice_fees.seed import TARIFFS
from tests.justice_fees.factories import court, draft, interpreter

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("admin@exemple.fr", "Motdepasse-solide-2026")
    client.force_login(admin)
    return client


def test_the_table_is_seeded_with_demonstration_values_flagged():
    assert Tariff.objects.count() == len(TARIFFS)
    priced = Tariff.objects.filter(unit_price__isnull=False)
    assert priced.exists() and not priced.filter(demonstration=False).exists()
    assert not Tariff.objects.filter(kind="DEBOURS", vat_applies=True).exists()


def test_the_admin_edits_a_tariff(admin_client):
    tariff = Tariff.objects.get(code="TRAD-PAGE")
    url = reverse("admin:justice_fees_tariff_change", args=[tariff.pk])
    assert admin_client.get(url).status_code == 200
    page = admin_client.post(
        url,
        {
            "code": "TRAD-PAGE",
            "label": "Traduction écrite (par page)",
            "kind": "PRESTATION",
            "unit": "PAGE",
            "unit_price": "27.50",
            "vat_applies": "on",
            "reference": "Arrêté du ... (saisi par l'administrateur)",
            "active": "on",
            "position": "2",
        },
    )
    assert page.status_code == 302
    tariff.refresh_from_db()
    assert (tariff.unit_price, tariff.demonstration) == (Decimal("27.50"), False)


def test_a_memoire_is_read_only_in_the_admin(admin_client):
    juridiction, _service = court()
    provider, _member = interpreter()
    memoire = draft(provider=provider, juridiction=juridiction)
    page = admin_client.get(reverse("admin:justice_fees_memoire_change", args=[memoire.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get(reverse("admin:justice_fees_memoire_add")).status_code == 403
