"""verifier: an invoice checked as a deposit would check it, its findings as JSON in plain
language, nothing deposited nor kept but the day's count (issue 9 §5)."""

import base64

import pytest

from invoices.models import CheckCount, Flow, ReceivedFile
from tests.api.conftest import cpro_account
from tests.api.invoices_support import b64, invoice_xml
from tests.chorus.factories import ServiceFactory

pytestmark = pytest.mark.django_db

VERIFIER = "/cpro/factures/v1/verifier"


@pytest.fixture
def service():
    return ServiceFactory()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_valid_invoice_is_valid_and_nothing_is_stored(cpro, supplier, service, media):
    response = cpro.post(
        VERIFIER,
        {"fichierFlux": b64(invoice_xml(supplier, service)), "nomFichier": "facture.xml"},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["codeRetour"] == 0
    assert body["valide"] is True
    assert body["format"] == "cii"
    assert [c for c in body["listeConstats"] if c["severite"] == "fatal"] == []
    assert not Flow.objects.exists()
    assert not ReceivedFile.objects.exists()
    assert not any(media.rglob("*"))
    count = CheckCount.objects.get(structure=supplier)
    assert (count.checks, count.refused) == (1, 0)


def test_a_wrong_invoice_lists_its_findings_in_plain_language(cpro, supplier, service, media):
    data = invoice_xml(supplier, service, service_code="INCONNU")

    body = cpro.post(VERIFIER, {"fichierFlux": b64(data), "nomFichier": "facture.xml"}).json()

    assert body["valide"] is False
    fatal = [c for c in body["listeConstats"] if c["severite"] == "fatal"]
    assert fatal
    assert all(c["regle"] and c["message"] and c["aFaire"] for c in fatal)
    assert not Flow.objects.exists()
    assert not any(media.rglob("*"))
    assert CheckCount.objects.get(structure=supplier).refused == 1


def test_invalid_base64_is_refused_with_its_code(cpro):
    response = cpro.post(VERIFIER, {"fichierFlux": "pas du base64 !", "nomFichier": "f.xml"})

    assert response.status_code == 400
    assert response.json()["codeRetour"] != 0
    assert not CheckCount.objects.exists()


def test_the_operation_requires_its_credentials(client, access_token, technical_account):
    body = {"fichierFlux": b64(b"<x/>"), "nomFichier": "f.xml"}
    no_token = client.post(
        VERIFIER,
        body,
        content_type="application/json",
        headers={"cpro-account": cpro_account(technical_account.login)},
    )
    wrong_account = client.post(
        VERIFIER,
        body,
        content_type="application/json",
        headers={
            "Authorization": f"Bearer {access_token}",
            "cpro-account": base64.b64encode(f"{technical_account.login}:faux".encode()).decode(),
        },
    )

    assert no_token.status_code == 401
    assert wrong_account.status_code == 401
    assert not CheckCount.objects.exists()
