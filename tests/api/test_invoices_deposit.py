"""deposer/flux: the file is stored and queued at once; its parameters are refused with their
own code, without creating a flow; the report follows through consulterCRDetaille."""

import base64
import io
import zipfile

import pytest

from invoices.enums import DepositChannel, FlowStatus
from invoices.formats import write_ubl
from invoices.models import Flow, Invoice
from tests.api.conftest import CproClient, cpro_account
from tests.api.invoices_support import CR_DETAILLE, DEPOSER, b64, deposit, invoice_xml
from tests.chorus.factories import ServiceFactory, StructureFactory, TechnicalAccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    return ServiceFactory()


@pytest.fixture
def deposit_processed(cpro, django_capture_on_commit_callbacks):
    """A deposit whose queued processing runs (Celery eager) once the request commits."""

    def run(data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = deposit(cpro, data, **kwargs)
        assert response.status_code == 200, response.content
        return response.json()["numeroFluxDepot"]

    return run


def test_the_deposit_answers_before_validation_with_the_flow_number(
    cpro, supplier, technical_account, service
):
    response = deposit(cpro, invoice_xml(supplier, service), filename="FA-2025-00042.xml")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["codeRetour"] == 0
    assert body["syntaxeFlux"] == "IN_DP_E1_CII_16B"
    flow = Flow.objects.get(number=body["numeroFluxDepot"])
    assert body["dateDepot"] == flow.created_at.astimezone().date().isoformat()
    # Stored and queued, not yet validated: the pipeline runs in the worker.
    assert flow.status == FlowStatus.EN_ATTENTE
    assert not flow.items.exists()
    assert flow.channel == DepositChannel.API
    assert flow.structure == supplier
    assert flow.technical_account == technical_account
    assert flow.filename == "FA-2025-00042.xml"


def test_a_valid_invoice_is_integrated(cpro, supplier, service, deposit_processed):
    number = deposit_processed(invoice_xml(supplier, service))

    report = cpro.post(CR_DETAILLE, {"numeroFluxDepot": number, "syntaxeFlux": "IN_DP_E1_CII_16B"})

    body = report.json()
    assert body["etatCourantDepotFlux"] == "IN_INTEGRE"
    assert body["nomFichier"] == "facture.xml"
    assert body["listeErreurDP"] == []
    assert body["listeErreurTechnique"] == []
    invoice = Invoice.objects.get(flow_item__flow__number=number)
    assert invoice.supplier == supplier
    assert invoice.recipient == service.structure


def test_a_refused_invoice_is_reported_with_sentences_naming_the_place_and_the_fix(
    cpro, supplier, service, deposit_processed
):
    service.structure.service_code_required = True
    service.structure.save()
    data = invoice_xml(supplier, service, number="FA-SANS-SERVICE", service_code=None)

    number = deposit_processed(data, filename="sans-service.xml")
    body = cpro.post(CR_DETAILLE, {"numeroFluxDepot": number}).json()

    assert body["etatCourantDepotFlux"] == "IN_REJETE"
    [error] = body["listeErreurDP"]
    assert error["numeroDP"] == "FA-SANS-SERVICE"
    assert error["identifiantFournisseur"] == supplier.identifier
    assert error["identifiantDestinataire"] == service.structure.identifier
    sentence = error["libelleErreurDP"]
    assert sentence.startswith("Référence acheteur (BT-10, Buyer reference) : ")
    assert "exige un code service" in sentence and "Demandez à l'acheteur" in sentence
    assert "/Invoice" not in sentence and "BuyerReference" not in sentence
    assert not Invoice.objects.filter(number="FA-SANS-SERVICE").exists()


def test_an_invoice_of_another_seller_is_refused_and_the_flow_stays_the_callers(
    cpro, supplier, service, deposit_processed
):
    other = StructureFactory()

    number = deposit_processed(
        invoice_xml(other, service, number="FA-AUTRUI"), filename="autrui.xml"
    )

    flow = Flow.objects.get(number=number)
    assert flow.structure == supplier
    body = cpro.post(CR_DETAILLE, {"numeroFluxDepot": number}).json()
    assert body["etatCourantDepotFlux"] == "IN_REJETE"
    [error] = body["listeErreurDP"]
    assert error["identifiantFournisseur"] == other.identifier
    assert "n'est pas la structure qui la dépose" in error["libelleErreurDP"]
    assert supplier.identifier in error["libelleErreurDP"]
    assert not Invoice.objects.exists()


def test_a_byte_identical_resend_answers_the_original_flow(cpro, supplier, service):
    data = invoice_xml(supplier, service)

    first = deposit(cpro, data).json()
    again = deposit(cpro, data, filename="renvoi.xml").json()

    assert again["numeroFluxDepot"] == first["numeroFluxDepot"]
    assert again["dateDepot"] == first["dateDepot"]
    assert Flow.objects.count() == 1


def test_another_account_of_the_structure_depositing_the_same_bytes_gets_its_own_flow(
    client, access_token, cpro, supplier, service
):
    data = invoice_xml(supplier, service)
    colleague = CproClient(
        client, access_token, cpro_account(TechnicalAccountFactory(structure=supplier).login)
    )

    first = deposit(cpro, data).json()
    second = deposit(colleague, data).json()

    assert second["numeroFluxDepot"] != first["numeroFluxDepot"]


def test_a_batch_archive_is_accepted_with_its_extension(cpro, supplier, service, deposit_processed):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.xml", invoice_xml(supplier, service, number="LOT-1"))
        archive.writestr("b.xml", invoice_xml(supplier, service, number="LOT-2"))

    number = deposit_processed(buffer.getvalue(), filename="lot.zip")

    body = cpro.post(CR_DETAILLE, {"numeroFluxDepot": number}).json()
    assert body["etatCourantDepotFlux"] == "IN_INTEGRE"
    assert set(Invoice.objects.values_list("number", flat=True)) == {"LOT-1", "LOT-2"}


def _refused(response, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["libelle"].startswith(f"{code} : ")
    assert not Flow.objects.exists()
    return body["libelle"]


def test_invalid_base64_is_refused_without_a_flow(cpro):
    response = cpro.post(
        DEPOSER,
        {
            "fichierFlux": "ceci n'est pas du base64 !",
            "nomFichier": "f.xml",
            "syntaxeFlux": "IN_DP_E1_CII_16B",
        },
    )

    libelle = _refused(response, 400, "GCU_MSG_50_002")
    assert response.json()["codeRetour"] == 50002
    assert "fichierFlux" in libelle and "base64" in libelle


def test_an_unknown_syntax_is_refused_with_the_accepted_ones(cpro, supplier, service):
    response = deposit(cpro, invoice_xml(supplier, service), syntax="IN_DP_E1_XCBL")

    libelle = _refused(response, 400, "GCU_MSG_50_005")
    assert "IN_DP_E1_XCBL" in libelle
    for accepted in ("IN_DP_E1_UBL_INVOICE", "IN_DP_E1_CII_16B", "IN_DP_E2_CII_FACTURX"):
        assert accepted in libelle


def test_an_empty_file_is_refused(cpro):
    response = cpro.post(
        DEPOSER, {"fichierFlux": "", "nomFichier": "f.xml", "syntaxeFlux": "IN_DP_E1_CII_16B"}
    )

    assert "fichierFlux est vide" in _refused(response, 400, "GCU_MSG_50_003")


def test_a_file_over_the_flow_limit_is_refused(cpro, settings, supplier, service):
    settings.FLOW_MAX_BYTES = 1000

    response = deposit(cpro, invoice_xml(supplier, service))

    assert "1000 octets" in _refused(response, 413, "GCU_MSG_50_004")


def test_a_file_name_over_200_characters_is_refused(cpro, supplier, service):
    response = deposit(cpro, invoice_xml(supplier, service), filename="f" * 197 + ".xml")

    assert "raccourcissez" in _refused(response, 400, "GCU_MSG_50_006")


@pytest.mark.parametrize(
    ("filename", "syntax"),
    [
        ("facture.pdf", "IN_DP_E1_CII_16B"),
        ("facture.xml", "IN_DP_E2_CII_FACTURX"),
        ("facture", "IN_DP_E1_UBL_INVOICE"),
    ],
)
def test_a_file_name_without_the_extension_of_its_syntax_is_refused(
    cpro, supplier, service, filename, syntax
):
    response = deposit(cpro, invoice_xml(supplier, service), filename=filename, syntax=syntax)

    libelle = _refused(response, 400, "GCU_MSG_50_006")
    assert syntax in libelle and ".zip" in libelle


def test_a_syntax_that_does_not_match_the_file_refuses_the_invoice(
    cpro, supplier, service, deposit_processed
):
    number = deposit_processed(
        invoice_xml(supplier, service, writer=write_ubl), syntax="IN_DP_E1_CII_16B"
    )

    body = cpro.post(CR_DETAILLE, {"numeroFluxDepot": number}).json()
    assert body["etatCourantDepotFlux"] == "IN_REJETE"
    assert "déclaré en syntaxe IN_DP_E1_CII_16B" in body["listeErreurDP"][0]["libelleErreurDP"]


def test_missing_fields_are_listed(cpro):
    response = cpro.post(DEPOSER, {"nomFichier": "f.xml"})

    assert response.status_code == 400
    fields = {error["champ"] for error in response.json()["erreurs"]}
    assert fields == {"fichierFlux", "syntaxeFlux"}


def test_the_deposit_needs_a_token_and_a_cpro_account(client, access_token, technical_account):
    body = {"fichierFlux": b64(b"<x/>"), "nomFichier": "f.xml", "syntaxeFlux": "IN_DP_E1_CII_16B"}

    no_token = client.post(
        DEPOSER,
        body,
        content_type="application/json",
        headers={"cpro-account": cpro_account(technical_account.login)},
    )
    wrong_account = client.post(
        DEPOSER,
        body,
        content_type="application/json",
        headers={
            "Authorization": f"Bearer {access_token}",
            "cpro-account": base64.b64encode(f"{technical_account.login}:faux".encode()).decode(),
        },
    )

    assert no_token.status_code == 401
    assert no_token.json()["libelle"].startswith("GCU_MSG_02_001")
    assert wrong_account.status_code == 401
    assert wrong_account.json()["libelle"].startswith("GCU_MSG_02_005")
    assert not Flow.objects.exists()


def test_a_deposit_larger_than_the_form_limit_is_received(cpro, settings):
    data = b"<Invoice>" + b" " * (3 * 1024 * 1024) + b"</Invoice>"
    assert len(b64(data)) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = deposit(cpro, data, filename="grande.xml")

    assert response.status_code == 200, response.content
    assert Flow.objects.get().received_file.size == len(data)


def test_a_body_over_the_deposit_limit_is_refused_before_reading(cpro, settings):
    settings.FLOW_MAX_BYTES = 1000

    response = deposit(cpro, b"x" * 200_000, filename="lot.zip")

    libelle = _refused(response, 413, "GCU_MSG_50_007")
    assert "découpez un lot" in libelle
