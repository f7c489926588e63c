"""The integration report (compte rendu) of a flow: every invoice with its result and, for
each refused one, every finding as a sentence saying what, where and how to fix it.

`flow_report(flow)` is the one source of the report: the API returns it as JSON, the portal
shows it, the PDF is rendered from it and the EDI channel drops both in the partner's out/.
"""

from invoices.enums import FlowItemStatus
from invoices.models import Flow

SEVERITY_LABELS = {"fatal": "Bloquant", "warning": "Avertissement"}


def finding_sentence(finding: dict) -> str:
    """One plain-language sentence: the message (what, and how to fix it) and where."""
    where = f" (emplacement : {finding['location']})" if finding.get("location") else ""
    term = f" [{finding['bt']}]" if finding.get("bt") else ""
    return f"{finding['message']}{term}{where}"


def _invoice_entry(item) -> dict:
    invoice = item.invoice
    return {
        "rang": item.position,
        "fichier": item.name,
        "format": item.format or None,
        "profil": item.profile or None,
        "resultat": item.status,
        "resultatLibelle": FlowItemStatus(item.status).label,
        "identifiantFactureCPP": invoice.pk if invoice else None,
        "numeroFacture": invoice.number if invoice else None,
        "statutFacture": invoice.status if invoice else None,
        "constats": [
            {
                "regle": finding["rule"],
                "gravite": finding["severity"],
                "graviteLibelle": SEVERITY_LABELS.get(finding["severity"], finding["severity"]),
                "emplacement": finding.get("location") or "",
                "termeMetier": finding.get("bt"),
                "message": finding["message"],
                "phrase": finding_sentence(finding),
            }
            for finding in item.findings
        ],
    }


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
