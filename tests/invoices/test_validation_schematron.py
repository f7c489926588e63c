"""Stage c on hostile documents: the report stays bounded and its locations exact."""

import re

from invoices.formats import write_cii, write_ubl
from invoices.samples import DEFAULT_LINES, french_invoice
from invoices.validation import schematron, validate

_LINE_AMOUNT = re.compile(
    rb"(<cac:InvoiceLine>\s*<cbc:ID>\d+</cbc:ID>\s*<cbc:InvoicedQuantity[^>]*>[^<]*"
    rb'</cbc:InvoicedQuantity>\s*<cbc:LineExtensionAmount currencyID="EUR">)([0-9.]+)<'
)


def _ubl_with_wrong_line_amounts(lines: int) -> bytes:
    """Every line's net amount gets a third decimal: two findings per line."""
    data = write_ubl(french_invoice(lines=DEFAULT_LINES * (lines // len(DEFAULT_LINES))))
    return _LINE_AMOUNT.sub(rb"\g<1>\g<2>1<", data)


def _cii_with_empty_elements(count: int, guideline: bytes | None = None) -> bytes:
    data = write_cii(french_invoice())
    if guideline:
        data = data.replace(b"urn:cen.eu:en16931:2017<", guideline + b"<", 1)
    return data.replace(b"<ram:IncludedNote>", b"<ram:IncludedNote>" + b"<ram:X/>" * count, 1)


def test_locations_number_same_name_siblings():
    findings = schematron.check_en16931(_ubl_with_wrong_line_amounts(8), "ubl")
    amounts = [f.location for f in findings if f.rule == "UBL-DT-01"]
    assert amounts == [
        f"/Invoice[1]/cac:InvoiceLine[{n}]/cbc:LineExtensionAmount[1]" for n in range(1, 9)
    ]


def test_thousands_of_failed_rules_give_a_bounded_report():
    report = validate(_ubl_with_wrong_line_amounts(2000), recipient_check=False)

    assert len(report.findings) == schematron.MAX_FINDINGS + 1
    summary = report.findings[-1]
    assert summary.rule == "SCHEMATRON-MORE" and summary.is_fatal
    assert summary.message_fr.startswith(f"{2 * 2000 + 2 - schematron.MAX_FINDINGS} autres")
    assert "BR-DEC-23, UBL-DT-01" in summary.message_fr


def test_twenty_thousand_empty_elements_in_a_facturx_note_are_reported_boundedly():
    """The Peppol empty-element rule of the Factur-X stylesheet fires on each of them."""
    findings = schematron.run(schematron.FACTURX_EN16931, _cii_with_empty_elements(20_000))

    assert len(findings) == schematron.MAX_FINDINGS + 1
    empties = [f for f in findings if f.rule == "PEPPOL-EN16931-R008"]
    assert empties[-1].location.endswith(f"ram:IncludedNote[1]/ram:X[{len(empties)}]")
    assert findings[-1].rule == "SCHEMATRON-MORE" and not findings[-1].is_fatal


def test_a_plain_cii_keeps_its_standard_findings_however_many_peppol_ones_precede():
    data = re.sub(
        rb"<ram:LineTotalAmount>[0-9.]+<",
        b"<ram:LineTotalAmount>1.00<",
        _cii_with_empty_elements(5_000),
    )

    report = validate(data, recipient_check=False)

    rules = {f.rule for f in report.findings}
    assert "BR-CO-10" in rules  # after 5,000 dropped Peppol findings, not lost among them
    assert not any(rule.startswith("PEPPOL") for rule in rules)
