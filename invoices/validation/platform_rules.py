"""Stage d: the platform's own rules (CPP-xxx), checked against the directory.

They judge a canonical invoice (read from a document that passed stages a to c) against
what the platform knows: the recipient, its services and engagements juridiques, the
depositing structure, the invoices already received. Like the real platform, a message
quotes the XML path of the element concerned and says how to put it right.

Rules:
- CPP-001 the recipient (buyer) is identified by its SIRET;
- CPP-002 the recipient is a public structure of the directory, CPP-003 an active one;
- CPP-004 a service code (BT-10) is present when the recipient requires it;
- CPP-005 a service code names an active service of the recipient;
- CPP-006 an engagement juridique (BT-13) is present when the recipient or the service
  requires it; CPP-007 an EJ or a service code when the recipient requires one of them;
- CPP-008 an EJ has at most 50 characters;
- CPP-009 an EJ is known for the recipient when its EJs are managed in the directory
  (the structure has EJs there);
- CPP-010 the seller is the depositing structure;
- CPP-011 no duplicate: same supplier, same number, same year (`already_deposited`);
- CPP-012 a credit note references the invoice it corrects (BT-25);
- CPP-013 each attachment is at most 10 MB; CPP-014 its name has at most 50 characters
  and an allowed extension; CPP-015 attachments total at most 120 MB.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from chorus.models import EngagementJuridique, Structure
from invoices import canonical as c
from invoices.formats.detect import Detected
from invoices.models import Invoice

from .findings import Finding, Severity

STAGE = "platform"

EJ_MAX_LENGTH = 50
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_NAME_MAX_LENGTH = 50
ATTACHMENTS_TOTAL_MAX_BYTES = 120 * 1024 * 1024
ALLOWED_ATTACHMENT_EXTENSIONS = frozenset(
    [
        "bmp",
        "gif",
        "fax",
        "odt",
        "ppt",
        "tiff",
        "xls",
        "bz2",
        "gz",
        "jpeg",
        "p7s",
        "rtf",
        "txt",
        "xml",
        "csv",
        "gzip",
        "jpg",
        "pdf",
        "svg",
        "xhtml",
        "xlsx",
        "doc",
        "htm",
        "odp",
        "png",
        "tgz",
        "xlc",
        "zip",
        "docx",
        "html",
        "ods",
        "pps",
        "tif",
        "xlm",
        "pptx",
    ]
)

_CII_AGREEMENT = (
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
)
_CII_SETTLEMENT = (
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
)
# Where each element sits: CII absolute paths, UBL paths below the root element.
PATHS = {
    "buyer_id": {
        "cii": f"{_CII_AGREEMENT}/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
        "ubl": "cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID",
    },
    "seller_id": {
        "cii": f"{_CII_AGREEMENT}/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
        "ubl": "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID",
    },
    "service_code": {
        "cii": f"{_CII_AGREEMENT}/ram:BuyerReference",
        "ubl": "cbc:BuyerReference",
    },
    "ej": {
        "cii": f"{_CII_AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",
        "ubl": "cac:OrderReference/cbc:ID",
    },
    "number": {
        "cii": "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/ram:ID",
        "ubl": "cbc:ID",
    },
    "preceding_invoice": {
        "cii": f"{_CII_SETTLEMENT}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
        "ubl": "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID",
    },
    "attachment": {
        "cii": f"{_CII_AGREEMENT}/ram:AdditionalReferencedDocument/ram:AttachmentBinaryObject",
        "ubl": "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
    },
}


@dataclass(frozen=True)
class Context:
    """What the rules need besides the invoice."""

    detected: Detected
    depositor: Structure | None = None
    today: datetime.date | None = None

    def path(self, element: str) -> str:
        syntax = "ubl" if self.detected.syntax == "ubl" else "cii"
        path = PATHS[element][syntax]
        return path if syntax == "cii" else f"/{self.detected.root_name}/{path}"


def short(path: str) -> str:
    """The end of a path, as the platform quotes it: …Parent/Element."""
    steps = [step.split(":")[-1] for step in path.split("/") if step]
    return "…" + "/".join(steps[-2:])


def _fatal(rule: str, location: str, message_fr: str, message_en: str, bt: str | None) -> Finding:
    return Finding(
        rule=rule,
        severity=Severity.FATAL,
        message_fr=message_fr,
        message_en=message_en,
        location=location,
        bt=bt,
        stage=STAGE,
    )


def check(
    invoice: c.Invoice,
    context: Context,
    *,
    is_duplicate: Callable[[c.Invoice, Structure | None], bool] | None = None,
) -> list[Finding]:
    """Every CPP rule; `is_duplicate` answers CPP-011 (skipped when not given)."""
    findings = _recipient_rules(invoice, context)
    findings += _seller_rules(invoice, context)
    if is_duplicate is not None and is_duplicate(invoice, context.depositor):
        findings.append(duplicate_finding(invoice, context))
    findings += document_rules(invoice, context)
    return findings


def duplicate_finding(invoice: c.Invoice, context: Context) -> Finding:
    """CPP-011, also raised when the database refuses a concurrent deposit of the same number."""
    path = context.path("number")
    return _fatal(
        "CPP-011",
        path,
        f"La facture n° {invoice.number} ({short(path)}) de {invoice.issue_date.year} a "
        "déjà été déposée par ce fournisseur : ne la déposez pas deux fois ; pour "
        "corriger une facture, émettez un avoir puis une nouvelle facture.",
        f"Invoice {invoice.number} of {invoice.issue_date.year} was already deposited "
        "by this supplier.",
        "BT-1",
    )


def _recipient_rules(invoice: c.Invoice, context: Context) -> list[Finding]:
    buyer_path = context.path("buyer_id")
    siret = invoice.buyer_siret
    if not siret:
        return [
            _fatal(
                "CPP-001",
                buyer_path,
                f"Le SIRET du destinataire ({short(buyer_path)}, schéma 0009) est absent : "
                "indiquez le SIRET de la structure publique destinataire, tel qu'il figure "
                "dans l'annuaire.",
                "The recipient's SIRET (scheme 0009) is missing.",
                "BT-47",
            )
        ]
    recipient = Structure.objects.public().filter(identifier=siret).first()
    if recipient is None:
        return [
            _fatal(
                "CPP-002",
                buyer_path,
                f"Le destinataire {siret} ({short(buyer_path)}) n'est pas une structure "
                "publique de l'annuaire : vérifiez le SIRET dans l'annuaire des structures "
                "publiques.",
                f"The recipient {siret} is not a public structure of the directory.",
                "BT-47",
            )
        ]
    if not recipient.active:
        return [
            _fatal(
                "CPP-003",
                buyer_path,
                f"Le destinataire {siret} ({short(buyer_path)}) n'est plus actif dans "
                "l'annuaire : adressez la facture à la structure qui lui a succédé.",
                f"The recipient {siret} is no longer active in the directory.",
                "BT-47",
            )
        ]
    return _service_and_ej_rules(invoice, context, recipient)


def _service_and_ej_rules(
    invoice: c.Invoice, context: Context, recipient: Structure
) -> list[Finding]:
    findings = []
    service_path = context.path("service_code")
    ej_path = context.path("ej")
    code = (invoice.buyer_reference or "").strip()
    ej = (invoice.purchase_order_reference or "").strip()
    service = None
    if code:
        today = context.today or timezone.localdate()
        service = recipient.services.active_on(today).filter(code=code).first()
        if service is None:
            findings.append(
                _fatal(
                    "CPP-005",
                    service_path,
                    f"Le code service « {code} » ({short(service_path)}) n'est pas un service "
                    f"actif de {recipient.legal_name} : choisissez un code service de ce "
                    "destinataire dans l'annuaire.",
                    f"Service code {code!r} is not an active service of the recipient.",
                    "BT-10",
                )
            )
    elif recipient.service_code_required:
        findings.append(
            _fatal(
                "CPP-004",
                service_path,
                f"Le code service ({short(service_path)}) est obligatoire pour ce destinataire "
                f"({recipient.legal_name}) : indiquez le code du service destinataire, "
                "consultable dans l'annuaire.",
                "A service code (BT-10) is required by this recipient.",
                "BT-10",
            )
        )
    ej_required = recipient.ej_required or (service is not None and service.ej_required)
    if not ej and ej_required:
        findings.append(
            _fatal(
                "CPP-006",
                ej_path,
                f"L'engagement juridique ({short(ej_path)}) est obligatoire pour ce "
                "destinataire : indiquez le numéro d'engagement juridique (bon de commande) "
                "communiqué par l'acheteur.",
                "An engagement juridique (BT-13) is required by this recipient.",
                "BT-13",
            )
        )
    if not ej and not code and recipient.ej_or_service_code_required and not ej_required:
        findings.append(
            _fatal(
                "CPP-007",
                ej_path,
                f"Ce destinataire exige un engagement juridique ({short(ej_path)}) ou un code "
                f"service ({short(service_path)}) : indiquez l'un des deux.",
                "This recipient requires an engagement juridique (BT-13) or a service code "
                "(BT-10).",
                "BT-13",
            )
        )
    if ej:
        findings += _ej_rules(ej, ej_path, recipient)
    return findings


def _ej_rules(ej: str, ej_path: str, recipient: Structure) -> list[Finding]:
    if len(ej) > EJ_MAX_LENGTH:
        return [
            _fatal(
                "CPP-008",
                ej_path,
                f"L'engagement juridique ({short(ej_path)}) fait {len(ej)} caractères, au-delà "
                f"de {EJ_MAX_LENGTH} : indiquez le seul numéro d'engagement juridique.",
                f"The engagement juridique has {len(ej)} characters, above {EJ_MAX_LENGTH}.",
                "BT-13",
            )
        ]
    managed = EngagementJuridique.objects.filter(structure=recipient)
    if managed.exists() and not managed.filter(number=ej).exists():
        return [
            _fatal(
                "CPP-009",
                ej_path,
                f"L'engagement juridique « {ej} » ({short(ej_path)}) est inconnu de "
                f"{recipient.legal_name} : vérifiez le numéro sur le bon de commande reçu.",
                f"The engagement juridique {ej!r} is unknown to the recipient.",
                "BT-13",
            )
        ]
    return []


def _seller_rules(invoice: c.Invoice, context: Context) -> list[Finding]:
    depositor = context.depositor
    if depositor is None or invoice.seller_siret == depositor.identifier:
        return []
    path = context.path("seller_id")
    found = invoice.seller_siret or "aucun SIRET"
    return [
        _fatal(
            "CPP-010",
            path,
            f"Le vendeur de la facture ({short(path)} : {found}) n'est pas la structure qui la "
            f"dépose ({depositor.legal_name}, {depositor.identifier}) : déposez la facture "
            "depuis le compte de la structure qui l'émet, ou corrigez le SIRET du vendeur.",
            f"The seller ({found}) is not the depositing structure ({depositor.identifier}).",
            "BT-30",
        )
    ]


def document_rules(invoice: c.Invoice, context: Context) -> list[Finding]:
    """The rules that need no directory: credit note reference and attachments."""
    findings = []
    if invoice.is_credit_note and not any(p.number for p in invoice.preceding_invoices):
        path = context.path("preceding_invoice")
        findings.append(
            _fatal(
                "CPP-012",
                path,
                f"Un avoir doit référencer la facture d'origine ({short(path)}) : indiquez le "
                "numéro de la facture que cet avoir corrige.",
                "A credit note must reference the invoice it corrects (BT-25).",
                "BT-25",
            )
        )
    path = context.path("attachment")
    for attachment in invoice.attachments:
        findings += _attachment_rules(attachment, path)
    total = invoice.attachments_size
    if total > ATTACHMENTS_TOTAL_MAX_BYTES:
        findings.append(
            _fatal(
                "CPP-015",
                path,
                f"Les pièces jointes ({short(path)}) totalisent {total} octets, au-delà de "
                f"{ATTACHMENTS_TOTAL_MAX_BYTES} (120 Mo) : allégez-les ou déposez-en une "
                "partie séparément.",
                f"Attachments total {total} bytes, above 120 MB.",
                "BT-125",
            )
        )
    return findings


def _attachment_rules(attachment: c.Attachment, path: str) -> list[Finding]:
    if attachment.content is None:
        return []
    findings = []
    name = (attachment.filename or "").strip()
    if attachment.size > ATTACHMENT_MAX_BYTES:
        findings.append(
            _fatal(
                "CPP-013",
                path,
                f"La pièce jointe « {name or attachment.id} » ({short(path)}) fait "
                f"{attachment.size} octets, au-delà de {ATTACHMENT_MAX_BYTES} (10 Mo) : "
                "compressez-la ou découpez-la.",
                f"Attachment {name or attachment.id!r} is {attachment.size} bytes, above 10 MB.",
                "BT-125",
            )
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if (
        not name
        or len(name) > ATTACHMENT_NAME_MAX_LENGTH
        or extension not in ALLOWED_ATTACHMENT_EXTENSIONS
    ):
        findings.append(
            _fatal(
                "CPP-014",
                f"{path}/@filename",
                f"Le nom de la pièce jointe « {name} » ({short(path)}/@filename) doit faire au "
                f"plus {ATTACHMENT_NAME_MAX_LENGTH} caractères et finir par une extension "
                "autorisée (pdf, jpg, png, xml, csv, xlsx, docx, odt, zip…) : renommez le "
                "fichier.",
                f"Attachment name {name!r} must have at most {ATTACHMENT_NAME_MAX_LENGTH} "
                "characters and an allowed extension.",
                "BT-125-2",
            )
        )
    return findings


def already_deposited(invoice: c.Invoice, depositor: Structure | None) -> bool:
    """CPP-011: the supplier (the depositor, else the seller) already has this number this year."""
    supplier = depositor
    if supplier is None and invoice.seller_siret:
        supplier = Structure.objects.filter(identifier=invoice.seller_siret).first()
    if supplier is None:
        return False
    return Invoice.objects.filter(
        supplier=supplier, number=invoice.number, issue_year=invoice.issue_date.year
    ).exists()
