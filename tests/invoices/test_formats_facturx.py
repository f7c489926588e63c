"""The Factur-X writer: a readable French PDF/A-3 with its CII (EN16931 profile) inside."""

import datetime
import io

import facturx
import pytest
from django.utils import translation
from pypdf import PdfReader

from invoices import canonical as c
from invoices.formats import read
from invoices.formats.facturx import write_facturx
from invoices.validation.pipeline import validate
from tests.invoices.factories import IBAN, french_invoice


@pytest.fixture(scope="module")
def invoice():
    return french_invoice()


@pytest.fixture(scope="module")
def pdf(invoice):
    return write_facturx(invoice)


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_embedded_xml_passes_the_facturx_library_schema_check(pdf):
    filename, xml = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    assert b"urn:cen.eu:en16931:2017</ram:ID>" in xml


def test_reading_the_pdf_gives_back_the_invoice(pdf, invoice):
    detected, read_back = read(pdf, "facture.pdf")
    assert (detected.syntax, detected.profile, detected.embedded_filename) == (
        "facturx",
        "EN16931",
        "factur-x.xml",
    )
    assert read_back == invoice


def test_pdf_passes_the_profile_schematron_and_en16931_rules(pdf):
    report = validate(pdf, filename="facture.pdf", recipient_check=False)
    assert (report.format, report.profile) == ("facturx", "EN16931")
    assert report.findings == []


def test_pdf_is_declared_pdf_a_3b_and_factur_x(pdf):
    metadata = PdfReader(io.BytesIO(pdf)).xmp_metadata
    xmp = metadata.stream.get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp


def test_pdf_shows_the_french_legal_mentions(pdf, invoice):
    text = " ".join(_text(pdf).split())
    assert f"Facture n° {invoice.number}" in text
    assert f"SIRET : {invoice.seller_siret}" in text
    assert f"SIREN : {invoice.seller_siret[:9]}" in text
    assert f"N° TVA intracommunautaire : {invoice.seller.vat_id}" in text
    assert "Date d'émission : 14/03/2025" in text
    assert "Date d'échéance : 13/04/2025" in text
    assert f"Code service : {invoice.buyer_reference}" in text
    assert f"Engagement juridique (bon de commande) : {invoice.purchase_order_reference}" in text
    assert "article 261-4-4° a du CGI" in text  # the exemption motive of the exempt line
    assert "5,5 %" in text  # the rates, in French
    assert "Net à payer 2 714,11 €" in text  # text.split() turned no-break spaces to spaces
    assert f"IBAN : {IBAN}" in text
    assert "trois fois le taux d'intérêt légal" in text
    assert "indemnité forfaitaire pour frais de recouvrement de 40" in text


def test_credit_note_is_titled_avoir_and_names_the_invoice_it_corrects():
    credit_note = french_invoice(number="AV-2025-0003", type_code=c.TYPE_CREDIT_NOTE)
    credit_note.preceding_invoices = [
        c.PrecedingInvoice(number="FA-2025-00042", issue_date=datetime.date(2025, 3, 14))
    ]
    pdf = write_facturx(credit_note)
    text = " ".join(_text(pdf).split())
    assert "Avoir n° AV-2025-0003" in text
    assert "Facture d'origine : FA-2025-00042 du 14/03/2025" in text
    assert validate(pdf, recipient_check=False).valid


def test_pdf_names_units_and_vat_as_words_in_french_whatever_the_language(invoice):
    with translation.override("en"):
        text = _text(write_facturx(invoice))
    assert "unité" in text
    assert "C62" not in text
    assert "20 %" in text
