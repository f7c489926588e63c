"""Status files: a recipient's systems report the invoices' statuses through the EDI server.

A complete upload to `in/` named `STATUTS_<anything>.csv` (any case) is a status file, not a
flow. It is stored as received, then processed by `status_file_process_task`: each line moves
one invoice through `invoices.services.invoice_process`, acting as the technical account (its
structure must be the invoice's recipient), in the order of the file. A refused line (unknown
invoice, another structure's, unknown status, bad date, out of order, missing motive or
mandate number) is reported with its reason; the others apply. The report goes to `out/` as
`CR_<name uploaded>.json` and `CR_<name uploaded>.txt` (in French, for a person).

The file (format in the README): UTF-8 (BOM accepted), `;` or `,` separator found from the
header line, columns `id_facture` or `numero_facture` (at least one), `statut`, `date`
(AAAA-MM-JJ, not in the future), optional `code_motif`, `numero_mandat`, `commentaire`.

Re-sending the same bytes from the same account moves nothing again: it gets the report of
the first (under the new name too). The result of each line is recorded with its move, so a
task run again after a crash resumes after the last recorded line.
"""

import csv
import datetime
import hashlib
import io
import json
import logging
import re

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chorus.enums import Channel
from chorus.models import TechnicalAccount
from chorus.workflow import Actor, TransitionRefused
from invoices.channels.edi.publish import write_atomically
from invoices.channels.edi.server import OUTBOX, account_root
from invoices.enums import InvoiceRole
from invoices.models import Invoice, StatusFile
from invoices.services import invoice_process, received_file_store
from invoices.workflow import INVOICE_WORKFLOW
from rejections.catalogue import motive_from_wire

logger = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"^STATUTS_.+\.csv$", re.IGNORECASE)
REQUIRED_COLUMNS = ("statut", "date")
INVOICE_COLUMNS = ("id_facture", "numero_facture")
OPTIONAL_COLUMNS = ("code_motif", "numero_mandat", "commentaire")
APPLIED, REFUSED = "APPLIQUEE", "REFUSEE"

# The statuses a recipient may set, from the invoice table.
RECIPIENT_STATUSES = tuple(
    dict.fromkeys(
        t.target for t in INVOICE_WORKFLOW.transitions if InvoiceRole.DESTINATAIRE in t.roles
    )
)


def is_status_file(filename: str) -> bool:
    return bool(NAME_PATTERN.match(filename))


def status_file_receive(*, account: TechnicalAccount, data: bytes, filename: str) -> StatusFile:
    """Stores an uploaded status file and queues its processing after commit; the same bytes
    again from the same account get the first file, whose report is due under both names."""
    sha256 = hashlib.sha256(data).hexdigest()
    received = None
    try:
        with transaction.atomic():
            status_file = (
                StatusFile.objects.select_for_update()
                .filter(technical_account=account, sha256=sha256)
                .first()
            )
            if status_file is None:
                received = received_file_store(data=data, filename=filename)
                status_file = StatusFile.objects.create(
                    technical_account=account,
                    received_file=received,
                    sha256=sha256,
                    uploaded_names=[filename],
                )
            elif filename not in status_file.uploaded_names:
                status_file.uploaded_names.append(filename)
                status_file.save(update_fields=["uploaded_names"])
            from invoices.tasks import status_file_process_task

            transaction.on_commit(lambda: status_file_process_task.delay(status_file.pk))
    except BaseException:
        if received is not None:
            received.file.delete(save=False)
        raise
    return status_file


class _FileError(Exception):
    """The whole file is unreadable: no line is applied."""


def _rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's lines as (line number in the file, cells by column)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _FileError(
            _(
                "Le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 et déposez-le à nouveau."
            )
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader, [])]
    known = set(REQUIRED_COLUMNS + INVOICE_COLUMNS + OPTIONAL_COLUMNS)
    problems = []
    unknown = [column for column in header if column not in known]
    if unknown:
        problems.append(_("colonnes inconnues : %(columns)s") % {"columns": ", ".join(unknown)})
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if not set(INVOICE_COLUMNS) & set(header):
        missing.append(" ou ".join(INVOICE_COLUMNS))
    if missing:
        problems.append(_("colonnes manquantes : %(columns)s") % {"columns": ", ".join(missing)})
    if problems:
        raise _FileError(
            _(
                "La première ligne doit nommer les colonnes (%(expected)s) ; %(problems)s. "
                "Aucune ligne n'a été traitée."
            )
            % {
                "expected": ", ".join(INVOICE_COLUMNS + REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
                "problems": " ; ".join(problems),
            }
        )
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        values = dict(zip(header, (cell.strip() for cell in cells), strict=False))
        rows.append((reader.line_num, values))
    return rows


def _refused(code: str, message: str) -> dict:
    return {"resultat": REFUSED, "code": code, "motif": str(message)}


def _invoice(row: dict[str, str], account: TechnicalAccount) -> Invoice | dict:
    """The invoice a line names, or the refusal of the line."""
    invoice_id, number = row.get("id_facture", ""), row.get("numero_facture", "")
    if invoice_id:
        invoice = (
            Invoice.objects.filter(pk=int(invoice_id)).first() if invoice_id.isdigit() else None
        )
        if invoice is None:
            return _refused(
                "unknown_invoice",
                _("Aucune facture n'a l'identifiant « %(id)s ».") % {"id": invoice_id},
            )
        if invoice.recipient_id != account.structure_id:
            return _refused(
                "not_party",
                _("La facture %(id)s n'est pas adressée à votre structure.") % {"id": invoice_id},
            )
        return invoice
    if not number:
        return _refused("unknown_invoice", _("Indiquez l'identifiant ou le numéro de la facture."))
    found = list(Invoice.objects.filter(recipient_id=account.structure_id, number=number)[:2])
    if not found:
        return _refused(
            "unknown_invoice",
            _("Aucune facture reçue par votre structure ne porte le numéro « %(number)s ».")
            % {"number": number},
        )
    if len(found) > 1:
        return _refused(
            "ambiguous_invoice",
            _(
                "Plusieurs factures reçues portent le numéro « %(number)s » : indiquez "
                "l'identifiant de la facture (colonne id_facture)."
            )
            % {"number": number},
        )
    return found[0]


def _date_refusal(raw: str) -> dict | None:
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return _refused(
            "bad_date",
            _("Date « %(date)s » illisible : écrivez-la AAAA-MM-JJ (par exemple 2026-03-14).")
            % {"date": raw},
        )
    if day > timezone.localdate():
        return _refused(
            "bad_date", _("La date %(date)s est dans le futur.") % {"date": day.isoformat()}
        )
    return None


def _apply(row: dict[str, str], account: TechnicalAccount) -> dict:
    """Applies one line; returns its result."""
    status = row.get("statut", "").upper()
    if status not in RECIPIENT_STATUSES:
        return _refused(
            "unknown_status",
            _("Statut « %(status)s » inconnu : indiquez l'un de %(statuses)s.")
            % {"status": row.get("statut", ""), "statuses": ", ".join(RECIPIENT_STATUSES)},
        )
    refusal = _date_refusal(row.get("date", ""))
    if refusal:
        return refusal
    invoice = _invoice(row, account)
    if isinstance(invoice, dict):
        return invoice
    motive, free_text = motive_from_wire(row.get("code_motif", ""))
    comment = "\n".join(filter(None, (free_text, row.get("commentaire", ""))))
    try:
        invoice_process(
            invoice=invoice,
            actor=Actor.account(account, channel=Channel.EDI),
            target=status,
            motive=motive,
            comment=comment,
            mandate_number=row.get("numero_mandat", ""),
        )
    except TransitionRefused as refused:
        return _refused(refused.code, refused.message)
    return {"resultat": APPLIED, "code": "", "motif": "", "idFacture": invoice.pk}


def status_file_process(status_file_id: int) -> None:
    """Applies the lines not applied yet, then publishes the report (again: harmless)."""
    status_file = (
        StatusFile.objects.select_related("technical_account__structure", "received_file")
        .filter(pk=status_file_id)
        .first()
    )
    if status_file is None:
        logger.warning("status file %s: not found", status_file_id)
        return
    if status_file.processed_at is None:
        with translation.override("fr"):  # partners' reports are in French
            _process(status_file)
    status_file_publish(status_file)


def _process(status_file: StatusFile) -> None:
    account = status_file.technical_account
    try:
        rows = _rows(status_file.received_file.read_bytes())
    except _FileError as exc:
        status_file.error = str(exc)
        rows = []
    for index, (line, row) in enumerate(rows):
        with transaction.atomic():
            locked = StatusFile.objects.select_for_update().get(pk=status_file.pk)
            if index < len(locked.results):
                continue  # recorded by an earlier run, with its move
            result = {
                "ligne": line,
                "facture": row.get("id_facture") or row.get("numero_facture", ""),
                "statut": row.get("statut", ""),
                "date": row.get("date", ""),
                **_apply(row, account),
            }
            locked.results.append(result)
            locked.save(update_fields=["results"])
    status_file.refresh_from_db(fields=["results"])
    status_file.processed_at = timezone.now()
    status_file.save(update_fields=["error", "processed_at"])
    logger.info(
        "status file %s of %s: %d lines", status_file.pk, account.login, len(status_file.results)
    )


def status_file_report(status_file: StatusFile) -> dict:
    results = status_file.results
    return {
        "fichier": status_file.uploaded_names[0],
        "recuLe": status_file.created_at.isoformat(),
        "traiteLe": status_file.processed_at.isoformat(),
        "erreur": status_file.error,
        "lignesAppliquees": sum(r["resultat"] == APPLIED for r in results),
        "lignesRefusees": sum(r["resultat"] == REFUSED for r in results),
        "lignes": results,
    }


def _report_text(report: dict) -> str:
    when = timezone.localtime(datetime.datetime.fromisoformat(report["traiteLe"]))
    lines = [
        _("Compte rendu du fichier de statuts « %(name)s », traité le %(day)s à %(time)s.")
        % {"name": report["fichier"], "day": f"{when:%d/%m/%Y}", "time": f"{when:%H:%M}"},
        "",
    ]
    if report["erreur"]:
        lines.append(report["erreur"])
    else:
        lines += [
            _("Lignes appliquées : %(count)d.") % {"count": report["lignesAppliquees"]},
            _("Lignes refusées : %(count)d.") % {"count": report["lignesRefusees"]},
            "",
        ]
    for result in report["lignes"]:
        what = _("Ligne %(line)d, facture %(invoice)s, statut %(status)s : ") % {
            "line": result["ligne"],
            "invoice": result["facture"] or "?",
            "status": result["statut"] or "?",
        }
        if result["resultat"] == APPLIED:
            lines.append(what + _("appliqué."))
        else:
            lines.append(what + _("refusé. %(reason)s") % {"reason": result["motif"]})
    return "\n".join(lines) + "\n"


def status_file_publish(status_file: StatusFile) -> None:
    """Writes the report in the account's out/, under each name the file was uploaded as."""
    with translation.override("fr"):
        report = status_file_report(status_file)
        as_text = _report_text(report)
    as_json = json.dumps(report, ensure_ascii=False, indent=2)
    outbox = account_root(status_file.technical_account_id) / OUTBOX
    for name in status_file.uploaded_names:
        safe = name.replace("/", "_")
        write_atomically(outbox / f"CR_{safe}.json", as_json.encode("utf-8"))
        write_atomically(outbox / f"CR_{safe}.txt", as_text.encode("utf-8"))
