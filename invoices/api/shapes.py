"""Stored invoices in the shapes Chorus Pro answers: a search result, a consulted invoice and
its history, read from the columns, the stored canonical document and the history rows."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from invoices import canonical as c
from invoices.api.submission import (
    EXONERATION,
    PAYMENT_MEANS,
    RATE_CODES,
    SANS_TVA,
    TAX_POINT_CODES,
    TVA_SUR_DEBIT,
)
from invoices.models import Invoice, InvoiceStatusChange
from invoices.selectors import invoice_flow
from invoices.totals import vat_amount
from invoices.units import unit_of
from rejections.models import Motive

_MODE_OF_MEANS = {code: mode for mode, (code, _label) in PAYMENT_MEANS.items()}
_REGIME_OF_TAX_POINT = {code: regime for regime, code in TAX_POINT_CODES.items()}
_CODE_OF_RATE = {rate.normalize(): code for code, rate in RATE_CODES.items()}
CADRE = "A1_FACTURE_FOURNISSEUR"


def type_facture(type_code: str) -> str:
    if type_code == c.TYPE_PREPAYMENT:
        return "ACOMPTE"
    return "AVOIR" if type_code in c.CREDIT_NOTE_TYPE_CODES else "FACTURE"


def _type_tva(document: c.Invoice) -> str:
    categories = {line.vat_category_code for line in document.lines}
    if categories == {"E"}:
        return EXONERATION
    if categories == {"O"}:
        return SANS_TVA
    return _REGIME_OF_TAX_POINT.get(document.tax_point_date_code or "", TVA_SUR_DEBIT)


def _exemption(document: c.Invoice) -> str | None:
    return next(
        (
            b.exemption_reason or b.exemption_reason_code
            for b in document.vat_breakdown
            if b.exemption_reason or b.exemption_reason_code
        ),
        None,
    )


def list_item(invoice: Invoice) -> dict:
    flow = invoice_flow(invoice)
    return {
        "identifiantFactureCPP": invoice.pk,
        "idFacture": invoice.pk,
        "numeroFacture": invoice.number,
        "typeFacture": type_facture(invoice.type_code),
        "statut": invoice.status,
        "dateDepot": timezone.localdate(invoice.created_at),
        "dateFacture": invoice.issue_date,
        "dateHeureEtatCourant": invoice.status_at,
        "devise": invoice.currency,
        "montantHT": invoice.total_without_vat,
        "montantTTC": invoice.total_with_vat,
        "montantAPayer": invoice.amount_due,
        "idFournisseur": invoice.supplier_id,
        "codeFournisseur": invoice.supplier.identifier,
        "designationFournisseur": invoice.supplier.legal_name,
        "idDestinataire": invoice.recipient_id,
        "codeDestinataire": invoice.buyer_identifier,
        "designationDestinataire": invoice.recipient.legal_name if invoice.recipient else None,
        "idServiceExecutant": invoice.service_id,
        "codeServiceExecutant": invoice.buyer_reference,
        "nomServiceExecutant": invoice.service.name if invoice.service else None,
        "numeroBonCommande": invoice.order_reference,
        "numeroMarche": invoice.document.get("contract_reference"),
        "numeroFluxDepot": flow.number if flow else None,
        "modeDepot": flow.channel if flow else None,
        "taille": invoice.received_file.size,
        "rejetTraite": invoice.rejection_acknowledged_at is not None,
    }


def _line(line: c.Line, position: int) -> dict:
    rate = line.vat_rate
    vat = vat_amount(line.net_amount, rate) if rate and line.vat_category_code == "S" else None
    unit = unit_of(line.unit_code)
    return {
        # Clients read the line number as an integer: a non-numeric BT-126 gives its rank.
        "lignePosteNumero": int(line.id) if (line.id or "").isdigit() else position,
        "lignePosteReference": line.item.seller_id,
        "lignePosteDenomination": line.item.name,
        "lignePosteQuantite": line.quantity,
        "lignePosteUniteCode": unit.number if unit else None,
        "lignePosteUniteLibelle": str(unit.label) if unit else line.unit_code,
        "lignePosteUniteCodeRec20": line.unit_code,
        "lignePosteMontantUnitaireHT": line.price.net_price,
        "lignePosteMontantRemiseHT": sum((a.amount for a in line.allowances), Decimal(0)),
        "lignePosteMontantHtApresRemise": line.net_amount,
        "lignePosteTauxTvaManuel": rate,
        "lignePosteCategorieTva": line.vat_category_code,
        "lignePosteMontantTva": vat or Decimal(0),
        "lignePosteMontantTtcApresRemise": line.net_amount + (vat or Decimal(0)),
    }


def _vat_line(breakdown: c.VatBreakdown) -> dict:
    rate = breakdown.rate
    return {
        "ligneTvaTauxRefCode": _CODE_OF_RATE.get(rate.normalize()) if rate is not None else None,
        "ligneTvaTauxManuel": rate,
        "ligneTvaCategorie": breakdown.category_code,
        "ligneTvaMontantBaseHtParTaux": breakdown.taxable_amount,
        "ligneTvaMontantTvaParTaux": breakdown.tax_amount,
    }


def _attachment(attachment: c.Attachment) -> dict:
    name = attachment.filename
    return {
        "pieceJointeId": attachment.id,
        "pieceJointeDesignation": attachment.description,
        "pieceJointeNom": name,
        "pieceJointeExtension": name.rsplit(".", 1)[-1].upper() if name and "." in name else None,
        "pieceJointeTypeMime": attachment.mime_code,
        "pieceJointeTaille": attachment.size,
    }


def _correction_links(invoice: Invoice) -> dict:
    """The rejected invoice this one corrects, and the latest invoice correcting this one."""
    replaced = (
        Invoice.objects.filter(pk=invoice.replaces_id).values_list("pk", "number").first()
        if invoice.replaces_id
        else None
    )
    correction = invoice.corrections.order_by("-created_at", "-pk").values_list("pk", "number")
    correction = correction.first()
    return {
        "idFactureRemplacee": replaced[0] if replaced else None,
        "numeroFactureRemplacee": replaced[1] if replaced else None,
        "idFactureCorrective": correction[0] if correction else None,
        "numeroFactureCorrective": correction[1] if correction else None,
    }


def detail(invoice: Invoice) -> dict:
    """consulterFacture's `facture`, from the stored canonical document."""
    document = invoice.canonical
    flow = invoice_flow(invoice)
    seller, payment = document.seller, document.payment
    transfer = payment.credit_transfers[0] if payment and payment.credit_transfers else None
    recipient, service = invoice.recipient, invoice.service
    buyer_address = document.buyer.address or c.PostalAddress()
    seller_address = seller.address or c.PostalAddress()
    totals = document.totals
    return {
        "identifiantFactureCPP": invoice.pk,
        "numeroFacture": invoice.number,
        "statutFacture": invoice.status,
        "modeDepot": flow.channel if flow else None,
        "commentaire": "\n".join(note.text for note in document.notes) or None,
        "cadreDeFacturation": {"codeCadreFacturation": CADRE},
        "destinataire": {
            "idDestinataire": recipient.pk if recipient else None,
            "codeDestinataire": document.buyer_siret,
            "libelleDestinataire": recipient.legal_name if recipient else document.buyer.name,
            "idServiceExecutant": service.pk if service else None,
            "codeServiceExecutant": document.buyer_reference,
            "libelleServiceExecutant": service.name if service else None,
            "adresseDestinataireDetail": buyer_address.line1,
            "adresseDestinataireCodePostal": buyer_address.postal_code,
            "adresseDestinataireVille": buyer_address.city,
            "adresseDestinataireCodePays": buyer_address.country_code,
        },
        "fournisseur": {
            "idFournisseur": invoice.supplier_id,
            "codeFournisseur": document.seller_siret or invoice.supplier.identifier,
            "typeIdentifiantFournisseur": invoice.supplier.identifier_type,
            "designationFournisseur": seller.name,
            "numeroTvaFournisseur": seller.vat_id,
            "adresseFournisseurDetail": seller_address.line1,
            "adresseFournisseurCodePostal": seller_address.postal_code,
            "adresseFournisseurVille": seller_address.city,
            "adresseFournisseurCodePays": seller_address.country_code,
            "coordBancairesFournisseurCompteBancaire": transfer.account_id if transfer else None,
            "coordBancairesBicSwift": transfer.provider_id if transfer else None,
            "coordBancairesFournisseurLibelle": transfer.account_name if transfer else None,
        },
        "references": {
            "dateDepot": timezone.localdate(invoice.created_at),
            "dateFacture": document.issue_date,
            "dateEcheancePaiement": document.due_date,
            "codeDeviseFacture": document.currency,
            "typeFacture": type_facture(document.type_code),
            "typeTva": _type_tva(document),
            "motifExonerationTva": _exemption(document),
            "modePaiement": _MODE_OF_MEANS.get(payment.means_code) if payment else None,
            "numeroMarche": document.contract_reference,
            "numeroBonCommande": document.purchase_order_reference,
            "numeroFactureOrigine": next(
                (p.number for p in document.preceding_invoices if p.number), None
            ),
            "tailleTotalePiecesJointes": document.attachments_size,
            "numeroDpMandat": invoice.history.exclude(mandate_number="")
            .order_by("-at", "-pk")
            .values_list("mandate_number", flat=True)
            .first(),
            **_correction_links(invoice),
        },
        "lignesDePoste": {
            "lignePoste": [_line(line, position) for position, line in enumerate(document.lines, 1)]
        },
        "recapitulatifDeTva": {"ligneTva": [_vat_line(b) for b in document.vat_breakdown]},
        "montantTotal": {
            "montantHtTotal": totals.tax_exclusive_amount,
            "montantTVA": totals.vat_total,
            "montantTtcTotal": totals.tax_inclusive_amount,
            "acompte": totals.prepaid_amount,
            "montantAPayer": totals.amount_due,
        },
        "listeDesPiecesJointes": {"pieceJointe": [_attachment(a) for a in document.attachments]},
    }


def _person(change: InvoiceStatusChange, prefix: str) -> dict:
    # A platform step or a technical account has a label but no person behind it.
    actor = change.actor
    return {
        f"{prefix}UtilisateurNom": actor.last_name if actor else change.actor_label,
        f"{prefix}UtilisateurPrenom": actor.first_name if actor else "",
        f"{prefix}UtilisateurEmail": actor.email if actor else "",
        f"{prefix}UtilisateurTelephone": actor.phone if actor else "",
    }


def _status_comment(change: InvoiceStatusChange, motive: Motive | None) -> str:
    """The motive, the comment and the mandate number in one readable text, for clients that
    read only histoStatutCommentaire."""
    parts = []
    if change.motive:
        parts.append(f"{change.motive} ({motive.label})" if motive else change.motive)
    if change.comment:
        parts.append(change.comment)
    if change.mandate_number:
        parts.append(_("mandat n° %(number)s") % {"number": change.mandate_number})
    return " : ".join(parts)


def history(changes: list[InvoiceStatusChange]) -> list[dict]:
    """The rows of historiquesDesStatuts.histoStatut."""
    motives = Motive.objects.in_bulk({change.motive for change in changes if change.motive})
    return [
        {
            "histoStatutId": change.pk,
            "histoStatutCode": change.target,
            "histoStatutDatePassage": change.at,
            "histoStatutCommentaire": _status_comment(change, motives.get(change.motive)),
            "histoStatutMotifCode": change.motive or None,
            "histoStatutMotifLibelle": (
                str(motives[change.motive].label) if change.motive in motives else None
            ),
            "histoStatutNumeroMandat": change.mandate_number or None,
            "histoStatutLignesConcernees": list(change.lines or []),
            "histoStatutMontantConteste": change.disputed_amount,
            "histoStatutCodeCycleDeVie": change.lifecycle_code or None,
            "histoStatutCanal": change.channel,
            **_person(change, "histoStatut"),
        }
        for change in changes
    ]


def action_code(change: InvoiceStatusChange) -> str:
    """What was done, as histoActionCode: the deposit, then the workflow's action names."""
    return "DEPOT" if change.action == "create" else change.action.upper()


def actions(changes: list[InvoiceStatusChange]) -> list[dict]:
    """historiquesDesActionsUtilisateurs.histoAction: what each actor did, when."""
    return [
        {
            "histoActionId": change.pk,
            "histoActionCode": action_code(change),
            "histoActionDateHeure": change.at,
            **_person(change, "histoAction"),
        }
        for change in changes
    ]


def events(invoice: Invoice) -> list[dict]:
    """historiquesDesEvenementsComplementaires.evenement: supporting documents added."""
    return [
        {
            "evenementId": attachment.pk,
            "evenementDateHeure": attachment.created_at,
            "evenementLibelle": _("Pièce complémentaire ajoutée : %(name)s")
            % {"name": attachment.upload.name},
            "evenementQui": attachment.change.actor_label if attachment.change else "",
        }
        for attachment in invoice.added_attachments.select_related("upload", "change")
    ]
