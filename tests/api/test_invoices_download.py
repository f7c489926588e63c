"""telecharger/groupe: the invoices of the caller's structure as CII XML (PIVOT), Factur-X
PDF (PDF) or both in a ZIP; over 120 MB, a coded HTTP 413."""

import base64
import io
import zipfile

import pytest
from facturx import get_facturx_xml_from_pdf

from invoices.api import services
from invoices.formats import read, write_ubl
from invoices.models import Invoice
from tests.api.conftest import CproClient, cpro_account
from tests.api.invoices_support import SOUMETTRE, b64, soumettre_payload, with_vat_number
from tests.chorus.factories import PublicStructureFactory, ServiceFactory, TechnicalAccountFactory
from tests.invoices.factories import french_invoice, stored_invoice

pytestmark = pytest.mark.django_db

DOWNLOAD = "/cpro/factures/v1/telecharger/groupe"
ADD_FILE = "/cpro/transverses/v1/ajouter/fichier"


def _file(response) -> bytes:
    assert response.status_code == 200, response.content
    return base64.b64decode(response.json()["fichierResultat"])


@pytest.fixture
def keyed(cpro, supplier):
    """An invoice keyed through the API (stored as CII) with a PDF attachment."""
    with_vat_number(supplier)
    added = cpro.post(
        ADD_FILE,
        {
            "pieceJointeFichier": b64(b"%PDF-1.4 annexe"),
            "pieceJointeNom": "annexe.pdf",
            "pieceJointeTypeMime": "application/pdf",
            "pieceJointeExtension": "pdf",
        },
    ).json()
    payload = soumettre_payload(
        ServiceFactory(),
        pieceJointeComplementaire=[{"pieceJointeComplementaireId": added["pieceJointeId"]}],
    )
    response = cpro.post(SOUMETTRE, payload)
    assert response.status_code == 200, response.content
    return response.json()["identifiantFactureCPP"]


@pytest.fixture
def ubl_invoice(supplier):
    """An invoice received as UBL from the caller's structure."""
    recipient = PublicStructureFactory()
    document = french_invoice(
        number="FA-UBL-1", seller_siret=supplier.identifier, buyer_siret=recipient.identifier
    )
    return stored_invoice(supplier=supplier, recipient=recipient, document=document, syntax="ubl")


def test_pivot_is_the_stored_cii(cpro, keyed):
    data = _file(cpro.post(DOWNLOAD, {"listeFacture": [{"idFacture": keyed}], "format": "PIVOT"}))

    with Invoice.objects.get(pk=keyed).received_file.file.open("rb") as handle:
        assert data == handle.read()


def test_pivot_of_an_ubl_invoice_is_written_as_cii(cpro, ubl_invoice):
    data = _file(
        cpro.post(DOWNLOAD, {"listeFacture": [{"idFacture": ubl_invoice.pk}], "format": "PIVOT"})
    )

    detected, document = read(data)
    assert detected.syntax == "cii"
    assert document.number == "FA-UBL-1"
    assert data != write_ubl(ubl_invoice.canonical)


def test_pdf_is_a_factur_x_rendered_from_the_invoice(cpro, ubl_invoice):
    data = _file(
        cpro.post(DOWNLOAD, {"listeFacture": [{"idFacture": ubl_invoice.pk}], "format": "PDF"})
    )

    assert data.startswith(b"%PDF")
    _name, xml = get_facturx_xml_from_pdf(data, check_xsd=False)
    assert b"FA-UBL-1" in xml


def test_zip_holds_pdf_xml_and_the_supporting_documents(cpro, keyed, ubl_invoice):
    data = _file(
        cpro.post(
            DOWNLOAD,
            {
                "listeFacture": [{"idFacture": keyed}, {"idFacture": ubl_invoice.pk}],
                "format": "ZIP",
                "avecPiecesJointesComplementaires": "OUI",
            },
        )
    )

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert archive.read(f"{keyed}-FA-API-0001/annexe.pdf") == b"%PDF-1.4 annexe"
    assert names == {
        f"{keyed}-FA-API-0001.pdf",
        f"{keyed}-FA-API-0001.xml",
        f"{keyed}-FA-API-0001/annexe.pdf",
        f"{ubl_invoice.pk}-FA-UBL-1.pdf",
        f"{ubl_invoice.pk}-FA-UBL-1.xml",
    }


def test_several_invoices_in_pivot_come_zipped(cpro, keyed, ubl_invoice):
    data = _file(
        cpro.post(
            DOWNLOAD,
            {
                "listeFacture": [{"idFacture": keyed}, {"idFacture": ubl_invoice.pk}],
                "format": "PIVOT",
                "avecPiecesJointesComplementaires": "NON",
            },
        )
    )

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == sorted(
            [f"{keyed}-FA-API-0001.xml", f"{ubl_invoice.pk}-FA-UBL-1.xml"]
        )


def test_the_recipient_downloads_what_it_received(client, access_token, ubl_invoice):
    recipient = CproClient(
        client,
        access_token,
        cpro_account(TechnicalAccountFactory(structure=ubl_invoice.recipient).login),
    )

    data = _file(
        recipient.post(
            DOWNLOAD, {"listeFacture": [{"idFacture": ubl_invoice.pk}], "format": "PIVOT"}
        )
    )

    assert read(data)[1].number == "FA-UBL-1"


def test_an_invoice_of_another_structure_is_not_found(client, access_token, cpro, ubl_invoice):
    stranger = CproClient(client, access_token, cpro_account(TechnicalAccountFactory().login))

    response = stranger.post(
        DOWNLOAD, {"listeFacture": [{"idFacture": ubl_invoice.pk}], "format": "PDF"}
    )
    mixed = cpro.post(
        DOWNLOAD,
        {"listeFacture": [{"idFacture": ubl_invoice.pk}, {"idFacture": 999999}], "format": "PIVOT"},
    )

    assert response.status_code == 404
    assert response.json()["codeRetour"] == 10001
    assert mixed.status_code == 404
    assert "999999" in mixed.json()["libelle"]


def test_over_120_mb_answers_413(cpro, ubl_invoice, monkeypatch):
    # A limit below this invoice's size stands for 120 MB.
    monkeypatch.setattr(services, "DOWNLOAD_MAX_BYTES", 100)

    response = cpro.post(
        DOWNLOAD, {"listeFacture": [{"idFacture": ubl_invoice.pk}], "format": "PIVOT"}
    )

    assert response.status_code == 413
    body = response.json()
    assert body["libelle"].startswith("GCU_MSG_10_007 : ")
    assert "au-delà de la limite de 100 octets" in body["libelle"]


def test_an_unknown_format_is_refused(cpro, ubl_invoice):
    response = cpro.post(
        DOWNLOAD, {"listeFacture": [{"idFacture": ubl_invoice.pk}], "format": "DOCX"}
    )

    assert response.status_code == 400
    assert "PDF, PIVOT, ZIP" in response.json()["erreurs"][0]["message"]


def test_downloading_needs_both_credentials(client, ubl_invoice):
    response = client.post(
        DOWNLOAD,
        {"listeFacture": [{"idFacture": ubl_invoice.pk}], "format": "PDF"},
        content_type="application/json",
    )

    assert response.status_code == 401
