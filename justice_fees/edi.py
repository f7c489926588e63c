"""E3 flows: mémoires de frais de justice deposited as UBL 2.1 invoices (`syntaxeFlux`
`IN_DP_E3_UBL_INVOICE`) through the channels that take flows (API `deposer/flux`, the SFTP
drop, the portal's upload).

The raw file is stored as every flow is (invoices.ingestion.receive: Flow, ReceivedFile),
the pipeline reads it with the platform's UBL reader and checks it against the standards
(XSD, EN 16931 Schematron), then hands the canonical document to `memoire_from_canonical`,
which builds the mémoire through the same services as the portal and the API
(`services.memoire_submit`: entry, lines, attachments, deposit, every rule of
`justice_fees.rules`). A refusal is a finding of the flow's item, reported like an invoice's
(the flow's compte rendu, the EDI report in out/, consulterCRDetaille).

A flow deposited without a syntax (SFTP, portal) is taken for an E3 flow when its business
process (BT-23, cbc:ProfileID) is the cadre `A3_MEMOIRE_JUSTICE`.

Mapping of the UBL Invoice onto the mémoire:
- BT-23 business process (cbc:ProfileID): `A3_MEMOIRE_JUSTICE` (required without a declared
  syntax, advised always); BT-3 type code 380 (a mémoire is never a credit note).
- Seller (BG-4) = the provider: its SIRET (BT-29 with scheme 0009, or BT-30) must be a
  structure with a prestataire de justice profile, and the depositor itself.
- Buyer (BG-7) = the juridiction: its SIRET (BT-46 / BT-47), a public structure of kind
  JURIDICTION, active; BT-10 buyer reference = the code of the court's service (optional);
  BT-56 buyer contact point = the magistrate or officer who designated the provider.
- BT-1 invoice number = the mémoire's number (unique per provider); BT-2 issue date is the
  file's own date, not kept.
- BT-12 contract reference (cac:ContractDocumentReference) = the procedure number.
- BT-11 project reference (cac:ProjectReference) = the designating decision, written
  `<KIND>:<AAAA-MM-JJ>` with KIND one of REQUISITION, ORDONNANCE, JUGEMENT,
  COMMISSION_ROGATOIRE (e.g. `ORDONNANCE:2026-03-02`).
- BG-14 invoicing period end (BT-74) = the end of the mission (forclusion counted from it).
- BT-8 VAT point date code: 3 or 35 = TVA sur les débits, 432 = TVA sur les encaissements;
  without it, no line in category S means the franchise, else the provider's usual regime.
- Lines (BG-25): BT-155 item seller's identifier = the tariff code when it is one of the
  reference table's active codes (its nature and unit; a fixed tariff's price must be the
  line's BT-146), otherwise a free line labelled by BT-153 (nature FRAIS when taxed, DEBOURS
  at 0 %); BT-129 quantity, BT-146 unit price, BT-152 VAT rate.
- Attachments (BG-24), embedded: their nature is the start of BT-122 (DECISION, ATTESTATION,
  DECLARATION, DEVIS, otherwise AUTRE); the designating decision is mandatory.
- The total with VAT the platform computes must equal BT-112.
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from chorus.enums import IdentifierType
from chorus.models import Structure
from chorus.workflow import Actor
from invoices import canonical
from invoices.channels.portal.forms import mime_type_of
from invoices.enums import FlowSyntax
from invoices.ingestion.kinds import FlowKind
from invoices.models import FlowItem
from invoices.rules import recipient_lookup
from invoices.validation import Finding, Severity
from justice_fees import rules, services
from justice_fees.enums import CADRE_MEMOIRE, AttachmentKind, DecisionKind, LineKind, VatRegime
from justice_fees.models import Memoire, ProviderProfile, Tariff

_DECISION = re.compile(r"^\s*([A-Za-z_]+)\s*[:/ ]\s*(\d{4}-\d{2}-\d{2})\s*$")
_REGIME_OF_POINT_CODE = {"3": VatRegime.DEBITS, "35": VatRegime.DEBITS}
_REGIME_OF_POINT_CODE["432"] = VatRegime.ENCAISSEMENTS
# Where each field of the entry comes from in the UBL, to place a rule's refusal.
_RULE_OF_FIELD = {
    "juridiction": ("MEM-JURIDICTION", "BT-46"),
    "service": ("MEM-SERVICE", "BT-10"),
    "number": ("MEM-NUMERO", "BT-1"),
    "mission_end_date": ("MEM-FIN-MISSION", "BT-74"),
    "lines": ("MEM-LIGNES", "BG-25"),
    "attachments": ("MEM-DECISION", "BG-24"),
    "provider": ("MEM-PRESTATAIRE", "BT-29"),
}


class _Refused(Exception):
    def __init__(self, findings: list[Finding]):
        super().__init__(findings)
        self.findings = findings


def _fatal(rule: str, bt: str, fr: str, en: str) -> Finding:
    return Finding(
        rule=rule, severity=Severity.FATAL, message_fr=fr, message_en=en, bt=bt, stage="memoire"
    )


def _provider(document: canonical.Invoice, depositor: Structure) -> Structure:
    siret = (document.seller_siret or "").replace(" ", "")
    if not siret:
        raise _Refused(
            [
                _fatal(
                    "MEM-PRESTATAIRE",
                    "BT-29",
                    "Le vendeur (BG-4) n'a pas de SIRET (BT-29 de schéma 0009) : un mémoire "
                    "déposé par flux E3 nomme le prestataire de justice par son SIRET. Sans "
                    "SIRET, saisissez le mémoire sur le portail.",
                    "The seller (BG-4) has no SIRET (BT-29 with scheme 0009): an E3 flow names "
                    "the justice provider by SIRET. Without one, enter the mémoire on the portal.",
                )
            ]
        )
    provider = Structure.objects.filter(
        is_public=False, identifier_type=IdentifierType.SIRET, identifier=siret
    ).first()
    if provider is None or not ProviderProfile.objects.filter(structure=provider).exists():
        raise _Refused(
            [
                _fatal(
                    "MEM-PRESTATAIRE",
                    "BT-29",
                    f"Le SIRET du vendeur {siret} n'est celui d'aucun prestataire de justice "
                    "inscrit : le prestataire renseigne son profil (expert, interprète, "
                    "traducteur...) dans son espace avant de déposer des mémoires.",
                    f"The seller's SIRET {siret} is that of no registered justice provider: the "
                    "provider fills in its profile (expert, interpreter, translator...) first.",
                )
            ]
        )
    if provider.pk != depositor.pk:
        raise _Refused(
            [
                _fatal(
                    "MEM-PRESTATAIRE",
                    "BT-29",
                    f"Le vendeur ({provider.legal_name}, SIRET {siret}) n'est pas la structure "
                    f"qui dépose le flux ({depositor.legal_name}) : une structure ne dépose que "
                    "ses propres mémoires.",
                    f"The seller ({provider.legal_name}, SIRET {siret}) is not the structure "
                    f"depositing the flow ({depositor.legal_name}): a structure deposits only "
                    "its own mémoires.",
                )
            ]
        )
    return provider


def _decision(document: canonical.Invoice) -> tuple[str, datetime.date]:
    value = (document.project_reference or "").strip()
    match = _DECISION.match(value)
    kind = match.group(1).upper() if match else ""
    try:
        day = datetime.date.fromisoformat(match.group(2)) if match else None
    except ValueError:
        day = None
    if kind in DecisionKind.values and day is not None:
        return kind, day
    kinds = ", ".join(DecisionKind.values)
    raise _Refused(
        [
            _fatal(
                "MEM-DECISION-REF",
                "BT-11",
                f"La référence de projet (BT-11, cac:ProjectReference) « {value} » ne désigne "
                f"pas la décision de désignation : écrivez sa nature ({kinds}) et sa date, par "
                "exemple ORDONNANCE:2026-03-02.",
                f"The project reference (BT-11) '{value}' does not give the designating "
                f"decision: write its kind ({kinds}) and its date, e.g. ORDONNANCE:2026-03-02.",
            )
        ]
    )


def _simple_fields(document: canonical.Invoice) -> list[Finding]:
    refusals = []
    if document.is_credit_note or document.type_code != canonical.TYPE_INVOICE:
        refusals.append(
            _fatal(
                "MEM-TYPE",
                "BT-3",
                f"Le type de document (BT-3) {document.type_code} n'est pas celui d'un mémoire : "
                "un mémoire de frais de justice est déposé avec le code 380.",
                f"The document type (BT-3) {document.type_code} is not a mémoire's: use 380.",
            )
        )
    if not (document.contract_reference or "").strip():
        refusals.append(
            _fatal(
                "MEM-PROCEDURE",
                "BT-12",
                "Le numéro de procédure (numéro de parquet, RG ou PV) manque : indiquez-le en "
                "référence de contrat (BT-12, cac:ContractDocumentReference).",
                "The procedure number is missing: give it as the contract reference (BT-12).",
            )
        )
    contact = document.buyer.contact
    if not (contact and (contact.name or contact.department or "").strip()):
        refusals.append(
            _fatal(
                "MEM-REQUERANT",
                "BT-56",
                "Le magistrat ou l'officier requérant manque : indiquez son nom et sa qualité "
                "en contact de l'acheteur (BT-56, cac:AccountingCustomerParty//cac:Contact/"
                "cbc:Name).",
                "The requesting magistrate or officer is missing: give them as the buyer's "
                "contact point (BT-56).",
            )
        )
    period = document.invoicing_period
    if period is None or period.end is None:
        refusals.append(
            _fatal(
                "MEM-FIN-MISSION",
                "BT-74",
                "La date de fin de la mission manque : indiquez-la en fin de période de "
                "facturation (BT-74, cac:InvoicePeriod/cbc:EndDate) ; le délai de forclusion "
                "d'un an court à partir d'elle.",
                "The end date of the mission is missing: give it as the invoicing period's "
                "end (BT-74); the one-year forclusion runs from it.",
            )
        )
    if not any(
        (a.id or "").upper().startswith(AttachmentKind.DECISION) and a.content
        for a in document.attachments
    ):
        refusals.append(
            _fatal(
                "MEM-DECISION",
                "BG-24",
                "La décision de désignation (réquisition, ordonnance, jugement ou commission "
                "rogatoire) est obligatoire : joignez-la au fichier, intégrée dans une pièce "
                "jointe (BG-24) dont l'identifiant (BT-122) commence par DECISION.",
                "The designating decision is mandatory: embed it in an attachment (BG-24) whose "
                "identifier (BT-122) starts with DECISION.",
            )
        )
    return refusals


def _vat_regime(document: canonical.Invoice, provider: Structure) -> str:
    regime = _REGIME_OF_POINT_CODE.get((document.tax_point_date_code or "").strip())
    if regime:
        return regime
    if not any(line.vat_category_code == "S" for line in document.lines):
        return VatRegime.FRANCHISE
    usual = provider.justice_profile.vat_regime
    return usual if usual != VatRegime.FRANCHISE else VatRegime.DEBITS


def _lines(document: canonical.Invoice) -> list[services.LineInput]:
    codes = {line.item.seller_id.strip() for line in document.lines if line.item.seller_id}
    tariffs = {t.code: t for t in Tariff.objects.filter(code__in=codes, active=True)}
    lines, refusals = [], []
    for line in document.lines:
        tariff = tariffs.get((line.item.seller_id or "").strip())
        price = line.price.net_price
        if line.price.base_quantity:
            price = price / line.price.base_quantity
        rate = line.vat_rate or Decimal(0)
        if tariff is not None and not tariff.is_free_amount and price != tariff.unit_price:
            refusals.append(
                _fatal(
                    "MEM-TARIF",
                    "BT-146",
                    f"Ligne {line.id} : le prix unitaire {price} € de la prestation "
                    f"{tariff.code} diffère du tarif du référentiel ({tariff.unit_price} €) : "
                    "indiquez le prix du tarif.",
                    f"Line {line.id}: the unit price {price} € of {tariff.code} differs from "
                    f"the reference tariff ({tariff.unit_price} €).",
                )
            )
            continue
        if tariff is not None:
            kind = tariff.kind
        else:
            kind = LineKind.FRAIS if rate > 0 else LineKind.DEBOURS
        lines.append(
            services.LineInput(
                kind=kind,
                label=line.item.name,
                quantity=line.quantity,
                unit_price=price,
                vat_rate=rate,
                tariff=tariff,
            )
        )
    if refusals:
        raise _Refused(refusals)
    return lines


def _uploads(document: canonical.Invoice) -> list[services.Upload]:
    uploads = []
    for attachment in document.attachments:
        if not attachment.content:
            continue  # a reference by URI: nothing to keep
        ident = (attachment.id or "").upper()
        kind = next(
            (k for k in AttachmentKind.values if k != AttachmentKind.AUTRE and ident.startswith(k)),
            AttachmentKind.AUTRE,
        )
        name = attachment.filename or f"{attachment.id}.pdf"
        uploads.append(
            services.Upload(
                kind, name, attachment.content, attachment.mime_code or mime_type_of(name)
            )
        )
    return uploads


def _submit(*, item, document, actor, provider, decision, juridiction, service) -> Memoire:
    kind, day = decision
    contact = document.buyer.contact
    memoire = services.memoire_submit(
        provider=provider,
        actor=actor,
        juridiction=juridiction,
        service=service,
        number=document.number,
        decision_kind=kind,
        decision_date=day,
        procedure_number=document.contract_reference or "",
        requester=(contact.name or contact.department or "")[:150],
        mission_end_date=document.invoicing_period.end,
        vat_regime=_vat_regime(document, provider),
        lines=_lines(document),
        uploads=_uploads(document),
    )
    expected = document.totals.tax_inclusive_amount
    if memoire.claimed_total != expected:
        services.memoire_attachment_files_delete(
            memoire.attachments.select_related("upload__received_file")
        )
        raise _Refused(
            [
                _fatal(
                    "MEM-TOTAL",
                    "BT-112",
                    f"Le montant TTC du fichier (BT-112, {expected} €) diffère de celui que la "
                    f"plateforme calcule pour le mémoire ({memoire.claimed_total} €, régime "
                    f"{memoire.get_vat_regime_display()}) : vérifiez les taux de TVA et le "
                    "régime (BT-8).",
                    f"The file's total with VAT (BT-112, {expected} €) differs from the "
                    f"mémoire's as the platform computes it ({memoire.claimed_total} €).",
                )
            ]
        )
    Memoire.objects.filter(pk=memoire.pk).update(flow_item=item)
    return memoire


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    """By field of the entry; an error without one concerns the lines (their amounts)."""
    return exc.message_dict if hasattr(exc, "error_dict") else {"lines": exc.messages}


def _rule_findings(exc: ValidationError, english: dict[str, list[str]]) -> list[Finding]:
    findings = []
    for field, messages in _messages(exc).items():
        rule, bt = _RULE_OF_FIELD.get(field, ("MEM-REGLE", None))
        for index, message in enumerate(messages):
            en = english.get(field, [])
            findings.append(_fatal(rule, bt, message, en[index] if index < len(en) else message))
    return findings


def memoire_from_canonical(
    *, item: FlowItem, document: canonical.Invoice, actor: Actor
) -> list[Finding]:
    """The mémoire of an E3 flow's item, entered and deposited (DEPOSE, in the court's queue);
    answers the findings, a fatal one when refused, and then nothing is kept.

    Idempotent: the mémoire records its flow item (unique), and is written in the item's own
    transaction, so a retried task finds either the item closed or nothing written."""
    if Memoire.objects.filter(flow_item=item).exists():
        return []
    refusals = _simple_fields(document)
    try:
        provider = _provider(document, item.flow.structure)
    except _Refused as refused:
        refusals = refused.findings + refusals
    juridiction = recipient_lookup(document.buyer_siret)
    if rules.juridiction_error(juridiction):
        fr, en = (_in(language, rules.juridiction_error, juridiction) for language in ("fr", "en"))
        refusals.append(_fatal("MEM-JURIDICTION", "BT-46", fr, en))
    if not refusals:
        try:
            decision = _decision(document)
        except _Refused as refused:
            refusals = refused.findings
    if refusals:
        return refusals
    service = None
    if document.buyer_reference:
        service = juridiction.services.filter(code=document.buyer_reference.strip()).first()
        if service is None:
            return [
                _fatal(
                    "MEM-SERVICE",
                    "BT-10",
                    f"{juridiction.legal_name} n'a pas de service de code "
                    f"« {document.buyer_reference} » (BT-10) : indiquez le code du service "
                    "centralisateur des frais de justice, ou aucun.",
                    f"{juridiction.legal_name} has no service with code "
                    f"'{document.buyer_reference}' (BT-10).",
                )
            ]
    arguments = {
        "item": item,
        "document": document,
        "actor": actor,
        "provider": provider,
        "decision": decision,
        "juridiction": juridiction,
        "service": service,
    }
    try:
        with transaction.atomic(), translation.override("fr"):
            _submit(**arguments)
    except _Refused as refused:
        return refused.findings
    except IntegrityError:
        # A mémoire with this number got in first (the constraint behind the rule).
        return [
            _fatal(
                "MEM-NUMERO",
                "BT-1",
                _in("fr", rules.duplicate_number_message, document.number),
                _in("en", rules.duplicate_number_message, document.number),
            )
        ]
    except ValidationError as refused:
        return _rule_findings(refused, _english(arguments))
    return []


def _in(language: str, function, *args) -> str:
    with translation.override(language):
        return str(function(*args))


def _english(arguments: dict) -> dict[str, list[str]]:
    """The same refusal in English: the entry run again (and undone) in that language."""
    try:
        with transaction.atomic(), translation.override("en"):
            _submit(**arguments)
            transaction.set_rollback(True)
    except ValidationError as refused:
        return _messages(refused)
    except Exception:  # noqa: BLE001 - only the texts are wanted here
        return {}
    return {}


def memoire_report_entry(item: FlowItem) -> dict:
    """What the flow's report says of the mémoire an item deposited: its number, id and
    status, under the report's names (numeroFacture holds BT-1, the mémoire's number)."""
    memoire = Memoire.objects.filter(flow_item=item).first()
    if memoire is None:
        return {}
    return {
        "numeroFacture": memoire.number,
        "identifiantMemoireCPP": memoire.pk,
        "statutMemoire": memoire.status,
    }


FLOW_KIND = FlowKind(
    syntax=FlowSyntax.MEMOIRE_UBL,
    business_process=CADRE_MEMOIRE,
    deposit=memoire_from_canonical,
    report_entry=memoire_report_entry,
)
