"""Stage a: safe reading. Size caps, the invoice XML out of a Factur-X PDF, hardened parsing.

Everything here refuses early and cheaply: a file is measured before it is read (see
`read_file`), an embedded file's declared size is checked before it is decompressed, and
the XML goes through `invoices.xmlsafe` (no DTD, no entities, no network, depth capped).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from invoices import xmlsafe

from .findings import Finding, Severity

STAGE = "reading"
MAX_FILE_BYTES = 120 * 1024 * 1024  # an invoice with its attachments, at most (Chorus Pro)
MAX_XML_BYTES = xmlsafe.MAX_XML_BYTES
# Names under which an invoice is embedded in a hybrid PDF (lower case): Factur-X,
# ZUGFeRD 1 and 2, XRechnung.
EMBEDDED_INVOICE_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")

_XML_REFUSALS = {
    "too_large": "The XML document is larger than the platform accepts.",
    "doctype": "The XML document declares a DOCTYPE or entities, refused for security reasons.",
    "too_deep": "The XML document is nested too deeply.",
    "syntax": "The XML document is not well-formed.",
    "empty": "The XML document is empty.",
}


@dataclass
class ReadDocument:
    """The invoice XML, parsed, and where it came from."""

    xml: bytes  # the invoice XML itself (extracted from the PDF for a Factur-X)
    root: etree._Element
    container: str  # "xml" or "pdf"
    embedded_name: str | None = None  # the XML's name inside the PDF


def refusal(rule: str, message_fr: str, message_en: str, location: str = "") -> Finding:
    return Finding(
        rule=rule,
        severity=Severity.FATAL,
        message_fr=message_fr,
        message_en=message_en,
        location=location,
        stage=STAGE,
    )


def too_large(size: int) -> Finding:
    return refusal(
        "READ-SIZE",
        f"Le fichier fait {size} octets, au-delà de la limite de {MAX_FILE_BYTES} octets "
        "(120 Mo, pièces jointes comprises) : allégez les pièces jointes ou déposez-les à part.",
        f"The file is {size} bytes, above the {MAX_FILE_BYTES} bytes limit (120 MB).",
    )


def read_file(path: Path) -> tuple[bytes | None, list[Finding]]:
    """The file's bytes, or a finding when it is too large: measured before being read."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, [too_large(size)]
    return path.read_bytes(), []


def read(data: bytes) -> tuple[ReadDocument | None, list[Finding]]:
    """Reads an invoice: XML bytes, or a PDF carrying its XML (Factur-X)."""
    if len(data) > MAX_FILE_BYTES:
        return None, [too_large(len(data))]
    if data.lstrip()[:5] == b"%PDF-":
        xml, name, findings = _xml_from_pdf(data)
        if xml is None:
            return None, findings
        root, findings = parse_xml(xml)
        if root is None:
            return None, findings
        return ReadDocument(xml=xml, root=root, container="pdf", embedded_name=name), []
    root, findings = parse_xml(data)
    if root is None:
        return None, findings
    return ReadDocument(xml=data, root=root, container="xml"), []


def parse_xml(data: bytes) -> tuple[etree._Element | None, list[Finding]]:
    try:
        return xmlsafe.parse(data, max_bytes=MAX_XML_BYTES), []
    except xmlsafe.UnsafeXmlError as exc:
        return None, [
            refusal(
                f"READ-XML-{exc.code.upper().replace('_', '-')}",
                str(exc),
                _XML_REFUSALS.get(exc.code, "The XML document was refused."),
            )
        ]


def _xml_from_pdf(data: bytes) -> tuple[bytes | None, str | None, list[Finding]]:
    try:
        reader = PdfReader(io.BytesIO(data))
        embedded = {item.name.lower(): item for item in reader.attachment_list}
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        return (
            None,
            None,
            [
                refusal(
                    "READ-PDF",
                    f"Le PDF est illisible ({exc}) : régénérez-le avec votre logiciel de "
                    "facturation.",
                    f"The PDF cannot be read ({exc}).",
                )
            ],
        )
    for name in EMBEDDED_INVOICE_NAMES:
        item = embedded.get(name)
        if item is None:
            continue
        declared = item.size
        if declared is not None and declared > MAX_XML_BYTES:
            return None, item.name, [too_large(declared)]
        content = item.content
        if len(content) > MAX_XML_BYTES:
            return None, item.name, [too_large(len(content))]
        return content, item.name, []
    found = ", ".join(sorted(embedded)) or "aucun"
    return (
        None,
        None,
        [
            refusal(
                "READ-PDF-NO-XML",
                "Ce PDF ne contient pas de facture structurée : un Factur-X embarque son XML "
                f"sous le nom factur-x.xml (fichiers joints trouvés : {found}). Déposez une "
                "facture Factur-X, UBL ou CII, ou saisissez la facture sur le portail.",
                "This PDF carries no structured invoice: a Factur-X embeds its XML as "
                f"factur-x.xml (embedded files found: {found}).",
            )
        ],
    )
