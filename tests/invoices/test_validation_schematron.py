"""Stage c on hostile documents: the report stays bounded and its locations exact."""

import re

from invoices.samples import cii_with_empty_elements, ubl_with_wrong_line_amounts
from invoices.validation import reading, schematron, validate


def test_locations_number_same_name_siblings():
    findings = schematron.check_en16931(ubl_with_wrong_line_amounts(8), "ubl")
    amounts = [f.location for f in findings if f.rule == "UBL-DT-01"]
    assert amounts == [
        f"/Invoice[1]/cac:InvoiceLine[{n}]/cbc:LineExtensionAmount[1]" for n in range(1, 9)
    ]


def test_thousands_of_failed_rules_give_a_bounded_report():
    report = validate(ubl_with_wrong_line_amounts(2000), recipient_check=False)

    assert len(report.findings) == schematron.MAX_FINDINGS + 1
    summary = report.findings[-1]
    assert summary.rule == "SCHEMATRON-MORE" and summary.is_fatal
    assert summary.message_fr.startswith(f"{2 * 2000 + 2 - schematron.MAX_FINDINGS} autres")
    assert "BR-DEC-23, UBL-DT-01" in summary.message_fr


def test_twenty_thousand_empty_elements_in_a_facturx_note_are_reported_boundedly():
    """The Peppol empty-element rule of the Factur-X stylesheet fires on each of them."""
    findings = schematron.run(schematron.FACTURX_EN16931, cii_with_empty_elements(20_000))

    assert len(findings) == schematron.MAX_FINDINGS + 1
    empties = [f for f in findings if f.rule == "PEPPOL-EN16931-R008"]
    assert empties[-1].location.endswith(f"ram:IncludedNote[1]/ram:X[{len(empties)}]")
    assert findings[-1].rule == "SCHEMATRON-MORE" and not findings[-1].is_fatal


def test_a_plain_cii_keeps_its_standard_findings_however_many_peppol_ones_precede():
    data = re.sub(
        rb"<ram:LineTotalAmount>[0-9.]+<",
        b"<ram:LineTotalAmount>1.00<",
        cii_with_empty_elements(5_000),
    )

    rules = {f.rule for f in schematron.check_en16931(data, "cii")}
    assert "BR-CO-10" in rules  # after 5,000 dropped Peppol findings, not lost among them
    assert not any(rule.startswith("PEPPOL") for rule in rules)


def test_thousands_of_empty_elements_are_refused_before_the_schematron(settings):
    report = validate(cii_with_empty_elements(20_000), recipient_check=False)

    assert [f.rule for f in report.findings] == ["READ-EMPTY-ELEMENTS"]
    assert "20000 éléments vides" in report.findings[0].message_fr
    assert report.findings[0].location.endswith("ram:IncludedNote/ram:X[1]")
    assert report.stages_run == ["reading", "detection"]
    few = validate(cii_with_empty_elements(reading.MAX_EMPTY_ELEMENTS), recipient_check=False)
    assert "READ-EMPTY-ELEMENTS" not in {f.rule for f in few.findings}
