"""Plain CII: the EN 16931 code lists are checked, with the official rule ids and lists."""

import pytest
from lxml import etree

from invoices.validation import validate

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
NS = {"rsm": RSM, "ram": RAM}
HEADER_TAX = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"


@pytest.fixture
def cii_example(testdata_dir):
    return etree.parse(str(testdata_dir / "en16931" / "cii" / "CII_example2.xml")).getroot()


def _validate(root):
    return validate(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8"), recipient_check=False
    )


def test_the_example_is_valid_as_is(cii_example):
    assert _validate(cii_example).findings == []


@pytest.mark.parametrize(
    "path,attribute,value,rule",
    [
        ("//ram:InvoiceCurrencyCode", None, "EUX", "BR-CL-04"),
        ("//ram:PostalTradeAddress/ram:CountryID", None, "XX", "BR-CL-14"),
        ("//ram:BilledQuantity", "unitCode", "NOPE", "BR-CL-23"),
        ("/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:TypeCode", None, "999", "BR-CL-01"),
        (f"{HEADER_TAX}/ram:CategoryCode", None, "Q", "BR-CL-17"),
    ],
)
def test_a_code_outside_the_official_list_is_fatal(cii_example, path, attribute, value, rule):
    node = cii_example.xpath(path, namespaces=NS)[0]
    if attribute:
        node.set(attribute, value)
    else:
        node.text = value

    report = _validate(cii_example)

    assert report.format == "cii"
    fatal = [f for f in report.fatal_findings if f.rule == rule]
    assert len(fatal) == 1
    assert fatal[0].location.startswith("/rsm:CrossIndustryInvoice[1]/")
    assert f"« {value} »" in fatal[0].message_fr


@pytest.mark.parametrize("code,accepted", [("29", True), ("35", False)])
def test_the_cii_tax_point_date_code_uses_untdid_2475(cii_example, code, accepted):
    rate = cii_example.xpath(f"{HEADER_TAX}/ram:RateApplicablePercent", namespaces=NS)[0]
    due_date_type = etree.Element(f"{{{RAM}}}DueDateTypeCode")
    due_date_type.text = code
    rate.addprevious(due_date_type)

    rules = {f.rule for f in _validate(cii_example).fatal_findings}

    assert ("BR-CL-06" not in rules) is accepted


def test_vatex_codes_are_case_insensitive_as_in_the_standard(testdata_dir):
    data = (testdata_dir / "en16931" / "cii" / "XRechnung-O.xml").read_bytes()
    assert b"vatex-eu-132-1a" in data

    assert validate(data, recipient_check=False).findings == []
    refused = validate(data.replace(b"vatex-eu-132-1a", b"vatex-eu-999"), recipient_check=False)
    assert "BR-CL-22" in {f.rule for f in refused.fatal_findings}


def test_an_element_outside_en16931_is_a_warning_for_plain_cii(cii_example):
    number = cii_example.xpath("rsm:ExchangedDocument/ram:ID", namespaces=NS)[0]
    name = etree.Element(f"{{{RAM}}}Name")
    name.text = "Facture"
    number.addnext(name)

    report = _validate(cii_example)

    assert report.valid
    assert [(f.rule, f.severity) for f in report.findings] == [("XSD-EN16931", "warning")]
    assert "Name" in report.findings[0].message_fr
