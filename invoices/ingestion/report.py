"""The integration report (compte rendu) of a flow: every invoice with its result and, for
each refused one, every finding in plain language (invoices.validation.explanations): the
field by its business term, the invoice line, what is wrong and how to fix it, the technical
details apart. The sentences are in the active language.

`flow_report(flow)` is the one source of the report: the API returns it as JSON, the portal
shows it, the PDF is rendered from it and the EDI channel drops both in the partner's out/.
"""

from invoices.enums import FlowItemStatus
from invoices.ingestion.kinds import flow_kind_report
from invoices.models import Flow
from invoices.validation.explanations import explain, sentence

SEVERITY_LABELS = {"fatal": "Bloquant", "warning": "Avertissement"}


def finding_sentence(finding: dict) -> str:
    """One plain-language sentence, with no XPath: the field, the line, what and how to fix."""
    return sentence(explain(finding))


def _finding_entry(finding: dict) -> dict:
    explained = explain(finding)
    return {
        "regle": finding["rule"],
        "gravite": finding["severity"],
        "graviteLibelle": SEVERITY_LABELS.get(finding["severity"], finding["severity"]),
        "emplacement": finding.get("location") or "",
        "termeMetier": finding.get("bt"),
        "message": finding["message"],
        "phrase": sentence(explained),
        "explication": explained,
    }


def _invoice_entry(item) -> dict:
    invoice = item.invoice
    entry = {
        "rang": item.position,
        "fichier": item.name,
        "format": item.format or None,
        "profil": item.profile or None,
        "resultat": item.status,
        "resultatLibelle": FlowItemStatus(item.status).label,
        "identifiantFactureCPP": invoice.pk if invoice else None,
        "numeroFacture": invoice.number if invoice else None,
        "statutFacture": invoice.status if invoice else None,
        "constats": [_finding_entry(finding) for finding in item.findings],
    }
    if invoice is None and item.status == FlowItemStatus.INTEGREE:
        entry.update(flow_kind_report(item))  # a mémoire of an E3 flow
    return entry


def flow_report(flow: Flow) -> dict:
    items = list(flow.items.select_related("invoice").order_by("position"))
    return {
        "numeroFluxDepot": flow.number,
        "nomFichier": flow.filename,
        "syntaxeFlux": flow.syntax or None,
        "modeDepot": flow.channel,
        "dateDepot": flow.created_at.isoformat(),
        "etatCourantDepotFlux": flow.status,
        "etatCourantLibelle": flow.get_status_display(),
        "dateHeureEtatCourantFlux": flow.status_at.isoformat(),
        "nombreFactures": len(items),
        "nombreFacturesIntegrees": sum(i.status == FlowItemStatus.INTEGREE for i in items),
        "nombreFacturesRefusees": sum(i.status == FlowItemStatus.REFUSEE for i in items),
        "erreursFlux": list(flow.errors),
        "factures": [_invoice_entry(item) for item in items],
    }
