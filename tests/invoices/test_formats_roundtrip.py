"""Every official EN 16931 example survives reading, writing and reading again.

Same syntax: reading what was written gives the same canonical invoice, and the written XML
is valid against the schema (UBL 2.1, or the Factur-X EN16931 subset of CII D16B).
Cross syntax (UBL -> CII -> canonical, CII -> UBL -> canonical): the same invoice, save for
what one syntax has no place for (listed in `_portable`).
"""

import copy
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from facturx.facturx import xml_check_xsd
from lxml import etree

from invoices import xmlsafe
from invoices.formats import read_cii, read_ubl, write_cii, write_ubl
from invoices.validation.pipeline import validate
from tests.invoices.factories import french_invoice

EXAMPLES = Path(settings.CHORUS_TESTDATA_DIR) / "en16931"
UBL_EXAMPLES = sorted(
    p.relative_to(EXAMPLES).as_posix()
    for p in [*EXAMPLES.glob("ubl/*.*"), *EXAMPLES.glob("ubl/testfiles/*.xml")]
    if p.is_file()
)
CII_EXAMPLES = sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.glob("cii/*.xml"))


def _read(testdata_dir: Path, name: str):
    root = xmlsafe.parse((testdata_dir / "en16931" / name).read_bytes())
    return read_ubl(root) if name.startswith("ubl/") else read_cii(root)


def _assert_xsd_valid(xml: bytes, flavor: str) -> None:
    if flavor == "cii":
        xml_check_xsd(etree.fromstring(xml), flavor="factur-x", level="en16931")
    else:
        xml_check_xsd(etree.fromstring(xml), flavor=flavor)


def _assert_meets_en16931(xml: bytes) -> None:
    """XSD and the official EN 16931 Schematron (the validation stage) find nothing fatal."""
    report = validate(xml, recipient_check=False)
    assert [(f.rule, f.location, f.message_en) for f in report.fatal_findings] == []


def test_the_official_corpus_is_all_there():
    assert len(UBL_EXAMPLES) + len(CII_EXAMPLES) == 63


@pytest.mark.parametrize("name", UBL_EXAMPLES)
def test_ubl_round_trip(testdata_dir, name):
    invoice = _read(testdata_dir, name)
    written = write_ubl(invoice)
    _assert_xsd_valid(
        written, "ubl-2.1-creditnote" if invoice.is_credit_note else "ubl-2.1-invoice"
    )
    _assert_meets_en16931(written)
    assert read_ubl(xmlsafe.parse(written)) == invoice


@pytest.mark.parametrize("name", CII_EXAMPLES)
def test_cii_round_trip(testdata_dir, name):
    invoice = _read(testdata_dir, name)
    written = write_cii(invoice)
    _assert_xsd_valid(written, "cii")
    _assert_meets_en16931(written)
    assert read_cii(xmlsafe.parse(written)) == invoice


def _portable(invoice) -> dict:
    """The invoice without what only one of the two syntaxes can hold."""
    data = copy.deepcopy(invoice.to_dict())
    for party in (data["seller"], data["buyer"]):
        party["tax_registration_scheme"] = None  # UBL TaxScheme id of BT-32
        # CII writes identifiers without scheme (ram:ID) before those with (ram:GlobalID).
        party["identifiers"].sort(key=lambda ident: ident["scheme"] is not None)
    if data["vat_accounting_currency"] == data["currency"]:
        # CII forbids a VAT accounting currency equal to the invoice currency (BR-53).
        data["vat_accounting_currency"] = data["totals"]["vat_total_accounting_currency"] = None
    if data["totals"]["vat_total"] in (None, "0", "0.00"):
        data["totals"]["vat_total"] = None  # UBL requires a TaxAmount, CII does not
    for line in data["lines"]:
        price = line["price"]
        price["gross_base_quantity"] = price["gross_base_quantity_unit_code"] = None  # CII only
        # CII holds the discount inside the gross price; UBL requires one with a gross price.
        if price["gross_price"] is None:
            price["discount"] = None
        elif price["discount"] is None:
            price["discount"] = str(Decimal(price["gross_price"]) - Decimal(price["net_price"]))
    return data


@pytest.mark.parametrize("name", UBL_EXAMPLES + CII_EXAMPLES)
def test_cross_syntax_round_trip(testdata_dir, name):
    invoice = _read(testdata_dir, name)
    if name.startswith("ubl/"):
        written = write_cii(invoice)
        _assert_xsd_valid(written, "cii")
        back = read_cii(xmlsafe.parse(written))
    else:
        written = write_ubl(invoice)
        _assert_xsd_valid(
            written, "ubl-2.1-creditnote" if invoice.is_credit_note else "ubl-2.1-invoice"
        )
        back = read_ubl(xmlsafe.parse(written))
    _assert_meets_en16931(written)
    assert _portable(back) == _portable(invoice)


def test_round_trip_keeps_attachment_bytes_and_french_identifiers(testdata_dir):
    invoice = _read(testdata_dir, "ubl/testfiles/Invoice-Max_content.xml")
    embedded = [a for a in invoice.attachments if a.content is not None]
    assert [(a.filename, a.mime_code, a.content) for a in embedded] == [
        ("testfilnamn.abc", "text/csv", b"\xd3]\xb7\xe3\x9e\xbb")
    ]
    back = read_cii(xmlsafe.parse(write_cii(invoice)))
    assert back.attachments == invoice.attachments
    assert back.attachments_size == 6


@pytest.mark.parametrize("type_code", ["380", "381"])
def test_factory_invoice_writes_valid_ubl_and_cii_and_reads_back(type_code):
    invoice = french_invoice(type_code=type_code)
    flavor = "ubl-2.1-creditnote" if type_code == "381" else "ubl-2.1-invoice"
    ubl = write_ubl(invoice)
    _assert_xsd_valid(ubl, flavor)
    assert validate(ubl, recipient_check=False).findings == []
    assert read_ubl(xmlsafe.parse(ubl)) == invoice
    cii = write_cii(invoice)
    _assert_xsd_valid(cii, "cii")
    assert validate(cii, recipient_check=False).findings == []
    assert read_cii(xmlsafe.parse(cii)) == invoice
    assert invoice.seller_siret and invoice.buyer_siret
    assert {(b.category_code, str(b.rate)) for b in invoice.vat_breakdown} == {
        ("S", "20"),
        ("S", "10"),
        ("S", "5.5"),
        ("E", "0"),
    }
