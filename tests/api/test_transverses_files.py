"""ajouter/fichier: a supporting document kept for a later invoice of the caller's structure."""

import pytest

from invoices.formats.facturx import write_facturx
from invoices.models import AttachmentUpload
from tests.api.invoices_support import b64
from tests.invoices.factories import french_invoice, with_active_content

pytestmark = pytest.mark.django_db

ADD_FILE = "/cpro/transverses/v1/ajouter/fichier"


def _body(data=b"%PDF-1.4 devis", name="devis", mime="application/pdf", extension="PDF"):
    return {
        "pieceJointeFichier": b64(data),
        "pieceJointeNom": name,
        "pieceJointeTypeMime": mime,
        "pieceJointeExtension": extension,
    }


def test_the_file_is_kept_for_the_structure(cpro, supplier, technical_account):
    response = cpro.post(ADD_FILE, _body())

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["codeRetour"] == 0
    upload = AttachmentUpload.objects.get(pk=body["pieceJointeId"])
    assert (upload.structure, upload.technical_account) == (supplier, technical_account)
    assert (upload.name, upload.mime_type) == ("devis.pdf", "application/pdf")
    with upload.received_file.file.open("rb") as handle:
        assert handle.read() == b"%PDF-1.4 devis"
    assert upload.received_file.size == len(b"%PDF-1.4 devis")


def test_a_name_already_ending_with_its_extension_is_kept(cpro):
    response = cpro.post(ADD_FILE, _body(name="bon.pdf", extension="pdf"))

    assert AttachmentUpload.objects.get(pk=response.json()["pieceJointeId"]).name == "bon.pdf"


def _refused(response, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    assert not AttachmentUpload.objects.exists()
    libelle = response.json()["libelle"]
    assert libelle.startswith(f"{code} : ")
    return libelle


def test_an_extension_outside_the_chorus_list_is_refused(cpro):
    libelle = _refused(cpro.post(ADD_FILE, _body(extension="exe")), 400, "GCU_MSG_50_006")

    assert "pieceJointeExtension" in libelle and "pdf" in libelle and "xlsx" in libelle


def test_a_name_over_50_characters_is_refused(cpro):
    libelle = _refused(cpro.post(ADD_FILE, _body(name="n" * 47)), 400, "GCU_MSG_50_006")

    assert "51 caractères" in libelle


def test_a_file_over_10_mb_is_refused(cpro):
    libelle = _refused(
        cpro.post(ADD_FILE, _body(data=b"x" * (10 * 1024 * 1024 + 1))), 413, "GCU_MSG_50_004"
    )

    assert "10485760 octets" in libelle


def test_invalid_base64_is_refused(cpro):
    body = _body()
    body["pieceJointeFichier"] = "%%%"

    _refused(cpro.post(ADD_FILE, body), 400, "GCU_MSG_50_002")


def test_an_empty_file_is_refused(cpro):
    _refused(cpro.post(ADD_FILE, _body(data=b"")), 400, "GCU_MSG_50_003")


def test_adding_a_file_needs_both_credentials(client):
    response = client.post(ADD_FILE, _body(), content_type="application/json")

    assert response.status_code == 401
    assert not AttachmentUpload.objects.exists()


def test_a_pdf_with_javascript_is_refused(cpro):
    pdf = with_active_content(write_facturx(french_invoice(number="DEVIS-1")), "javascript")

    libelle = _refused(cpro.post(ADD_FILE, _body(data=pdf)), 400, "GCU_MSG_50_006")

    assert "pieceJointeFichier" in libelle and "contenu actif (JavaScript)" in libelle
