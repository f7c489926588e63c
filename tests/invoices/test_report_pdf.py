"""The PDF integration report: the text a person reads, extracted back from the PDF."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from invoices.enums import DepositChannel
from invoices.formats import write_ubl
from invoices.ingestion.receive import flow_receive
from invoices.ingestion.report_pdf import flow_report_pdf
from invoices.models import Flow
from tests.chorus.factories import MembershipFactory, ServiceFactory, StructureFactory
from tests.invoices.factories import french_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def deposit(django_capture_on_commit_callbacks):
    supplier = StructureFactory()
    service = ServiceFactory(code="SERV0001")
    user = MembershipFactory(structure=supplier).user

    def invoice_xml(number: str) -> bytes:
        return write_ubl(
            french_invoice(
                number=number,
                seller_siret=supplier.identifier,
                buyer_siret=service.structure.identifier,
                service_code=service.code,
                engagement=None,
            )
        )

    def run(data: bytes | None = None, filename: str = "facture.xml") -> Flow:
        with django_capture_on_commit_callbacks(execute=True):
            receipt = flow_receive(
                data=data if data is not None else invoice_xml("FA-2025-00042"),
                filename=filename,
                channel=DepositChannel.PORTAIL,
                structure=supplier,
                user=user,
            )
        return Flow.objects.get(pk=receipt.flow.pk)

    run.invoice_xml = invoice_xml
    return run


def _text(pdf: bytes) -> str:
    """The PDF's text with line breaks folded, as a reader follows it."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _squeezed(text: str) -> str:
    """Without any white space: long locations (XPaths) wrap at any slash in the PDF."""
    return "".join(text.split())


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_an_integrated_flow_reads_as_such(deposit):
    flow = deposit()
    text = _text(flow_report_pdf(flow))
    assert f"Compte rendu d'intégration du flux {flow.number}" in text
    assert "Fichier déposé facture.xml" in text
    assert "Canal de dépôt Portail" in text
    assert "Syntaxe du flux UBL 2.1 (flux structuré E1)" in text
    assert "État du flux Intégré (IN_INTEGRE)" in text
    assert "Factures dans le flux : 1 – intégrées : 1 – refusées : 0." in text
    assert "FA-2025-00042" in text
    assert "Intégrée" in text
    assert "Corrigez" not in text


def test_each_finding_of_a_refused_invoice_says_field_what_and_how_details_apart(deposit):
    good = deposit.invoice_xml("FA-1")
    bad = deposit.invoice_xml("FA-2").replace(b"SERV0001", b"INCONNU")
    flow = deposit(_zip({"bonne.xml": good, "mauvaise.xml": bad}), "lot.zip")
    text = _squeezed(_text(flow_report_pdf(flow)))
    assert _squeezed("État du flux Intégré partiellement (IN_INTEGRE_PARTIEL)") in text
    assert _squeezed("Factures dans le flux : 2 – intégrées : 1 – refusées : 1.") in text
    assert _squeezed("Corrigez les points suivants puis déposez-la à nouveau") in text
    refused = flow.items.get(name="mauvaise.xml")
    fatal = [f for f in refused.findings if f["severity"] == "fatal"]
    assert [f["rule"] for f in fatal] == ["CPP-005"]
    assert _squeezed("Référence acheteur (BT-10, Buyer reference)") in text
    assert _squeezed("Le code service indiqué n'est pas un service actif") in text
    assert _squeezed("« INCONNU »") in text
    assert _squeezed("À faire : Vérifiez le code service dans l'annuaire") in text
    main, technical = text.split(_squeezed("Détails techniques"), 1)
    assert "/Invoice" not in main
    assert _squeezed("règle CPP-005 – emplacement : /Invoice/cbc:BuyerReference") in technical


def test_a_flow_error_is_explained(deposit):
    flow = deposit(_zip({"../evasion.xml": b"<a/>"}), "lot.zip")
    text = _text(flow_report_pdf(flow))
    assert "État du flux Rejeté (IN_REJETE)" in text
    assert "Le flux n'a pas pu être traité pour la raison suivante" in text
    (error,) = flow.errors
    assert _squeezed(error["libelleErreur"]) in _squeezed(text)
    assert error["codeErreur"] in text
    assert "Factures dans le flux : 0" in text
