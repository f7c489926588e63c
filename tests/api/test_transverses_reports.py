"""consulterCR and consulterCRDetaille: a flow's state and its integration report, to the
structure that deposited it only."""

import base64
import io
import zipfile

import pytest
from pypdf import PdfReader

from invoices.models import Flow
from tests.api.conftest import CproClient, cpro_account
from tests.api.invoices_support import CR_DETAILLE, deposit, invoice_xml
from tests.chorus.factories import ServiceFactory, TechnicalAccountFactory

pytestmark = pytest.mark.django_db

CR = "/cpro/transverses/v1/consulterCR"


@pytest.fixture
def service():
    return ServiceFactory()


@pytest.fixture
def processed(cpro, django_capture_on_commit_callbacks):
    def run(data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = deposit(cpro, data, **kwargs)
        assert response.status_code == 200, response.content
        return Flow.objects.get(number=response.json()["numeroFluxDepot"])

    return run


def test_consulter_cr_gives_the_state_and_the_pdf_report(cpro, supplier, service, processed):
    flow = processed(invoice_xml(supplier, service), filename="facture-42.xml")

    response = cpro.post(CR, {"numeroFluxDepot": flow.number, "syntaxeFlux": "IN_DP_E1_CII_16B"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["numeroFluxDepot"] == flow.number
    assert body["nomFichierFlux"] == "facture-42.xml"
    assert body["etatCourantFlux"] == "IN_INTEGRE"
    assert body["dateDepotFlux"] and body["dateHeureEtatCourantFlux"]
    pdf = base64.b64decode(body["fichierCR"])
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert flow.number in text


def test_a_flow_waiting_for_processing_is_reported_as_such(cpro, supplier, service):
    number = deposit(cpro, invoice_xml(supplier, service)).json()["numeroFluxDepot"]

    body = cpro.post(CR_DETAILLE, {"numeroFluxDepot": number}).json()

    assert body["etatCourantDepotFlux"] == "IN_EN_ATTENTE_TRAITEMENT_CPP"
    assert body["listeErreurDP"] == [] and body["listeErreurTechnique"] == []


def test_an_unreadable_archive_is_reported_in_the_technical_errors(cpro, processed):
    flow = processed(b"PK\x03\x04 ceci n'est pas une archive", filename="lot.zip")

    body = cpro.post(CR_DETAILLE, {"numeroFluxDepot": flow.number}).json()

    assert body["etatCourantDepotFlux"] == "IN_INCIDENTE"
    [error] = body["listeErreurTechnique"]
    assert error["codeErreur"] == "FLUX_ILLISIBLE"
    assert error["natureErreur"] == "FLUX"
    assert error["libelleErreur"]


def test_a_refused_batch_lists_each_finding_of_each_refused_invoice(
    cpro, supplier, service, processed
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bonne.xml", invoice_xml(supplier, service, number="OK-1"))
        archive.writestr("illisible.xml", b"<pas une facture")
    flow = processed(buffer.getvalue(), filename="lot.zip")

    body = cpro.post(CR_DETAILLE, {"numeroFluxDepot": flow.number}).json()

    assert body["etatCourantDepotFlux"] == "IN_INTEGRE_PARTIEL"
    assert body["listeErreurDP"]
    assert {error["numeroDP"] for error in body["listeErreurDP"]} == {"illisible.xml"}
    assert all(error["libelleErreurDP"] for error in body["listeErreurDP"])


@pytest.mark.parametrize("path", [CR, CR_DETAILLE])
def test_another_structure_does_not_see_the_flow(
    client, access_token, cpro, supplier, service, path
):
    number = deposit(cpro, invoice_xml(supplier, service)).json()["numeroFluxDepot"]
    stranger = CproClient(client, access_token, cpro_account(TechnicalAccountFactory().login))

    response = stranger.post(path, {"numeroFluxDepot": number})

    assert response.status_code == 404
    body = response.json()
    assert body["codeRetour"] == 50001
    assert number in body["libelle"]


def test_a_colleague_account_of_the_structure_sees_the_flow(
    client, access_token, cpro, supplier, service
):
    number = deposit(cpro, invoice_xml(supplier, service)).json()["numeroFluxDepot"]
    colleague = CproClient(
        client, access_token, cpro_account(TechnicalAccountFactory(structure=supplier).login)
    )

    assert colleague.post(CR_DETAILLE, {"numeroFluxDepot": number}).status_code == 200


def test_an_unknown_syntax_is_refused(cpro, supplier, service):
    number = deposit(cpro, invoice_xml(supplier, service)).json()["numeroFluxDepot"]

    response = cpro.post(CR_DETAILLE, {"numeroFluxDepot": number, "syntaxeFlux": "XML"})

    assert response.status_code == 400
    assert response.json()["libelle"].startswith("GCU_MSG_50_005")


@pytest.mark.parametrize("path", [CR, CR_DETAILLE])
def test_reports_need_both_credentials(client, path):
    response = client.post(path, {"numeroFluxDepot": "FLX1"}, content_type="application/json")

    assert response.status_code == 401
