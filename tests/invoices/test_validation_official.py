"""The official examples: EN 16931 (UBL, CII) and Factur-X samples, through the pipeline."""

import pytest

from invoices.formats.detect import (
    BASIC,
    BASIC_WL,
    EN16931,
    EXTENDED,
    EXTENDED_CTC_FR,
    MINIMUM,
    XRECHNUNG,
)
from invoices.validation import schematron, validate
from invoices.validation.codelists import official_code_lists

# The plain CII examples the Factur-X EN16931 profile restrictions would refuse (guideline
# identifier, code list versions, cardinalities) although EN 16931 accepts them.
CII_BEYOND_FACTURX = [
    "CII-BR-CO-10-RoundingIssue.xml",
    "CII_business_example_02.xml",
    "CII_business_example_Z.xml",
    "XRechnung-O.xml",
]


def _examples(testdata_dir):
    folder = testdata_dir / "en16931"
    return sorted(
        path
        for pattern in ("ubl/*.xml", "ubl/*.XML", "ubl/testfiles/*.xml", "cii/*.xml")
        for path in folder.glob(pattern)
    )


def test_every_official_example_is_valid(testdata_dir):
    examples = _examples(testdata_dir)
    assert len(examples) == 63
    for path in examples:
        report = validate(path.read_bytes(), filename=path.name, recipient_check=False)
        assert report.findings == [], (path.name, report.findings[:3])
        assert report.format in ("ubl", "cii")
        assert report.stages_run == ["reading", "detection", "xsd", "schematron", "canonical"]


@pytest.mark.parametrize("name", CII_BEYOND_FACTURX)
def test_plain_cii_is_judged_by_en16931_not_by_facturx(testdata_dir, name):
    data = (testdata_dir / "en16931" / "cii" / name).read_bytes()

    report = validate(data, filename=name, recipient_check=False)

    assert (report.format, report.valid, report.findings) == ("cii", True, [])
    as_facturx = schematron.run(schematron.FACTURX_EN16931, data)
    assert any(f.is_fatal and f.rule.startswith("FX-SCH-A-") for f in as_facturx)


FACTURX_EXPECTED = {
    "ferd-1.08/MINIMUM_Rechnung_fx.pdf": MINIMUM,
    "ferd-1.08/BASIC-WL_Einfach_fx.pdf": BASIC_WL,
    "ferd-1.08/BASIC_Einfach_fx.pdf": BASIC,
    "ferd-1.08/BASIC_Rechnungskorrektur_fx.pdf": BASIC,
    "ferd-1.08/EN16931_Einfach_fx.pdf": EN16931,
    "ferd-1.08/EN16931_Elektron_Anlage_XML_fx.pdf": EN16931,
    "ferd-1.08/EN16931_Gutschrift_fx.pdf": EN16931,
    "ferd-1.08/EN16931_Rabatte_fx.pdf": EN16931,
    "ferd-1.08/EXTENDED_Fremdwaehrung_fx.pdf": EXTENDED,
    "ferd-1.08/EXTENDED_Warenrechnung_fx.pdf": EXTENDED,
    "other/akretion_invoice_EN16931_fr.pdf": EN16931,  # its XML starts with a BOM
    "other/mustang_validAvoir_FR_type380_BASICWL.pdf": BASIC_WL,
}


@pytest.mark.parametrize("name,profile", FACTURX_EXPECTED.items())
def test_facturx_sample_is_valid_for_its_own_profile(testdata_dir, name, profile):
    report = validate((testdata_dir / "facturx" / name).read_bytes(), recipient_check=False)

    assert (report.format, report.profile) == ("facturx", profile)
    assert report.valid, report.fatal_findings[:3]


@pytest.mark.parametrize("name", ["MINIMUM_Rechnung.xml", "BASIC-WL_Einfach.xml"])
def test_minimum_and_basic_wl_are_not_full_en16931_invoices(testdata_dir, name):
    xml = (testdata_dir / "facturx" / "ferd-1.08" / name).read_bytes()

    assert validate(xml, recipient_check=False).valid
    assert "BR-16" in {f.rule for f in schematron.check_en16931(xml, "cii") if f.is_fatal}


def test_facturx_xml_alone_is_judged_by_its_profile(testdata_dir):
    xml = (testdata_dir / "facturx" / "ferd-1.08" / "BASIC-WL_Einfach.xml").read_bytes()

    report = validate(xml, recipient_check=False)

    assert (report.format, report.profile, report.valid) == ("facturx", BASIC_WL, True)


def test_xrechnung_pdf_is_judged_by_en16931_and_breaks_cii_sr_465(testdata_dir):
    # FeRD's XRechnung sample names its seller contact by person and by department at once,
    # which EN 16931 (CII-SR-465) refuses: one BT-41 only.
    pdf = (testdata_dir / "facturx" / "ferd-1.08" / "XRECHNUNG_Einfach_fx.pdf").read_bytes()

    report = validate(pdf, recipient_check=False)

    assert (report.format, report.profile) == ("facturx", XRECHNUNG)
    assert [(f.rule, f.severity) for f in report.findings] == [("CII-SR-465", "fatal")]
    assert "ApplicableHeaderTradeAgreement" in report.findings[0].location


def test_zugferd1_pdf_is_refused_with_its_own_message(testdata_dir):
    pdf = (testdata_dir / "facturx" / "other" / "mustang_zugferd1_basic_invoice.pdf").read_bytes()

    report = validate(pdf, recipient_check=False)

    assert report.format is None
    assert [f.rule for f in report.findings] == ["DETECT-ZUGFERD1"]
    assert "ZUGFeRD 1.0" in report.findings[0].message_fr
    assert "Factur-X" in report.findings[0].message_fr


def test_pdf_without_invoice_xml_is_refused_with_its_own_message(testdata_dir):
    path = testdata_dir / "facturx" / "other" / "mustang_NEGATIVE_plain_pdfa1_no_xml.pdf"

    report = validate(path.read_bytes(), recipient_check=False)

    assert report.format is None
    assert [f.rule for f in report.findings] == ["READ-PDF-NO-XML"]
    assert "factur-x.xml" in report.findings[0].message_fr


def test_the_official_code_lists_are_read_from_the_stylesheet():
    lists = official_code_lists()

    assert {"EUR", "USD"} <= lists["BR-CL-04"].codes
    assert {"380", "381", "389"} <= lists["BR-CL-01"].codes
    assert "VATEX-EU-132-1A" in lists["BR-CL-22"].codes
    assert lists["BR-CL-24"].codes >= {"application/pdf", "text/csv"}


def test_extended_ctc_fr_is_judged_by_its_own_schema_and_stylesheet(testdata_dir):
    xml = (testdata_dir / "facturx" / "ferd-1.08" / "EXTENDED_Warenrechnung.xml").read_bytes()
    as_ctc_fr = xml.replace(
        b"#conformant#urn:factur-x.eu:1p0:extended",
        b"#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr",
    )
    assert as_ctc_fr != xml

    extended = validate(xml, recipient_check=False)
    report = validate(as_ctc_fr, recipient_check=False)

    assert (extended.profile, extended.findings) == (EXTENDED, [])
    assert (report.format, report.profile, report.valid) == ("facturx", EXTENDED_CTC_FR, True)
    # The French stylesheet warns about what EN 16931 does not carry; EXTENDED's does not.
    assert {f.rule for f in report.findings} >= {"CII-SR-002", "CII-SR-154"}
    assert {f.severity for f in report.findings} == {"warning"}


def test_refusals_name_the_received_file(testdata_dir):
    pdf = (testdata_dir / "facturx" / "other" / "mustang_zugferd1_basic_invoice.pdf").read_bytes()

    report = validate(pdf, filename="ancienne.pdf", recipient_check=False)

    assert "« ancienne.pdf »" in report.findings[0].message_fr
    assert "'ancienne.pdf'" in report.findings[0].message_en
