"""Stage d: the platform's own rules (CPP-xxx), checked against the directory.

They judge a canonical invoice (read from a document that passed stages a to c) against
what the platform knows: the recipient, its services and engagements juridiques, the
depositing structure, the invoices already received. Like the real platform, a message
quotes the XML path of the element concerned and says how to put it right. The rules on the
recipient and the references are shared with the portal and the API (`invoices.rules`).

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

from chorus.models import Structure
from invoices import canonical as c
from invoices import rules
from invoices.formats.detect import Detected

from .findings import Finding, Severity

STAGE = "platform"

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
    return _from_problem(
        rules.duplicate(number=invoice.number, year=invoice.issue_date.year), context
    )


# Where each field the shared rules speak of sits in a file.
_PATH_OF_FIELD = {
    rules.RECIPIENT: "buyer_id",
    rules.SERVICE_CODE: "service_code",
    rules.ENGAGEMENT: "ej",
    rules.NUMBER: "number",
    rules.PRECEDING_NUMBER: "preceding_invoice",
}


def _from_problem(problem: rules.Problem, context: Context) -> Finding:
    path = context.path(_PATH_OF_FIELD[problem.field])
    where = f" ({short(path)})"
    return _fatal(
        problem.rule,
        path,
        problem.message_fr.format(where=where),
        problem.message_en.format(where=where),
        problem.bt,
    )


def _recipient_rules(invoice: c.Invoice, context: Context) -> list[Finding]:
    recipient, problems = rules.recipient_problems(invoice.buyer_siret)
    if not problems:
        _service, problems = rules.routing_problems(
            recipient=recipient,
            service_code=invoice.buyer_reference,
            engagement=invoice.purchase_order_reference,
            today=context.today,
        )
    return [_from_problem(problem, context) for problem in problems]


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
    preceding = next((p.number for p in invoice.preceding_invoices if p.number), None)
    credit_note = rules.credit_note_problem(
        is_credit_note=invoice.is_credit_note, preceding_number=preceding
    )
    if credit_note is not None:
        findings.append(_from_problem(credit_note, context))
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
    problem = rules.duplicate_problem(
        supplier=supplier, number=invoice.number, year=invoice.issue_date.year
    )
    return problem is not None
