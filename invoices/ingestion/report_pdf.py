"""The integration report of a flow as a PDF, rendered from `report.flow_report` by weasyprint.

The PDF shows the same data as the JSON report (the one source), laid out for a person: the
flow, its counts, every invoice with its result and each finding as a sentence saying what is
wrong, where, and how to fix it.
"""

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from weasyprint import HTML

from invoices.enums import DepositChannel, FlowItemStatus, FlowSyntax
from invoices.ingestion.report import flow_report
from invoices.models import DocumentSyntax, Flow


def _local(iso: str) -> str:
    return date_format(timezone.localtime(datetime.fromisoformat(iso)), "DATETIME_FORMAT")


def _label(choices, value) -> str:
    return choices(value).label if value in choices.values else (value or "")


def flow_report_context(report: dict) -> dict:
    """What the template shows, with codes turned into their labels in the active language."""
    invoices = [
        {
            **entry,
            "format_label": _label(DocumentSyntax, entry["format"])
            or gettext("format non reconnu"),
            "refused": entry["resultat"] == FlowItemStatus.REFUSEE,
            "blocking": [c for c in entry["constats"] if c["gravite"] == "fatal"],
            "warnings": [c for c in entry["constats"] if c["gravite"] != "fatal"],
        }
        for entry in report["factures"]
    ]
    return {
        "report": report,
        "channel": _label(DepositChannel, report["modeDepot"]),
        "syntax": _label(FlowSyntax, report["syntaxeFlux"]) or gettext("non déterminée"),
        "deposited_at": _local(report["dateDepot"]),
        "state_at": _local(report["dateHeureEtatCourantFlux"]),
        "invoices": invoices,
    }


def report_pdf(report: dict) -> bytes:
    """The PDF of a report already built by `flow_report` (to pair it with its JSON)."""
    with translation.override("fr"):  # the template is in French: its labels too
        html = render_to_string("invoices/report_pdf.html", flow_report_context(report))
    return HTML(string=html).write_pdf()


def flow_report_pdf(flow: Flow) -> bytes:
    with translation.override("fr"):  # the findings' explanations in the template's language
        report = flow_report(flow)
    return report_pdf(report)
