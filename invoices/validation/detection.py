"""Which standard judges the document: its syntax (UBL or CII) and, for a Factur-X, its profile.

This is the validation's own reading of the root element and of the specification
identifier (BT-24), because it decides which schema and which Schematron apply:
- a UBL Invoice or CreditNote is judged by EN 16931 (UBL);
- a CII document inside a PDF, or a CII whose BT-24 names a Factur-X profile (MINIMUM,
  BASIC WL, BASIC, EXTENDED), is a Factur-X judged by its own profile;
- any other CII (BT-24 urn:cen.eu:en16931:2017, or a CIUS of it such as XRechnung) is a
  plain CII invoice, an EDI flow, judged by EN 16931 (CII) alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .findings import Finding, Severity

STAGE = "detection"

UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM_NS = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ZUGFERD1_ROOT = "CrossIndustryDocument"

# Factur-X profiles, as named in the last part of the guideline identifier (BT-24).
MINIMUM, BASIC_WL, BASIC, EN16931, EXTENDED, XRECHNUNG = (
    "MINIMUM",
    "BASIC WL",
    "BASIC",
    "EN16931",
    "EXTENDED",
    "XRECHNUNG",
)
_PROFILE_BY_SUFFIX = {
    "minimum": MINIMUM,
    "basicwl": BASIC_WL,
    "basic": BASIC,
    "extended": EXTENDED,
}
# Profiles that are not full EN 16931 invoices, or only "conformant" ones (EXTENDED):
# checked against their own profile's rules only.
FACTURX_OWN_RULES_ONLY = frozenset({MINIMUM, BASIC_WL, EXTENDED})


@dataclass(frozen=True)
class Detected:
    format: str  # "ubl", "cii" or "facturx"
    profile: str  # a Factur-X profile above, or EN16931 for UBL and plain CII
    document: str  # root element: "Invoice", "CreditNote" or "CrossIndustryInvoice"
    specification_id: str = ""  # BT-24 as written


def _refusal(rule: str, message_fr: str, message_en: str) -> Finding:
    return Finding(
        rule=rule,
        severity=Severity.FATAL,
        message_fr=message_fr,
        message_en=message_en,
        location="/",
        stage=STAGE,
    )


def profile_of(specification_id: str) -> str:
    """The profile a guideline identifier names (BT-24): Factur-X level, XRechnung or EN16931."""
    text = specification_id.strip().lower()
    if "xrechnung" in text:
        return XRECHNUNG
    last = text.rsplit(":", 1)[-1]
    return _PROFILE_BY_SUFFIX.get(last, EN16931)


def detect(
    root: etree._Element, *, container: str = "xml"
) -> tuple[Detected | None, list[Finding]]:
    """Detects the format and profile of a parsed invoice; a finding when it is not one."""
    namespace = etree.QName(root).namespace
    local = etree.QName(root).localname
    if (
        namespace == UBL_INVOICE_NS
        and local == "Invoice"
        or (namespace == UBL_CREDIT_NOTE_NS and local == "CreditNote")
    ):
        spec = root.findtext(f"{{{CBC_NS}}}CustomizationID") or ""
        return Detected("ubl", EN16931, local, spec.strip()), []
    if namespace == CII_NS and local == "CrossIndustryInvoice":
        spec = (
            root.findtext(
                f"{{{CII_NS}}}ExchangedDocumentContext/"
                f"{{{RAM_NS}}}GuidelineSpecifiedDocumentContextParameter/{{{RAM_NS}}}ID"
            )
            or ""
        ).strip()
        profile = profile_of(spec)
        is_facturx = container == "pdf" or profile in _PROFILE_BY_SUFFIX.values()
        return Detected("facturx" if is_facturx else "cii", profile, local, spec), []
    if local == ZUGFERD1_ROOT:
        return None, [
            _refusal(
                "DETECT-ZUGFERD1",
                "Ce document est au format ZUGFeRD 1.0 (racine CrossIndustryDocument), qui "
                "n'est plus accepté : produisez une facture Factur-X (ZUGFeRD 2 ou plus "
                "récent, racine CrossIndustryInvoice) ou une facture UBL.",
                "This is a ZUGFeRD 1.0 document (root CrossIndustryDocument), no longer "
                "accepted: send a Factur-X (ZUGFeRD 2 or later) or a UBL invoice.",
            )
        ]
    return None, [
        _refusal(
            "DETECT-FORMAT",
            f"Le document n'est pas une facture reconnue (élément racine {local}, espace de "
            f"noms {namespace or 'aucun'}) : déposez une facture UBL 2.1 (Invoice ou "
            "CreditNote), CII D16B (CrossIndustryInvoice) ou Factur-X.",
            f"The document is not a recognised invoice (root element {local}, namespace "
            f"{namespace or 'none'}): send UBL 2.1, CII D16B or Factur-X.",
        )
    ]
