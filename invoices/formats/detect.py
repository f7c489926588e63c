"""What was received: UBL, CII or a Factur-X / ZUGFeRD 2 PDF, and which profile.

The one place that reads received bytes and names what they are; the validation's
reading and detection stages call it and turn its refusals into findings.

- `open_document(data, filename=None) -> Document`: safe reading. The size is capped, the
  invoice XML is taken out of a PDF with pypdf (the library factur-x itself uses; an
  embedded file's declared size is checked before it is decompressed) and parsed once with
  `invoices.xmlsafe`. The file name is never trusted: only the bytes decide.
- `classify(document) -> Detected`: the syntax, from the root element, and the profile,
  from the specification identifier (BT-24):
  - a UBL Invoice or CreditNote is UBL;
  - a CII inside a PDF, or a bare CII whose BT-24 names a Factur-X level below or beyond
    EN 16931 (MINIMUM, BASIC WL, BASIC, EXTENDED, EXTENDED-CTC-FR), is a Factur-X;
  - any other bare CII (BT-24 urn:cen.eu:en16931:2017, or a CIUS of it such as XRechnung)
    is a plain CII invoice, the EDI syntax.
- `detect(data, filename=None)`: both.

Anything else is refused with `UnsupportedDocument`, whose `code` names the case and whose
French (`message`) and English (`message_en`) texts say what was found and what is accepted.

Profiles are spelled as the Factur-X specification names them: "MINIMUM", "BASIC WL",
"BASIC", "EN16931", "EXTENDED", "EXTENDED-CTC-FR", plus "XRECHNUNG" for that CIUS. A UBL
or CII invoice whose BT-24 names no known profile is judged as EN16931.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from lxml import etree
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PdfStreamError

from invoices import xmlsafe
from invoices.formats import cii, ubl
from invoices.formats.pdfsafety import active_content

UBL = "ubl"
CII = "cii"
FACTURX = "facturx"

# Profiles (levels) of Factur-X / ZUGFeRD 2, and the XRechnung CIUS.
MINIMUM = "MINIMUM"
BASIC_WL = "BASIC WL"
BASIC = "BASIC"
EN16931 = "EN16931"
EXTENDED = "EXTENDED"
EXTENDED_CTC_FR = "EXTENDED-CTC-FR"
XRECHNUNG = "XRECHNUNG"
# Levels that only a Factur-X has: a bare CII naming one of them is a Factur-X's XML.
FACTURX_ONLY_PROFILES = frozenset({MINIMUM, BASIC_WL, BASIC, EXTENDED, EXTENDED_CTC_FR})

EN16931_ID = "urn:cen.eu:en16931:2017"
# Guideline identifiers (BT-24) -> (profile, standard that defines it).
_GUIDELINES = {
    "urn:factur-x.eu:1p0:minimum": (MINIMUM, "Factur-X"),
    "urn:factur-x.eu:1p0:basicwl": (BASIC_WL, "Factur-X"),
    f"{EN16931_ID}#compliant#urn:factur-x.eu:1p0:basic": (BASIC, "Factur-X"),
    EN16931_ID: (EN16931, "Factur-X / EN 16931"),
    f"{EN16931_ID}#conformant#urn:factur-x.eu:1p0:extended": (EXTENDED, "Factur-X"),
    f"{EN16931_ID}#conformant#urn.cpro.gouv.fr:1p0:extended-ctc-fr": (
        EXTENDED_CTC_FR,
        "Factur-X (CTC France)",
    ),
    "urn:zugferd.de:2p0:minimum": (MINIMUM, "ZUGFeRD 2.0"),
    "urn:zugferd.de:2p0:basicwl": (BASIC_WL, "ZUGFeRD 2.0"),
    f"{EN16931_ID}#compliant#urn:zugferd.de:2p0:basic": (BASIC, "ZUGFeRD 2.0"),
    f"{EN16931_ID}#conformant#urn:zugferd.de:2p0:extended": (EXTENDED, "ZUGFeRD 2.0"),
    f"{EN16931_ID}#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0": (
        EN16931,
        "Peppol BIS Billing 3.0",
    ),
}
# The last part of an identifier not in the table above, for the versions it does not list.
_PROFILE_BY_SUFFIX = {
    "minimum": MINIMUM,
    "basicwl": BASIC_WL,
    "basic": BASIC,
    "extended": EXTENDED,
    "extended-ctc-fr": EXTENDED_CTC_FR,
}

# An invoice with its attachments, at most (Chorus Pro's limit); an embedded XML too.
MAX_FILE_BYTES = 120 * 1024 * 1024
# Names under which a hybrid PDF embeds its invoice, in order of preference (lower case):
# Factur-X, ZUGFeRD 1 and 2, XRechnung.
EMBEDDED_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")

ACCEPTED_FR = (
    "formats acceptés : UBL 2.1 (Invoice ou CreditNote), CII D16B (CrossIndustryInvoice), "
    "PDF Factur-X ou ZUGFeRD 2"
)
ACCEPTED_EN = (
    "accepted: UBL 2.1 Invoice or CreditNote, CII D16B CrossIndustryInvoice, "
    "Factur-X or ZUGFeRD 2 PDF"
)
_XML_REFUSALS_EN = {
    "too_large": "is larger than the platform accepts",
    "doctype": "declares a DOCTYPE or entities, refused for security reasons",
    "too_deep": "is nested too deeply",
    "too_many_elements": "holds more XML elements than an invoice may",
    "syntax": "is not well-formed XML",
    "empty": "is an empty XML document",
}


class UnsupportedDocument(ValueError):
    """The document is not an invoice the platform can read."""

    def __init__(self, code: str, message: str, message_en: str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_en = message_en


@dataclass(frozen=True)
class Document:
    """Received bytes, read safely: the invoice XML, parsed, and the PDF it came in if any."""

    xml: bytes  # the invoice XML itself (taken out of the PDF for a Factur-X)
    root: etree._Element
    pdf: bytes | None = None  # the received PDF, for a Factur-X
    embedded_filename: str | None = None  # the XML's name inside the PDF
    filename: str | None = None  # the received file's name, for messages only


@dataclass(frozen=True)
class Detected:
    """What a document is: its syntax and profile, which decide the rules that judge it."""

    syntax: str  # UBL, CII or FACTURX
    profile: str  # one of the profiles above; EN16931 when BT-24 names none known
    root_name: str  # "Invoice", "CreditNote" or "CrossIndustryInvoice"
    specification_id: str  # BT-24 as written, "" when absent
    standard: str | None  # who defines BT-24: "Factur-X", "ZUGFeRD 2.0"... None if unknown
    document: Document

    @property
    def xml(self) -> bytes:
        return self.document.xml

    @property
    def root(self) -> etree._Element:
        return self.document.root

    @property
    def pdf(self) -> bytes | None:
        return self.document.pdf

    @property
    def embedded_filename(self) -> str | None:
        return self.document.embedded_filename


def classify_guideline(specification_id: str | None) -> tuple[str | None, str | None]:
    """(profile, standard) named by a BT-24 value, or (None, None) when it names none known."""
    spec = (specification_id or "").strip()
    if not spec:
        return None, None
    if spec in _GUIDELINES:
        return _GUIDELINES[spec]
    lowered = spec.lower()
    if "xrechnung" in lowered:  # urn:xoev-de:kosit:standard:xrechnung_..., urn:xeinkauf.de:...
        return XRECHNUNG, "XRechnung"
    suffix = lowered.rsplit(":", 1)[-1]
    if suffix in _PROFILE_BY_SUFFIX:
        return _PROFILE_BY_SUFFIX[suffix], "ZUGFeRD" if "zugferd" in lowered else "Factur-X"
    if spec.startswith(EN16931_ID + "#"):
        return EN16931, "EN 16931 (CIUS)"
    return None, None


def detect(data: bytes, filename: str | None = None) -> Detected:
    """Names the syntax and profile of received bytes, or raises UnsupportedDocument."""
    return classify(open_document(data, filename))


def _labels(filename: str | None) -> tuple[str, str]:
    if filename:
        return f"Le fichier « {filename} »", f"The file '{filename}'"
    return "Le fichier", "The file"


def check_size(size: int, filename: str | None = None) -> None:
    """Refuses a file above MAX_FILE_BYTES; called before reading it when its size is known."""
    if size <= MAX_FILE_BYTES:
        return
    label, label_en = _labels(filename)
    raise UnsupportedDocument(
        "too_large",
        f"{label} fait {size} octets, au-delà de la limite de {MAX_FILE_BYTES} octets "
        "(120 Mo, pièces jointes comprises) : allégez les pièces jointes ou déposez-les à part.",
        f"{label_en} is {size} bytes, above the {MAX_FILE_BYTES} bytes limit (120 MB).",
    )


def open_document(data: bytes, filename: str | None = None) -> Document:
    """Reads received bytes safely into a parsed invoice XML, or raises UnsupportedDocument."""
    check_size(len(data), filename)
    label, label_en = _labels(filename)
    head = data[:1024]
    if not data.strip():
        raise UnsupportedDocument("empty", f"{label} est vide.", f"{label_en} is empty.")
    if b"%PDF-" in head:  # a PDF header may follow up to 1 KB of anything
        return _open_pdf(data, filename, label, label_en)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        root = _parse(data, label, label_en)
        return Document(xml=data, root=root, filename=filename)
    raise UnsupportedDocument(
        "not_xml_or_pdf",
        f"{label} n'est ni un document XML ni un PDF ; {ACCEPTED_FR}.",
        f"{label_en} is neither XML nor PDF; {ACCEPTED_EN}.",
    )


def _parse(data: bytes, label: str, label_en: str) -> etree._Element:
    try:
        return xmlsafe.parse(data, max_bytes=MAX_FILE_BYTES)
    except xmlsafe.UnsafeXmlError as exc:
        reason_en = _XML_REFUSALS_EN.get(exc.code, "was refused")
        raise UnsupportedDocument(
            f"xml_{exc.code}",
            f"{label} ne peut pas être lu comme XML : {exc}",
            f"{label_en} {reason_en}.",
        ) from exc


def _root_name(root: etree._Element) -> tuple[str, str]:
    qname = etree.QName(root)
    return qname.localname, qname.namespace or ""


def _is_invoice_root(root: etree._Element) -> bool:
    local, namespace = _root_name(root)
    return (local == "CrossIndustryInvoice" and namespace == cii.RSM) or (
        local == "CrossIndustryDocument"
    )


def _open_pdf(data: bytes, filename: str | None, label: str, label_en: str) -> Document:
    try:
        reader = PdfReader(io.BytesIO(data))
        attachments = {item.name: item for item in reader.attachment_list}
        active = active_content(reader)
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError) as exc:
        raise _pdf_unreadable(exc, label, label_en) from exc
    if active:
        raise active_content_refusal(active, label, label_en)
    by_lower = {name.lower(): name for name in attachments}
    known = [by_lower[name] for name in EMBEDDED_NAMES if name in by_lower]
    others = [name for name in attachments if name.lower().endswith(".xml") and name not in known]
    for name in known + others:
        item = attachments[name]
        inner, inner_en = f"Le fichier {name} joint au PDF", f"The file {name} embedded in the PDF"
        if item.size is not None:  # declared: refuse before decompressing
            check_size(item.size, f"{name} joint au PDF")
        try:
            xml = item.content
        except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError) as exc:
            raise _pdf_unreadable(exc, label, label_en) from exc
        check_size(len(xml), f"{name} joint au PDF")
        root = _parse(xml, inner, inner_en)
        # A known name is the invoice whatever its root (classify refuses a wrong one); any
        # other XML attachment only if it holds an invoice.
        if name in known or _is_invoice_root(root):
            return Document(xml=xml, root=root, pdf=data, embedded_filename=name, filename=filename)
    listed = ", ".join(sorted(attachments)) or "aucun"
    listed_en = ", ".join(sorted(attachments)) or "none"
    raise UnsupportedDocument(
        "pdf_without_invoice",
        f"{label} est un PDF sans facture XML intégrée (fichiers joints : {listed}). Un PDF "
        "simple n'est pas une facture électronique : déposez un PDF Factur-X (factur-x.xml "
        f"intégré), ou saisissez la facture sur le portail ; {ACCEPTED_FR}.",
        f"{label_en} is a PDF without an embedded invoice XML (embedded files: "
        f"{listed_en}); {ACCEPTED_EN}.",
    )


def active_content_refusal(found: list[str], label: str, label_en: str) -> UnsupportedDocument:
    listed = ", ".join(found)
    return UnsupportedDocument(
        "pdf_active_content",
        f"{label} contient du contenu actif ({listed}) : JavaScript, actions de lancement "
        "de programme et fichiers exécutables intégrés sont interdits par PDF/A et ne sont "
        "jamais transmis au destinataire. Régénérez le PDF sans eux depuis votre logiciel de "
        "facturation.",
        f"{label_en} holds active content ({listed}): JavaScript, launch actions and "
        "embedded executables are forbidden by PDF/A.",
    )


def _pdf_unreadable(exc: Exception, label: str, label_en: str) -> UnsupportedDocument:
    return UnsupportedDocument(
        "pdf_unreadable",
        f"{label} est un PDF illisible ou endommagé ({exc}) : "
        "régénérez-le depuis votre logiciel de facturation.",
        f"{label_en} is an unreadable or damaged PDF ({exc}).",
    )


def classify(document: Document) -> Detected:
    """Names the syntax and profile of a safely read document, or raises UnsupportedDocument."""
    root = document.root
    local, namespace = _root_name(root)
    if (local, namespace) in (("Invoice", ubl.INVOICE_NS), ("CreditNote", ubl.CREDIT_NOTE_NS)):
        spec = (root.findtext("cbc:CustomizationID", namespaces=ubl.NS) or "").strip()
        profile, standard = classify_guideline(spec)
        return Detected(UBL, profile or EN16931, local, spec, standard, document)
    if local == "CrossIndustryInvoice" and namespace == cii.RSM:
        spec = (
            root.findtext(
                "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/"
                "ram:ID",
                namespaces=cii.NS,
            )
            or ""
        ).strip()
        profile, standard = classify_guideline(spec)
        profile = profile or EN16931
        in_pdf = document.pdf is not None
        syntax = FACTURX if in_pdf or profile in FACTURX_ONLY_PROFILES else CII
        return Detected(syntax, profile, local, spec, standard, document)
    label, label_en = _labels(document.filename)
    if local == "CrossIndustryDocument":
        raise UnsupportedDocument(
            "zugferd1",
            f"{label} est une facture ZUGFeRD 1.0 (élément racine CrossIndustryDocument), "
            "version retirée que la plateforme ne lit plus : produisez-la en Factur-X "
            "(ZUGFeRD 2 ou plus récent, racine CrossIndustryInvoice) ou en UBL ; "
            f"{ACCEPTED_FR}.",
            f"{label_en} is a ZUGFeRD 1.0 invoice (root CrossIndustryDocument), "
            f"a withdrawn version; {ACCEPTED_EN}.",
        )
    found = f"{{{namespace}}}{local}" if namespace else local
    raise UnsupportedDocument(
        "unexpected_root",
        f"{label} n'est pas une facture : son élément racine est {found} ; {ACCEPTED_FR}.",
        f"{label_en} is not an invoice: its root element is {found}; {ACCEPTED_EN}.",
    )
