"""CSV exports for the agents' accounting: a search's invoices, and one invoice's history.

French-friendly CSV, as a spreadsheet opened in France reads it without an import wizard:
UTF-8 with a byte order mark, semicolon-separated, decimal comma, dates as dd/mm/yyyy.
A text cell starting with = + - @, a tab or a carriage return is prefixed with an apostrophe
so that no spreadsheet runs it as a formula (CSV injection); amounts are written by the
platform and never escaped.

The search export reads only its columns (`.values()`, never the stored document nor the
file), streams them from a server-side cursor (`iterator(chunk_size=...)`, in a transaction
so that the cursor yields its first rows at once) and holds one chunk in memory at a time,
whatever the number of invoices.
"""

from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.spreadsheets import csv_writer, spreadsheet_cell
from invoices.enums import InvoiceStatus
from invoices.models import Invoice, InvoiceStatusChange

BOM = "\ufeff"
CHUNK_SIZE = 500


def amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def day(value) -> str:
    if not value:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


class _Echo:
    """csv.writer writes to it; each row comes back as a string to stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv_writer(_Echo())
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def invoice_columns() -> list[str]:
    return [
        _("Numéro de facture"),
        _("Date d'émission"),
        _("Date de dépôt"),
        _("Fournisseur"),
        _("SIRET du fournisseur"),
        _("Code service"),
        _("Engagement juridique"),
        _("Montant HT"),
        _("Montant TVA"),
        _("Montant TTC"),
        _("Devise"),
        _("Statut"),
        _("Date du statut"),
        _("Date d'échéance"),
        _("Numéro de mandat"),
        _("Canal de dépôt"),
    ]


def invoice_rows(invoices: QuerySet[Invoice]) -> Iterator[list[str]]:
    """One row per invoice of the search, in its order."""
    mandate = InvoiceStatusChange.objects.filter(
        invoice=OuterRef("pk"), target=InvoiceStatus.MANDATEE
    ).order_by("-at", "-pk")
    values = (
        invoices.select_related(None)
        .annotate(
            supplier_siret=F("supplier__identifier"),
            service_code=F("service__code"),
            mandate_number=Subquery(mandate.values("mandate_number")[:1]),
        )
        .values_list(
            "number",
            "issue_date",
            "created_at",
            "supplier_name",
            "supplier_siret",
            "service_code",
            "buyer_reference",
            "order_reference",
            "total_without_vat",
            "total_with_vat",
            "currency",
            "status",
            "status_at",
            "due_date",
            "mandate_number",
            "channel",
        )
    )
    labels = dict(InvoiceStatus.choices)
    # Read in a transaction: outside one, PostgreSQL's cursor is declared WITH HOLD and
    # computes the whole result before its first row (a million rows before the first byte).
    # And a cursor is planned for a tenth of its rows by default (a sort of the recipient's
    # whole year, where the search's order is an index read from its start), and compiled
    # (JIT) for the cost of all its rows: both delayed the first row by ~150 ms at a million.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cursor_tuple_fraction = 0.001")
                cursor.execute("SET LOCAL jit = off")
        yield from _invoice_cells(values, labels)


def _invoice_cells(values, labels) -> Iterator[list[str]]:
    for (
        number,
        issue_date,
        created_at,
        supplier_name,
        supplier_siret,
        service_code,
        buyer_reference,
        order_reference,
        without_vat,
        with_vat,
        currency,
        status,
        status_at,
        due_date,
        mandate_number,
        channel,
    ) in values.iterator(chunk_size=CHUNK_SIZE):
        vat = with_vat - without_vat if with_vat is not None and without_vat is not None else None
        yield [
            spreadsheet_cell(number),
            day(issue_date),
            day(created_at),
            spreadsheet_cell(supplier_name),
            spreadsheet_cell(supplier_siret),
            spreadsheet_cell(service_code or buyer_reference),
            spreadsheet_cell(order_reference),
            amount(without_vat),
            amount(vat),
            amount(with_vat),
            spreadsheet_cell(currency),
            str(labels.get(status, status)),
            day(status_at),
            day(due_date),
            spreadsheet_cell(mandate_number),
            spreadsheet_cell(channel),
        ]


def history_columns() -> list[str]:
    return [
        _("Date"),
        _("Statut précédent"),
        _("Nouveau statut"),
        _("Action"),
        _("Auteur"),
        _("En qualité de"),
        _("Structure"),
        _("Canal"),
        _("Code motif"),
        _("Motif"),
        _("Commentaire"),
        _("Numéro de mandat"),
        _("Code cycle de vie"),
    ]


def history_rows(timeline: list[InvoiceStatusChange]) -> Iterator[list[str]]:
    """The rows of an invoice's history (`invoices.selectors.invoice_timeline`), oldest first."""
    labels = dict(InvoiceStatus.choices)
    for change in timeline:
        yield [
            day(change.at),
            str(labels.get(change.source, change.source)),
            str(labels.get(change.target, change.target)),
            spreadsheet_cell(change.action),
            spreadsheet_cell(
                _("la plateforme") if change.actor_role == "SYSTEME" else change.actor_label
            ),
            spreadsheet_cell(change.actor_role),
            spreadsheet_cell(change.structure.legal_name if change.structure else ""),
            str(change.get_channel_display()),
            spreadsheet_cell(change.motive),
            spreadsheet_cell(change.motive_label if change.motive else ""),
            spreadsheet_cell(change.comment),
            spreadsheet_cell(change.mandate_number),
            spreadsheet_cell(change.lifecycle_code),
        ]
