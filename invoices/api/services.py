"""What the API operations do beyond reading: submit a keyed invoice, assemble a download.
The deposit itself is `invoices.ingestion.receive.flow_receive`; an attachment is kept by
`invoices.services.attachment_upload_create`, as on the portal."""

import io
import re
import time
import zipfile
from dataclasses import dataclass

from chorus.models import TechnicalAccount
from invoices.api import errors
from invoices.api.submission import amounts_check, invoice_from_submission
from invoices.enums import DepositChannel, FlowItemStatus, FlowSyntax
from invoices.formats import write_cii
from invoices.ingestion import pipeline
from invoices.ingestion.receive import flow_receive
from invoices.ingestion.report import finding_sentence
from invoices.models import DocumentSyntax, Flow, Invoice

# soumettreFacture answers with the result: when a worker already holds the flow, wait this
# long for it to finish before answering "still in progress".
SUBMIT_WAIT_SECONDS = 20
SUBMIT_POLL_SECONDS = 0.2

# telechargerGroupeFacture: at most one "dossier de facturation" (120 MB).
DOWNLOAD_MAX_BYTES = 120 * 1024 * 1024

# The request field each business term of a keyed invoice comes from, to point at it.
_FIELD_OF_TERM = {
    "BT-1": "numeroFactureSaisi",
    "BT-2": "dateFacture",
    "BT-3": "references.typeFacture",
    "BT-5": "references.deviseFacture",
    "BT-9": "dateEcheancePaiement",
    "BT-10": "destinataire.codeServiceExecutant",
    "BT-12": "references.numeroMarche",
    "BT-13": "references.numeroBonCommande",
    "BT-20": "dateEcheancePaiement",
    "BT-25": "references.numeroFactureOrigine",
    "BT-29": "fournisseur",
    "BT-30": "fournisseur",
    "BT-31": "fournisseur",
    "BT-46": "destinataire.codeDestinataire",
    "BT-47": "destinataire.codeDestinataire",
    "BT-48": "destinataire.codeDestinataire",
    "BT-84": "fournisseur.codeCoordonneesBancairesFournisseur",
    "BT-120": "references.motifExonerationTva",
    "BT-121": "references.motifExonerationTva",
    "BT-125": "pieceJointeComplementaire",
    "BT-125-2": "pieceJointeComplementaire",
}


@dataclass(frozen=True)
class Submission:
    flow: Flow
    invoice: Invoice


def invoice_submit(*, data: dict, technical_account: TechnicalAccount) -> Submission:
    """soumettreFacture: builds the invoice, deposits it as a CII flow and processes it now.

    The pipeline steps are idempotent, so the task queued by the deposit finds the work done
    (or, having started first, is waited for). A refused invoice raises a coded error listing
    every finding; a byte-identical submission answers the original flow's result.
    """
    structure = technical_account.structure
    document = invoice_from_submission(data=data, structure=structure)
    amounts_check(document, data)
    receipt = flow_receive(
        data=write_cii(document),
        filename=_safe_name(document.number) + ".xml",
        channel=DepositChannel.API,
        structure=structure,
        technical_account=technical_account,
        syntax=FlowSyntax.CII,
    )
    flow = _process_now(receipt.flow)
    item = flow.items.select_related("invoice").order_by("position").first()
    if not flow.is_final or item is None:
        raise errors.CproError(errors.INVOICE_PENDING, flow_number=flow.number)
    if item.status != FlowItemStatus.INTEGREE:
        findings = [{"champ": _field_of(f), "message": finding_sentence(f)} for f in item.findings]
        raise errors.CproFieldsError(
            errors.INVOICE_REFUSED,
            erreurs=findings,
            number=document.number,
            flow_number=flow.number,
            details=" ".join(f["message"] for f in findings),
        )
    return Submission(flow=flow, invoice=item.invoice)


def _process_now(flow: Flow) -> Flow:
    pipeline.flow_process_inline(flow.pk)
    flow.refresh_from_db()
    deadline = time.monotonic() + SUBMIT_WAIT_SECONDS
    while not flow.is_final and time.monotonic() < deadline:
        time.sleep(SUBMIT_POLL_SECONDS)  # a worker holds the flow: it finishes it
        flow.refresh_from_db()
    return flow


def _field_of(finding: dict) -> str:
    return _FIELD_OF_TERM.get(finding.get("bt") or "", finding.get("location") or "")


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:150] or "facture"


def invoice_pivot(invoice: Invoice) -> bytes:
    """The invoice as CII XML: the file received when it was CII, else written from it."""
    if invoice.syntax == DocumentSyntax.CII:
        return invoice.received_file.read_bytes()
    return write_cii(invoice.canonical)


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as Factur-X PDF: the file received when it was one, else rendered."""
    if invoice.syntax == DocumentSyntax.FACTURX:
        return invoice.received_file.read_bytes()
    from invoices.formats.facturx import write_facturx  # loads weasyprint: only when needed

    return write_facturx(invoice.canonical)


FORMAT_PDF = "PDF"
FORMAT_PIVOT = "PIVOT"
FORMAT_ZIP = "ZIP"
DOWNLOAD_FORMATS = [FORMAT_PDF, FORMAT_PIVOT, FORMAT_ZIP]


def invoices_download(
    *, invoices: list[Invoice], file_format: str, with_attachments: bool
) -> bytes:
    """telechargerGroupeFacture's file.

    One invoice in PDF or PIVOT without supporting documents: that file itself. Otherwise a
    ZIP holding, per invoice, its PDF (PDF), its XML (PIVOT) or both (ZIP), and with
    `with_attachments` its supporting documents (BG-24) in a folder named after it.
    """
    if len(invoices) == 1 and file_format != FORMAT_ZIP and not with_attachments:
        render = invoice_pdf if file_format == FORMAT_PDF else invoice_pivot
        data = render(invoices[0])
        _check_size(len(data))
        return data
    total = 0
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for invoice in invoices:
            stem = f"{invoice.pk}-{_safe_name(invoice.number)}"
            files = []
            if file_format in (FORMAT_PDF, FORMAT_ZIP):
                files.append((f"{stem}.pdf", invoice_pdf(invoice)))
            if file_format in (FORMAT_PIVOT, FORMAT_ZIP):
                files.append((f"{stem}.xml", invoice_pivot(invoice)))
            if with_attachments:
                files += [
                    (f"{stem}/{_safe_name(a.filename or a.id)}", a.content)
                    for a in invoice.canonical.attachments
                    if a.content is not None
                ]
            for name, content in files:
                total += len(content)
                _check_size(total)
                archive.writestr(name, content)
    return buffer.getvalue()


def _check_size(size: int) -> None:
    if size > DOWNLOAD_MAX_BYTES:
        raise errors.CproError(errors.DOWNLOAD_TOO_LARGE, size=size, limit=DOWNLOAD_MAX_BYTES)
