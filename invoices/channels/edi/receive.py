"""What the SFTP server does with each upload: a complete `STATUTS_*.csv` is a recipient's
status file (invoices.channels.edi.status_files); every other upload becomes a flow. Either
way every upload gets a report in the partner's out/.

- A complete upload named .xml, .pdf, .zip, .tar.gz or .tgz is deposited with `flow_receive`
  (channel EDI, for the technical account's structure); the pipeline finds its syntax from
  the content (a UBL invoice whose business process BT-23 is A3_MEMOIRE_JUSTICE is a
  mémoire's E3 flow, see justice_fees.edi), and refuses content matching no accepted syntax
  in the report. A byte-identical re-send gets the original flow, whose report is published
  again under the re-sent name.
- An interrupted upload (IN_INCIDENTE), a file over FLOW_MAX_BYTES (IN_REJETE, as the pipeline
  refuses an archive inflating past that limit) or a name with another extension (IN_REJETE)
  is recorded by `flow_receive_refused`: what arrived is stored as received (for a file over
  the limit, the bytes before the limit, nothing beyond it was kept), the flow is created
  directly in its final state with its error, and its report is published.

The staged file is deleted once stored. If storing fails (database down), it is kept in the
staging folder and the error logged with its path, so nothing received is lost.
"""

import logging

from django.conf import settings
from django.db import connections, transaction
from django.template.defaultfilters import filesizeformat

from chorus.models import TechnicalAccount
from invoices.channels.edi.publish import flow_resent_register
from invoices.channels.edi.server import INBOX, Upload
from invoices.channels.edi.status_files import is_status_file, status_file_receive
from invoices.enums import DepositChannel, FlowStatus
from invoices.ingestion.archive import FLOW_EXTENSIONS
from invoices.ingestion.messages import flow_error
from invoices.ingestion.receive import flow_create, flow_receive, flow_status_change
from invoices.models import Flow
from invoices.services import received_file_store

logger = logging.getLogger(__name__)


def name_accepted(filename: str) -> bool:
    return filename.lower().endswith(FLOW_EXTENSIONS)


def _refusal(upload: Upload) -> tuple[str, dict] | None:
    """The final state and flow error of an upload that cannot be processed, if any."""
    name = upload.filename
    if upload.outcome == "partial":
        return FlowStatus.INCIDENTE, flow_error(
            "partial",
            f"Le transfert du fichier « {name} » a été interrompu avant la fin "
            f"({filesizeformat(upload.size)} reçus) : le flux n'a pas été traité. "
            f"Déposez à nouveau le fichier complet dans /{INBOX}/.",
        )
    if upload.outcome == "too_large":
        return FlowStatus.REJETE, flow_error(
            "too_large",
            f"Le fichier « {name} » dépasse la taille maximale d'un flux "
            f"({filesizeformat(settings.FLOW_MAX_BYTES)}) : le transfert a été arrêté et le "
            "flux n'a pas été traité. Répartissez les factures dans plusieurs flux plus petits.",
        )
    if not name_accepted(name):
        return FlowStatus.REJETE, flow_error(
            "unknown_name",
            f"Le nom du fichier « {name} » ne se termine pas par une extension acceptée : le "
            "flux n'a pas été traité. Nommez le fichier d'après son contenu, .xml (facture "
            "UBL ou CII), .pdf (Factur-X), .zip, .tar.gz ou .tgz (lot de factures), puis "
            f"déposez-le à nouveau dans /{INBOX}/.",
        )
    return None


def flow_receive_refused(
    *, account: TechnicalAccount, data: bytes, filename: str, status: str, error: dict
) -> Flow:
    """Records an upload that cannot be processed: its bytes as received, and a flow in its
    final state carrying the reason, with its history; its report is then published."""
    received = None
    try:
        with transaction.atomic():
            received = received_file_store(data=data, filename=filename)
            flow = flow_create(
                received=received,
                channel=DepositChannel.EDI,
                structure=account.structure,
                technical_account=account,
                # Unique to this upload: a refused upload is never taken for the original of
                # a later re-send of the same bytes (which must be processed).
                depositor_key=f"refused:{received.pk}",
                errors=[error],
            )
            flow_status_change(flow, status, comment=error["libelleErreur"])
    except BaseException:
        if received is not None:
            received.file.delete(save=False)
        raise
    return flow


def on_upload(upload: Upload) -> None:
    """Hands one upload from the SFTP server to the platform (runs in a thread of its own)."""
    status_file = None
    try:
        account = (
            TechnicalAccount.objects.select_related("structure").filter(pk=upload.account_id).get()
        )
        data = upload.staged_path.read_bytes()
        refusal = _refusal(upload)
        if upload.outcome == "complete" and is_status_file(upload.filename):
            status_file = status_file_receive(account=account, data=data, filename=upload.filename)
        elif refusal is None:
            receipt = flow_receive(
                data=data,
                filename=upload.filename,
                channel=DepositChannel.EDI,
                structure=account.structure,
                technical_account=account,
            )
            flow = receipt.flow
            if not receipt.created:
                flow_resent_register(flow, upload.filename)
        else:
            status, error = refusal
            flow = flow_receive_refused(
                account=account, data=data, filename=upload.filename, status=status, error=error
            )
    except Exception:
        logger.exception(
            "EDI upload %r of account %s (%s) not stored; kept at %s",
            upload.filename,
            upload.account_id,
            upload.outcome,
            upload.staged_path,
        )
        raise
    finally:
        # Uploads run in a pool of threads: none keeps a database connection between them.
        connections.close_all()
    upload.staged_path.unlink(missing_ok=True)
    logger.info(
        "EDI upload %r of account %s (%s, %d bytes): %s",
        upload.filename,
        account.login,
        upload.outcome,
        upload.size,
        f"status file {status_file.pk}" if status_file else f"flow {flow.number}",
    )
