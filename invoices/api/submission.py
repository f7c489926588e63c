"""The canonical invoice of a structured submission (soumettreFacture), and its checks.

`invoice_from_submission` turns the Chorus Pro fields into an EN 16931 invoice: the supplier
is the caller's structure (SIRET, name, address, VAT number), the recipient comes from the
directory, lines carry their VAT rate code (TVA20...) or a manual rate and an optional
discount (a line allowance), and the line amounts, VAT breakdown and totals are computed by
`invoices.totals` with the EN 16931 rounding; the invoice itself is built by the portal's
conversion too (`invoices.keyed`). Every problem of the request is collected,
each with the field it concerns, and refused together (`CproFieldsError`), so the depositor
fixes all at once.

`amounts_check` compares the amounts the depositor sent (ligneTva, montantTotal) with
the computed ones: a difference is refused rather than silently trusting either side.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chorus.models import BankAccount, Structure
from invoices import canonical as c
from invoices import rules
from invoices.api import errors
from invoices.dates import implausible_date
from invoices.keyed import KeyedInvoice, attachment_from_upload, bank_transfer, keyed_to_canonical
from invoices.models import AttachmentUpload
from invoices.totals import Exemption, line_net_amount, money
from invoices.validation.codelists import official_code_lists

# What is wrong with a field of the request, and how to fix it.
RECIPIENT_UNKNOWN = gettext_lazy(
    "« {code} » n'est pas le SIRET d'une structure publique de l'annuaire : vérifiez-le avec "
    "structures/v1/rechercher."
)
BANK_ACCOUNT_REQUIRED = gettext_lazy(
    "un paiement par virement exige vos coordonnées bancaires : donnez l'identifiant d'un "
    "compte bancaire actif de votre structure ({available})."
)
BANK_ACCOUNT_NOT_FOUND = gettext_lazy(
    "{bank_account_id} n'est pas un compte bancaire actif de votre structure : utilisez l'un "
    "de ceux-ci : {available}."
)
ATTACHMENT_NOT_FOUND = gettext_lazy(
    "{field} {attachment_id} ne désigne aucune pièce jointe déposée par votre structure : "
    "déposez le fichier avec transverses/v1/ajouter/fichier et donnez le pieceJointeId qu'il "
    "renvoie."
)
ATTACHMENT_MIME_REFUSED = gettext_lazy(
    "la pièce jointe « {name} » (type {mime_type}) ne peut pas être intégrée à la facture : la "
    "norme EN 16931 n'admet que {allowed}. Convertissez-la (en PDF par exemple) puis "
    "déposez-la à nouveau."
)

TYPE_CODES = {"FACTURE": c.TYPE_INVOICE, "AVOIR": c.TYPE_CREDIT_NOTE, "ACOMPTE": c.TYPE_PREPAYMENT}
CADRE_SUPPORTED = "A1_FACTURE_FOURNISSEUR"

# VAT regimes (typeTva).
TVA_SUR_DEBIT = "TVA_SUR_DEBIT"
TVA_SUR_ENCAISSEMENT = "TVA_SUR_ENCAISSEMENT"
EXONERATION = "EXONERATION"
SANS_TVA = "SANS_TVA"
TYPES_TVA = [TVA_SUR_DEBIT, TVA_SUR_ENCAISSEMENT, EXONERATION, SANS_TVA]
# BT-8 (UNTDID 2005): VAT due on the invoice date (debits) or on payment (receipts).
TAX_POINT_CODES = {TVA_SUR_DEBIT: "3", TVA_SUR_ENCAISSEMENT: "432"}

# VAT rate codes of the Chorus Pro reference list (recuperer/tauxtva).
RATE_CODES = {
    "TVA20": Decimal("20"),
    "TVA10": Decimal("10"),
    "TVA5.5": Decimal("5.5"),
    "TVA2.1": Decimal("2.1"),
    "TVA0": Decimal("0"),
}

# modePaiement -> payment means (UNTDID 4461) and its label (BT-82).
PAYMENT_MEANS = {
    "VIREMENT": ("30", "Virement"),
    "CHEQUE": ("20", "Chèque"),
    "PRELEVEMENT": ("49", "Prélèvement"),
    "ESPECE": ("10", "Espèces"),
    "AUTRE": ("1", "Autre"),
    "REPORT": ("97", "Report"),
}

# Common French unit names -> UN/ECE Recommendation 20 codes (BT-130).
UNIT_NAMES = {
    "": "C62",
    "unite": "C62",
    "unité": "C62",
    "u": "C62",
    "piece": "C62",
    "pièce": "C62",
    "forfait": "C62",
    "heure": "HUR",
    "h": "HUR",
    "jour": "DAY",
    "j": "DAY",
    "semaine": "WEE",
    "mois": "MON",
    "annee": "ANN",
    "année": "ANN",
    "kg": "KGM",
    "kilogramme": "KGM",
    "tonne": "TNE",
    "litre": "LTR",
    "l": "LTR",
    "m": "MTR",
    "metre": "MTR",
    "mètre": "MTR",
    "m2": "MTK",
    "m3": "MTQ",
    "km": "KMT",
    "lot": "LO",
}


class _Problems:
    """The request's problems, each tied to the field it concerns."""

    def __init__(self):
        self.items: list[dict] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"champ": field, "message": f"« {field} » : {message}"})

    def raise_if_any(self, message=errors.SUBMISSION_INVALID, **params) -> None:
        if self.items:
            details = " ; ".join(item["message"].rstrip(".") for item in self.items)
            raise errors.CproFieldsError(message, erreurs=self.items, details=details, **params)


_INVALID = object()  # a rate was given but cannot be used (already reported)


def _rate_code(value: str | None) -> str:
    """A rate code as RATE_CODES spells it: "tva5,5 " is TVA5.5."""
    return (value or "").strip().upper().replace(",", ".")


def _rate(line: dict, field: str, problems: _Problems):
    """The line's VAT rate, None when none is given, `_INVALID` when the one given is wrong."""
    code = _rate_code(line.get("lignePosteTauxTva"))
    manual = line.get("lignePosteTauxTvaManuel")
    if code and manual is not None:
        problems.add(
            field,
            _("donnez lignePosteTauxTva ou lignePosteTauxTvaManuel, pas les deux."),
        )
        return _INVALID
    if code:
        if code not in RATE_CODES:
            problems.add(
                f"{field}.lignePosteTauxTva",
                _("« %(code)s » n'est pas un code de taux : utilisez %(codes)s.")
                % {"code": code, "codes": ", ".join(RATE_CODES)},
            )
            return _INVALID
        return RATE_CODES[code]
    if manual is not None:
        if manual < 0 or manual >= 100:
            problems.add(
                f"{field}.lignePosteTauxTvaManuel",
                _("un taux de TVA est compris entre 0 et 100 (par exemple 8.5)."),
            )
            return _INVALID
        return manual
    return None


def show(value: Decimal) -> str:
    """A decimal as people write it: 12, 5.5, 1600.5."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _unit(value: str, field: str, problems: _Problems) -> str:
    raw = (value or "").strip()
    codes = official_code_lists()["BR-CL-23"].codes
    if raw.upper() in codes:
        return raw.upper()
    if raw.lower() in UNIT_NAMES:
        return UNIT_NAMES[raw.lower()]
    problems.add(
        field,
        _(
            "unité « %(unit)s » inconnue : donnez un code UN/ECE Recommandation 20 (C62 unité, "
            "HUR heure, DAY jour, MON mois, KGM kilogramme, LTR litre, MTR mètre…)."
        )
        % {"unit": raw},
    )
    return "C62"


def _lines(data: dict, regime: str, exemption: str, problems: _Problems) -> list[c.Line]:
    lines = []
    for index, entry in enumerate(data["lignePoste"]):
        field = f"lignePoste[{index}]"
        rate = _rate(entry, field, problems)
        if rate is _INVALID:
            category, rate = "S", Decimal(0)
        elif regime == SANS_TVA:
            if rate:
                problems.add(
                    field, _("une facture sans TVA (typeTva SANS_TVA) n'a que des lignes à 0 %.")
                )
            category, rate = "O", None
        elif regime == EXONERATION:
            if rate:
                problems.add(
                    field,
                    _(
                        "une facture exonérée (typeTva EXONERATION) n'a que des lignes à 0 % : "
                        "retirez le taux ou changez typeTva."
                    ),
                )
            category, rate = "E", Decimal(0)
        elif rate is None:
            problems.add(
                field,
                _("donnez le taux de TVA de la ligne (lignePosteTauxTva, par exemple TVA20)."),
            )
            category, rate = "S", Decimal(0)
        else:
            category = "S" if rate > 0 else "E"
        if category == "E" and not exemption:
            problems.add(
                "references.motifExonerationTva",
                _(
                    "la ligne %(line)s n'est pas soumise à la TVA : donnez le motif "
                    "d'exonération (par exemple « Exonération de TVA, article 261-4-4° du "
                    "CGI »)."
                )
                % {"line": index + 1},
            )
        quantity = entry["lignePosteQuantite"]
        price = c.Price(net_price=entry["lignePosteMontantUnitaireHT"])
        discount = entry.get("lignePosteMontantRemiseHT")
        allowances = (
            [c.AllowanceCharge(is_charge=False, amount=money(discount), reason="Remise")]
            if discount
            else []
        )
        line = c.Line(
            id=str(entry.get("lignePosteNumero") or index + 1),
            quantity=quantity,
            unit_code=_unit(
                entry.get("lignePosteUnite") or "", f"{field}.lignePosteUnite", problems
            ),
            net_amount=line_net_amount(
                quantity=quantity, price=price, allowances_charges=allowances
            ),
            price=price,
            vat_category_code=category,
            vat_rate=rate,
            item=c.Item(
                name=entry["lignePosteDenomination"],
                seller_id=entry.get("lignePosteReference") or None,
            ),
            allowances_charges=allowances,
        )
        lines.append(line)
    return lines


def _exemption(motive: str) -> Exemption:
    """The exemption motive as given: a VATEX code (BT-121) or a text (BT-120)."""
    if motive.upper().startswith("VATEX"):
        return Exemption(code=motive.upper())
    return Exemption(reason=motive or None)


def _payment(data: dict, structure: Structure, problems: _Problems) -> c.PaymentInstructions | None:
    mode = (data.get("references") or {}).get("modePaiement")
    if not mode:
        return None
    code, label = PAYMENT_MEANS[mode]
    payment = c.PaymentInstructions(
        means_code=code, means_text=label, remittance_information=data["numeroFactureSaisi"]
    )
    if mode != "VIREMENT":
        return payment
    accounts = BankAccount.objects.filter(structure=structure, active=True)
    available = ", ".join(f"{a.pk} ({a.label})" for a in accounts) or _(
        "aucun : enregistrez un compte bancaire sur le portail"
    )
    wanted = (data.get("fournisseur") or {}).get("codeCoordonneesBancairesFournisseur")
    field = "fournisseur.codeCoordonneesBancairesFournisseur"
    if wanted is None:
        problems.add(field, str(BANK_ACCOUNT_REQUIRED).format(available=available))
        return payment
    account = accounts.filter(pk=wanted).first()
    if account is None:
        problems.add(
            field,
            str(BANK_ACCOUNT_NOT_FOUND).format(bank_account_id=wanted, available=available),
        )
        return payment
    return bank_transfer(account, remittance=data["numeroFactureSaisi"], means_text=label)


def _attachments(data: dict, structure: Structure, problems: _Problems) -> list[c.Attachment]:
    wanted = [
        (
            "pieceJointePrincipale",
            index,
            entry["pieceJointePrincipaleId"],
            entry.get("pieceJointePrincipaleDesignation"),
        )
        for index, entry in enumerate(data.get("pieceJointePrincipale") or [])
    ] + [
        (
            "pieceJointeComplementaire",
            index,
            entry["pieceJointeComplementaireId"],
            entry.get("pieceJointeComplementaireDesignation"),
        )
        for index, entry in enumerate(data.get("pieceJointeComplementaire") or [])
    ]
    uploads = AttachmentUpload.objects.select_related("received_file").filter(
        structure=structure, pk__in=[entry[2] for entry in wanted]
    )
    by_id = {upload.pk: upload for upload in uploads}
    allowed_types = official_code_lists()["BR-CL-24"].codes
    attachments = []
    for key, index, upload_id, designation in wanted:
        field = f"{key}[{index}]"
        upload = by_id.get(upload_id)
        if upload is None:
            problems.add(
                field,
                str(ATTACHMENT_NOT_FOUND).format(field=f"{key}Id", attachment_id=upload_id),
            )
            continue
        if upload.mime_type not in allowed_types:
            problems.add(
                field,
                str(ATTACHMENT_MIME_REFUSED).format(
                    name=upload.name,
                    mime_type=upload.mime_type,
                    allowed=", ".join(sorted(allowed_types)),
                ),
            )
            continue
        attachments.append(
            attachment_from_upload(upload, id=f"PJ{upload.pk}", description=designation)
        )
    return attachments


def _recipient(code: str, problems: _Problems) -> Structure | None:
    recipient = rules.recipient_lookup(code)
    if recipient is None:
        problems.add(
            "destinataire.codeDestinataire",
            str(RECIPIENT_UNKNOWN).format(code=code),
        )
    return recipient


def invoice_from_submission(*, data: dict, structure: Structure) -> c.Invoice:
    """The canonical invoice of a soumettreFacture request, or every problem at once."""
    problems = _Problems()
    supplier_id = (data.get("fournisseur") or {}).get("idFournisseur")
    if supplier_id is not None and supplier_id != structure.pk:
        raise errors.CproError(
            errors.SUPPLIER_NOT_CALLER, supplier_id=supplier_id, structure_id=structure.pk
        )
    cadre = (data.get("cadreDeFacturation") or {}).get("codeCadreFacturation") or CADRE_SUPPORTED
    if cadre != CADRE_SUPPORTED:
        problems.add(
            "cadreDeFacturation.codeCadreFacturation",
            _(
                "le cadre %(cadre)s n'est pas disponible par l'API : soumettez une facture "
                "fournisseur (%(supported)s)."
            )
            % {"cadre": cadre, "supported": CADRE_SUPPORTED},
        )
    references = data.get("references") or {}
    totals_in = data["montantTotal"]
    if totals_in.get("montantRemiseGlobaleTTC"):
        problems.add(
            "montantTotal.montantRemiseGlobaleTTC",
            _(
                "une remise globale TTC ne peut pas figurer dans une facture EN 16931 : "
                "portez la remise sur les lignes (lignePosteMontantRemiseHT)."
            ),
        )
    regime = references.get("typeTva") or ""
    exemption = (references.get("motifExonerationTva") or "").strip()
    type_code = TYPE_CODES[references.get("typeFacture") or "FACTURE"]
    for field in ("dateFacture", "dateEcheancePaiement"):
        if data.get(field) and (reason := implausible_date(data[field])):
            problems.add(field, reason)
    recipient = _recipient(data["destinataire"]["codeDestinataire"], problems)
    lines = _lines(data, regime, exemption, problems)
    payment = _payment(data, structure, problems)
    attachments = _attachments(data, structure, problems)
    problems.raise_if_any()

    origin = references.get("numeroFactureOrigine")
    return keyed_to_canonical(
        KeyedInvoice(
            supplier=structure,
            recipient=recipient,
            number=data["numeroFactureSaisi"],
            issue_date=data["dateFacture"],
            type_code=type_code,
            lines=lines,
            service_code=data["destinataire"].get("codeServiceExecutant") or "",
            engagement=references.get("numeroBonCommande") or "",
            contract_reference=references.get("numeroMarche") or "",
            preceding_number=origin or "",
            due_date=data.get("dateEcheancePaiement"),
            exemption=_exemption(exemption),
            prepaid=totals_in.get("acompte"),
            # BR-O-02: no VAT identifiers on an invoice outside VAT
            with_vat=regime != SANS_TVA,
            tax_point_date_code=TAX_POINT_CODES.get(regime),
            currency=(references.get("deviseFacture") or "EUR").upper(),
            payment=payment,
            note=(data.get("commentaire") or "").strip(),
            attachments=tuple(attachments),
        )
    )


def _differs(sent: Decimal | None, computed: Decimal | None) -> bool:
    return sent is not None and sent != (computed or Decimal(0))


def amounts_check(invoice: c.Invoice, data: dict) -> None:
    """Refuses (`CproFieldsError`) amounts sent that differ from the computed ones."""
    problems = _Problems()
    sent = data["montantTotal"]
    totals = invoice.totals
    for key, computed in (
        ("montantHtTotal", totals.tax_exclusive_amount),
        ("montantTVA", totals.vat_total),
        ("montantTtcTotal", totals.tax_inclusive_amount),
        ("montantAPayer", totals.amount_due),
    ):
        if _differs(sent.get(key), computed):
            problems.add(
                f"montantTotal.{key}",
                _("%(sent)s transmis, %(computed)s calculé")
                % {"sent": show(sent[key]), "computed": computed},
            )
    by_rate = {(b.rate or Decimal(0)).normalize(): b for b in invoice.vat_breakdown}
    for index, entry in enumerate(data.get("ligneTva") or []):
        field = f"ligneTva[{index}]"
        code = _rate_code(entry.get("ligneTvaTaux"))
        rate = RATE_CODES.get(code, entry.get("ligneTvaTauxManuel"))
        if rate is None:
            problems.add(
                field,
                _("donnez le taux (ligneTvaTaux parmi %(codes)s, ou ligneTvaTauxManuel).")
                % {"codes": ", ".join(RATE_CODES)},
            )
            continue
        breakdown = by_rate.pop(rate.normalize(), None)
        if breakdown is None:
            problems.add(
                field,
                _("aucune ligne de la facture n'est au taux de %(rate)s %%.")
                % {"rate": show(rate)},
            )
            continue
        for key, computed in (
            ("ligneTvaMontantBaseHtParTaux", breakdown.taxable_amount),
            ("ligneTvaMontantTvaParTaux", breakdown.tax_amount),
        ):
            if _differs(entry.get(key), computed):
                problems.add(
                    f"{field}.{key}",
                    _("%(sent)s transmis, %(computed)s calculé au taux de %(rate)s %%")
                    % {"sent": show(entry[key]), "computed": computed, "rate": show(rate)},
                )
    if data.get("ligneTva"):
        for rate, breakdown in by_rate.items():
            problems.add(
                "ligneTva",
                _("le taux de %(rate)s %% (base %(base)s) manque au récapitulatif de TVA.")
                % {"rate": show(rate), "base": breakdown.taxable_amount},
            )
    problems.raise_if_any(errors.AMOUNTS_MISMATCH)
