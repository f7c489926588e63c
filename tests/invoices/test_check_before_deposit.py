"""Checking an invoice in the portal without depositing it (issue 9 §5): the result in plain
language, nothing stored but the day's count."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chorus.enums import Role
from invoices.formats import write_cii
from invoices.models import CheckCount, Flow, ReceivedFile
from tests.chorus.factories import (
    MembershipFactory,
    PublicStructureFactory,
    ServiceFactory,
    StructureFactory,
)
from tests.invoices.factories import french_invoice

pytestmark = pytest.mark.django_db

CHECK = reverse("invoices:check")


@pytest.fixture
def supplier():
    return StructureFactory(legal_name="Menuiserie Durand")


@pytest.fixture
def service():
    return ServiceFactory(code="SERV0001", structure=PublicStructureFactory(legal_name="Valmont"))


@pytest.fixture
def client_in(client, supplier):
    client.force_login(MembershipFactory(structure=supplier, role=Role.UTILISATEUR).user)
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _xml(supplier, service, service_code=None):
    return write_cii(
        french_invoice(
            number="FA-1",
            seller_siret=supplier.identifier,
            buyer_siret=service.structure.identifier,
            service_code=service_code or service.code,
            engagement=None,
        )
    )


def _check(client, data, name="facture.xml"):
    return client.post(CHECK, {"file": SimpleUploadedFile(name, data)})


def test_a_valid_invoice_is_announced_accepted_and_nothing_is_stored(
    client_in, supplier, service, media
):
    response = _check(client_in, _xml(supplier, service))

    assert response.status_code == 200
    assert "Cette facture serait acceptée" in response.text
    assert "Format : CII D16B (EN16931)." in response.text
    assert not Flow.objects.exists()
    assert not ReceivedFile.objects.exists()
    assert not any(media.rglob("*"))
    count = CheckCount.objects.get(structure=supplier, day=timezone.localdate())
    assert (count.checks, count.refused) == (1, 0)


def test_a_wrong_invoice_lists_its_findings_in_plain_language(client_in, supplier, service, media):
    _check(client_in, _xml(supplier, service))

    response = _check(client_in, _xml(supplier, service, service_code="INCONNU"))

    assert "Cette facture serait refusée" in response.text
    assert (
        "Le code service « INCONNU » n&#x27;est pas un service actif de Valmont." in response.text
    )
    assert "Vérifiez le code service dans l&#x27;annuaire du destinataire" in response.text
    assert not Flow.objects.exists()
    assert not any(media.rglob("*"))
    count = CheckCount.objects.get(structure=supplier)
    assert (count.checks, count.refused) == (2, 1)


def test_an_unreadable_file_is_refused_with_its_finding(client_in, supplier):
    response = _check(client_in, b"not an invoice")

    assert "Cette facture serait refusée" in response.text
    assert 'data-testid="finding"' in response.text


def test_an_archive_is_not_checked(client_in, supplier):
    response = _check(client_in, b"PK\x03\x04", name="lot.zip")

    assert response.status_code == 400
    assert "est un lot" in response.text
    assert not CheckCount.objects.exists()


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get(CHECK)

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_page_is_in_the_side_menu(client_in):
    response = client_in.get(CHECK)

    assert f'href="{CHECK}" aria-current="page"' in response.text
    assert "Facture à vérifier" in response.text


def test_a_file_above_an_invoice_s_limit_is_not_read(client_in, monkeypatch):
    monkeypatch.setattr("invoices.channels.portal.forms.MAX_FILE_BYTES", 10)

    response = _check(client_in, b"<Invoice>trop long</Invoice>")

    assert response.status_code == 400
    assert "au-delà de la limite de 10\xa0octets par facture" in response.text
    assert not CheckCount.objects.exists()
