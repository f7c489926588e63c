"""What was received: UBL, CII or a Factur-X / ZUGFeRD 2 PDF, and which profile.

`detect(data, filename=None) -> Detected` looks at the bytes (never trusts the file name),
takes the invoice XML out of a PDF with pypdf (the library factur-x itself uses), parses it
with `invoices.xmlsafe`, and names the syntax and the profile. Anything else is refused
with `UnsupportedDocument`, whose `code` names the case and whose French (`message`) and
English (`message_en`) texts say what was found and what is accepted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from lxml import etree
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PdfStreamError

from invoices import xmlsafe
from invoices.formats import cii, ubl

UBL = "ubl"
CII = "cii"
FACTURX = "facturx"

# Profiles (levels) of Factur-X / ZUGFeRD 2, and the XRechnung CIUS.
MINIMUM = "MINIMUM"
BASICWL = "BASICWL"
BASIC = "BASIC"
EN16931 = "EN16931"
EXTENDED = "EXTENDED"
EXTENDED_CTC_FR = "EXTENDED-CTC-FR"
XRECHNUNG = "XRECHNUNG"

EN16931_ID = "urn:cen.eu:en16931:2017"
# Guideline identifiers (BT-24) -> (level, standard that defines it).
_GUIDELINES = {
    "urn:factur-x.eu:1p0:minimum": (MINIMUM, "Factur-X"),
    "urn:factur-x.eu:1p0:basicwl": (BASICWL, "Factur-X"),
    f"{EN16931_ID}#compliant#urn:factur-x.eu:1p0:basic": (BASIC, "Factur-X"),
    EN16931_ID: (EN16931, "Factur-X / EN 16931"),
    f"{EN16931_ID}#conformant#urn:factur-x.eu:1p0:extended": (EXTENDED, "Factur-X"),
    f"{EN16931_ID}#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr": (
        EXTENDED_CTC_FR,
        "Factur-X (CTC France)",
    ),
    "urn:zugferd.de:2p0:minimum": (MINIMUM, "ZUGFeRD 2.0"),
    "urn:zugferd.de:2p0:basicwl": (BASICWL, "ZUGFeRD 2.0"),
    f"{EN16931_ID}#compliant#urn:zugferd.de:2p0:basic": (BASIC, "ZUGFeRD 2.0"),
    f"{EN16931_ID}#conformant#urn:zugferd.de:2p0:extended": (EXTENDED, "ZUGFeRD 2.0"),
    f"{EN16931_ID}#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0": (
        EN16931,
        "Peppol BIS Billing 3.0",
    ),
}
_XRECHNUNG_MARKERS = ("urn:xoev-de:kosit:standard:xrechnung", "urn:xeinkauf.de:kosit:xrechnung")

# Names under which a hybrid PDF embeds its invoice, in order of preference (lower case).
EMBEDDED_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")

ACCEPTED_FR = (
    "formats acceptés : UBL 2.1 (Invoice ou CreditNote), CII D16B (CrossIndustryInvoice), "
    "PDF Factur-X ou ZUGFeRD 2"
)
ACCEPTED_EN = (
    "accepted: UBL 2.1 Invoice or CreditNote, CII D16B CrossIndustryInvoice, "
    "Factur-X or ZUGFeRD 2 PDF"
)


class UnsupportedDocument(ValueError):
    """The document is not an invoice the platform can read."""

    def __init__(self, code: str, message: str, message_en: str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_en = message_en


@dataclass
class Detected:
    syntax: str  # UBL, CII or FACTURX
    # Factur-X: the level (MINIMUM ... EXTENDED, XRECHNUNG); UBL / CII: BT-24 as written.
    profile: str | None
    level: str | None  # the named level whatever the syntax, None when BT-24 names none
    standard: str | None  # who defines BT-24: "Factur-X", "ZUGFeRD 2.0", "XRechnung"...
    specification_id: str | None  # BT-24 as written
    xml: bytes
    root: etree._Element
    pdf: bytes | None = None
    embedded_filename: str | None = None


def classify_guideline(specification_id: str | None) -> tuple[str | None, str | None]:
    """(level, standard) named by a BT-24 value, or (None, None) when it names none known."""
    if not specification_id:
        return None, None
    if specification_id in _GUIDELINES:
        return _GUIDELINES[specification_id]
    if any(marker in specification_id for marker in _XRECHNUNG_MARKERS):
        return XRECHNUNG, "XRechnung"
    if specification_id.startswith(EN16931_ID + "#"):
        return EN16931, "EN 16931 (CIUS)"
    return None, None


def detect(data: bytes, filename: str | None = None) -> Detected:
    """Names the syntax and profile of received bytes, or raises UnsupportedDocument."""
    label = f"Le fichier « {filename} »" if filename else "Le fichier"
    label_en = f"The file '{filename}'" if filename else "The file"
    head = data[:1024]
    if not data.strip():
        raise UnsupportedDocument("empty", f"{label} est vide.", f"{label_en} is empty.")
    if b"%PDF-" in head:
        return _detect_pdf(data, label, label_en)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        root = _parse(data, label, label_en)
        return _detect_xml(data, root, label, label_en)
    raise UnsupportedDocument(
        "not_xml_or_pdf",
        f"{label} n'est ni un document XML ni un PDF ; {ACCEPTED_FR}.",
        f"{label_en} is neither XML nor PDF; {ACCEPTED_EN}.",
    )


def _parse(data: bytes, label: str, label_en: str) -> etree._Element:
    try:
        return xmlsafe.parse(data)
    except xmlsafe.UnsafeXmlError as exc:
        raise UnsupportedDocument(
            f"xml_{exc.code}",
            f"{label} ne peut pas être lu comme XML : {exc}",
            f"{label_en} cannot be read as XML ({exc.code}).",
        ) from exc


def _root_name(root: etree._Element) -> tuple[str, str]:
    qname = etree.QName(root)
    return qname.localname, qname.namespace or ""


def _detect_xml(
    data: bytes, root: etree._Element, label: str, label_en: str, *, in_pdf: bool = False
) -> Detected:
    local, namespace = _root_name(root)
    if (local, namespace) in (("Invoice", ubl.INVOICE_NS), ("CreditNote", ubl.CREDIT_NOTE_NS)):
        spec = root.findtext("cbc:CustomizationID", namespaces=ubl.NS)
        spec = spec.strip() if spec else None
        level, standard = classify_guideline(spec)
        return Detected(UBL, spec, level, standard, spec, data, root)
    if local == "CrossIndustryInvoice" and namespace == cii.RSM:
        spec = root.findtext(
            "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
            namespaces=cii.NS,
        )
        spec = spec.strip() if spec else None
        level, standard = classify_guideline(spec)
        if in_pdf:
            return Detected(FACTURX, level, level, standard, spec, data, root)
        return Detected(CII, spec, level, standard, spec, data, root)
    if local == "CrossIndustryDocument":
        raise UnsupportedDocument(
            "zugferd1",
            f"{label} est une facture ZUGFeRD 1.0 (élément racine "
            "CrossIndustryDocument), version retirée que la plateforme ne lit pas : "
            f"envoyez-la en Factur-X ou ZUGFeRD 2 ; {ACCEPTED_FR}.",
            f"{label_en} is a ZUGFeRD 1.0 invoice (root CrossIndustryDocument), "
            f"a withdrawn version; {ACCEPTED_EN}.",
        )
    found = f"{{{namespace}}}{local}" if namespace else local
    raise UnsupportedDocument(
        "unexpected_root",
        f"{label} n'est pas une facture : son élément racine est {found} ; {ACCEPTED_FR}.",
        f"{label_en} is not an invoice: its root element is {found}; {ACCEPTED_EN}.",
    )


def _detect_pdf(data: bytes, label: str, label_en: str) -> Detected:
    try:
        attachments = PdfReader(io.BytesIO(data)).attachments
        embedded = {name: contents for name, contents in attachments.items() if contents}
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError) as exc:
        raise UnsupportedDocument(
            "pdf_unreadable",
            f"{label} est un PDF illisible ou endommagé ({exc}) : "
            "régénérez-le depuis votre logiciel de facturation.",
            f"{label_en} is an unreadable or damaged PDF ({exc}).",
        ) from exc
    by_lower = {name.lower(): name for name in embedded}
    candidates = [by_lower[name] for name in EMBEDDED_NAMES if name in by_lower]
    candidates += [n for n in embedded if n.lower().endswith(".xml") and n not in candidates]
    for name in candidates:
        xml = embedded[name][0]
        root = _parse(
            xml, f"Le fichier {name} joint au PDF", f"The file {name} embedded in the PDF"
        )
        local, namespace = _root_name(root)
        is_invoice = (local == "CrossIndustryInvoice" and namespace == cii.RSM) or (
            local == "CrossIndustryDocument"
        )
        if is_invoice or name.lower() in EMBEDDED_NAMES:
            detected = _detect_xml(xml, root, label, label_en, in_pdf=True)
            detected.pdf = data
            detected.embedded_filename = name
            return detected
    listed = ", ".join(sorted(embedded)) or "aucun"
    listed_en = ", ".join(sorted(embedded)) or "none"
    raise UnsupportedDocument(
        "pdf_without_invoice",
        f"{label} est un PDF sans facture XML intégrée (fichiers joints : "
        f"{listed}). Un PDF simple n'est pas une facture électronique : déposez un PDF "
        f"Factur-X (factur-x.xml intégré) ; {ACCEPTED_FR}.",
        f"{label_en} is a PDF without an embedded invoice XML (embedded files: "
        f"{listed_en}); {ACCEPTED_EN}.",
    )
