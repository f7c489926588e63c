"""Detection: which syntax and profile a received file is, and clear refusals otherwise."""

import pytest

from invoices.formats import ReadError, UnsupportedDocument, detect, read
from invoices.formats.detect import classify_guideline


@pytest.mark.parametrize(
    ("name", "profile", "standard"),
    [
        ("MINIMUM_Rechnung_fx.pdf", "MINIMUM", "Factur-X"),
        ("BASIC-WL_Einfach_fx.pdf", "BASIC WL", "Factur-X"),
        ("BASIC_Einfach_fx.pdf", "BASIC", "Factur-X"),
        ("EN16931_Einfach_fx.pdf", "EN16931", "Factur-X / EN 16931"),
        ("EXTENDED_Warenrechnung_fx.pdf", "EXTENDED", "Factur-X"),
        ("XRECHNUNG_Einfach_fx.pdf", "XRECHNUNG", "XRechnung"),
    ],
)
def test_facturx_pdf_profile_comes_from_the_guideline_id(testdata_dir, name, profile, standard):
    data = (testdata_dir / "facturx" / "ferd-1.08" / name).read_bytes()
    detected, invoice = read(data, name)
    assert (detected.syntax, detected.profile, detected.standard) == ("facturx", profile, standard)
    assert detected.pdf == data
    assert detected.xml.lstrip().startswith(b"<")
    assert invoice.number


def test_xrechnung_pdf_embeds_xrechnung_xml(testdata_dir):
    data = (testdata_dir / "facturx" / "ferd-1.08" / "XRECHNUNG_Einfach_fx.pdf").read_bytes()
    assert detect(data).embedded_filename == "xrechnung.xml"


def test_french_facturx_whose_xml_starts_with_a_bom_is_read(testdata_dir):
    data = (testdata_dir / "facturx" / "other" / "akretion_invoice_EN16931_fr.pdf").read_bytes()
    detected, invoice = read(data)
    assert (detected.syntax, detected.profile, detected.embedded_filename) == (
        "facturx",
        "EN16931",
        "factur-x.xml",
    )
    assert invoice.number == "F20260023"


def test_ubl_and_cii_report_their_customization_id(testdata_dir):
    ubl = detect((testdata_dir / "en16931/ubl/testfiles/CreditNote-Max_content.xml").read_bytes())
    assert (ubl.syntax, ubl.root_name) == ("ubl", "CreditNote")
    assert (
        ubl.specification_id
        == "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    )
    assert (ubl.profile, ubl.standard) == ("EN16931", "Peppol BIS Billing 3.0")
    cii = detect((testdata_dir / "en16931/cii/CII_example1.xml").read_bytes())
    assert (cii.syntax, cii.profile) == ("cii", "EN16931")
    assert cii.specification_id == "urn:cen.eu:en16931:2017"
    assert cii.pdf is None


def test_bare_facturx_xml_below_en16931_is_a_facturx_not_a_plain_cii(testdata_dir):
    folder = testdata_dir / "facturx" / "ferd-1.08"
    basic_wl = detect((folder / "BASIC-WL_Einfach.xml").read_bytes())
    assert (basic_wl.syntax, basic_wl.profile, basic_wl.pdf) == ("facturx", "BASIC WL", None)
    # At EN16931 level the XML alone cannot be told from a plain CII invoice.
    assert detect((folder / "EN16931_Einfach.xml").read_bytes()).syntax == "cii"
    xrechnung = detect((folder / "XRECHNUNG_Einfach.xml").read_bytes())
    assert (xrechnung.syntax, xrechnung.profile) == ("cii", "XRECHNUNG")


def test_zugferd_2_guideline_ids_are_reported_as_zugferd():
    assert classify_guideline("urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p0:extended") == (
        "EXTENDED",
        "ZUGFeRD 2.0",
    )
    assert classify_guideline("urn:zugferd.de:2p0:basicwl") == ("BASIC WL", "ZUGFeRD 2.0")
    assert classify_guideline("urn:example:unknown") == (None, None)


def test_guideline_ids_not_in_the_table_are_named_by_their_last_part():
    assert classify_guideline("urn:cen.eu:en16931:2017#conformant#urn:zugferd.de:2p1:extended") == (
        "EXTENDED",
        "ZUGFeRD",
    )
    assert classify_guideline("urn:cen.eu:en16931:2017#compliant#urn:example:cius") == (
        "EN16931",
        "EN 16931 (CIUS)",
    )


def test_zugferd_1_pdf_is_refused(testdata_dir):
    data = (testdata_dir / "facturx" / "other" / "mustang_zugferd1_basic_invoice.pdf").read_bytes()
    with pytest.raises(UnsupportedDocument) as refused:
        detect(data, "facture.pdf")
    assert refused.value.code == "zugferd1"
    assert "ZUGFeRD 1.0" in refused.value.message
    assert "CrossIndustryDocument" in refused.value.message
    assert "Factur-X" in refused.value.message
    assert "ZUGFeRD 1.0" in refused.value.message_en


def test_plain_pdf_is_refused(testdata_dir):
    data = (
        testdata_dir / "facturx" / "other" / "mustang_NEGATIVE_plain_pdfa1_no_xml.pdf"
    ).read_bytes()
    with pytest.raises(UnsupportedDocument) as refused:
        detect(data, "Scan.pdf")
    assert refused.value.code == "pdf_without_invoice"
    assert "« Scan.pdf »" in refused.value.message
    assert "sans facture XML" in refused.value.message


def test_xml_that_is_not_an_invoice_names_its_root():
    with pytest.raises(UnsupportedDocument) as refused:
        detect(b'<?xml version="1.0"?><Order xmlns="urn:example:order"><ID>1</ID></Order>')
    assert refused.value.code == "unexpected_root"
    assert "{urn:example:order}Order" in refused.value.message
    assert "UBL 2.1" in refused.value.message and "CII D16B" in refused.value.message
    assert "{urn:example:order}Order" in refused.value.message_en


def test_invoice_root_in_a_foreign_namespace_is_refused():
    with pytest.raises(UnsupportedDocument) as refused:
        detect(b"<Invoice><ID>1</ID></Invoice>")
    assert refused.value.code == "unexpected_root"


@pytest.mark.parametrize("data", [b"PK\x03\x04 zip bytes", b"hello", b"\x00\x01\x02"])
def test_neither_xml_nor_pdf_is_refused(data):
    with pytest.raises(UnsupportedDocument) as refused:
        detect(data, "facture.bin")
    assert refused.value.code == "not_xml_or_pdf"
    assert "ni un document XML ni un PDF" in refused.value.message


def test_hostile_xml_is_refused_with_the_parser_reason():
    with pytest.raises(UnsupportedDocument) as refused:
        detect(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert refused.value.code == "xml_doctype"


def test_empty_file_is_refused():
    with pytest.raises(UnsupportedDocument) as refused:
        detect(b"  \n")
    assert refused.value.code == "empty"


def test_unreadable_value_names_its_path(testdata_dir):
    data = (testdata_dir / "en16931/ubl/ubl-tc434-example1.xml").read_bytes()
    broken = data.replace(b"<cbc:IssueDate>2015-01-09<", b"<cbc:IssueDate>09/01/2015<", 1)
    assert broken != data
    with pytest.raises(ReadError) as error:
        read(broken)
    assert error.value.path == "/*/cbc:IssueDate"
    assert "09/01/2015" in str(error.value)
