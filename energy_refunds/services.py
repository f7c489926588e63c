"""Writes of the energy refunds: the beneficiary's profile, the request and its invoices, and
the request's moves. Every move goes through the workflow core (`status_transition`, table in
`energy_refunds.workflow`); the functions below name the business actions for the portal,
the back office, the API and the admin."""

import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from chorus.identifiers import normalise_siret
from chorus.models import BankAccount, Structure
from chorus.services import audit_record, bank_account_add
from chorus.workflow import Actor, history_start, status_transition
from energy_refunds import checks
from energy_refunds.enums import AttachmentKind, RefundRole, RefundStatus
from energy_refunds.models import (
    Beneficiary,
    FuelInvoice,
    RefundAttachment,
    RefundRequest,
    RefundStatusChange,
)
from energy_refunds.selectors import advance_paid_on, instructor_for, request_amounts
from energy_refunds.workflow import refund_roles

S = RefundStatus


class RequestExists(ValidationError):
    """A second request for the same delivery year: `existing` is the first one."""

    def __init__(self, existing: RefundRequest):
        super().__init__(
            {
                "year": _(
                    "Vous avez déjà une demande pour les livraisons %(year)d : %(reference)s. "
                    "Complétez-la plutôt que d'en créer une autre."
                )
                % {"year": existing.year, "reference": existing.reference}
            }
        )
        self.existing = existing


def _audit(actor: Actor, action: str, target, details: dict | None = None) -> None:
    audit_record(
        actor=actor.user,
        action=action,
        target=target,
        channel=actor.channel,
        structure=actor.structure,
        details=details,
    )


def _require_beneficiary(actor: Actor, request: RefundRequest, *, editable: bool = True) -> None:
    if RefundRole.BENEFICIAIRE not in refund_roles(actor, request):
        raise PermissionDenied(_("Cette demande n'est pas celle de votre structure."))
    if editable and not request.is_editable:
        raise ValidationError(
            _(
                "La demande est au statut « %(status)s » : elle ne peut plus être modifiée "
                "(seulement avant son instruction)."
            )
            % {"status": request.get_status_display()}
        )


@transaction.atomic
def beneficiary_save(
    *,
    structure: Structure,
    actor: Actor,
    kind: str,
    iban: str,
    bic: str,
    holder: str = "",
    instructor_override: Structure | None = None,
) -> Beneficiary:
    """Creates or updates a structure's beneficiary profile; the IBAN is one of the
    structure's bank accounts (added when new, after validation)."""
    if structure.is_public or actor.structure != structure:
        raise PermissionDenied
    account = BankAccount.objects.filter(structure=structure, iban=iban).first()
    if account is None:
        account = bank_account_add(
            structure=structure,
            actor=actor.user,
            channel=actor.channel,
            label=_("Remboursements TIC"),
            holder=holder or structure.legal_name,
            iban=iban,
            bic=bic,
        )
    beneficiary = Beneficiary.objects.filter(structure=structure).first() or Beneficiary(
        structure=structure
    )
    beneficiary.kind = kind
    beneficiary.bank_account = account
    beneficiary.instructor_override = instructor_override
    beneficiary.full_clean()
    beneficiary.save()
    _audit(actor, "energy_beneficiary_save", beneficiary, {"kind": kind})
    # Requests not yet under instruction follow the new bank account and routing.
    for request in beneficiary.requests.filter(status__in=RefundStatus.editable()):
        request.bank_account = account
        request.instructor = instructor_for(beneficiary)
        request.save(update_fields=["bank_account", "instructor", "updated_at"])
    return beneficiary


@transaction.atomic
def refund_request_create(
    *,
    beneficiary: Beneficiary,
    actor: Actor,
    year: int,
    advance_requested: bool = False,
    advance_commitment: bool = False,
    de_minimis_declared: bool = False,
    de_minimis_other_aid: Decimal | None = None,
) -> RefundRequest:
    """A draft request for one delivery year: one per beneficiary and year."""
    if actor.structure != beneficiary.structure:
        raise PermissionDenied
    existing = RefundRequest.objects.filter(beneficiary=beneficiary, year=year).first()
    if existing is not None:
        raise RequestExists(existing)
    error = checks.campaign_open_check(year)
    if error:
        raise ValidationError({"year": error})
    request = RefundRequest(
        reference=uuid.uuid4().hex[:30],
        beneficiary=beneficiary,
        year=year,
        instructor=instructor_for(beneficiary),
        bank_account=beneficiary.bank_account,
        advance_requested=advance_requested,
        advance_commitment=advance_commitment,
        de_minimis_declared=de_minimis_declared,
        de_minimis_other_aid=de_minimis_other_aid,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:  # a concurrent creation of the same year won
        raise RequestExists(RefundRequest.objects.get(beneficiary=beneficiary, year=year)) from exc
    request.reference = f"TIC-{year}-{request.pk:06d}"
    request.save(update_fields=["reference"])
    history_start(document=request, actor=actor)
    _audit(actor, "refund_request_create", request, {"year": year})
    return request


@transaction.atomic
def refund_request_update(
    *,
    request: RefundRequest,
    actor: Actor,
    advance_requested: bool,
    advance_commitment: bool,
    de_minimis_declared: bool,
    de_minimis_other_aid: Decimal | None = None,
) -> RefundRequest:
    """The beneficiary changes the request's options while it is not under instruction."""
    _require_beneficiary(actor, request)
    request.advance_requested = advance_requested
    request.advance_commitment = advance_commitment
    request.de_minimis_declared = de_minimis_declared
    request.de_minimis_other_aid = de_minimis_other_aid
    request.save()
    _audit(actor, "refund_request_update", request)
    return request


@transaction.atomic
def fuel_invoice_add(
    *,
    request: RefundRequest,
    actor: Actor,
    supplier_name: str,
    supplier_siret: str,
    number: str,
    invoice_date,
    delivery_date,
    product: str,
    quantity: Decimal,
    unit: str,
    pdf: File | None = None,
) -> FuelInvoice:
    """Adds one fuel invoice to a request after every check (errors by field)."""
    _require_beneficiary(actor, request)
    data = {
        "supplier_siret": supplier_siret,
        "number": number,
        "invoice_date": invoice_date,
        "delivery_date": delivery_date,
        "product": product,
        "quantity": quantity,
        "unit": unit,
    }
    errors = checks.fuel_invoice_errors(request=request, data=data)
    if errors:
        raise ValidationError(errors)
    invoice = FuelInvoice(
        request=request,
        beneficiary=request.beneficiary,
        supplier_name=supplier_name.strip(),
        supplier_siret=normalise_siret(supplier_siret),
        number=number.strip(),
        invoice_date=invoice_date,
        delivery_date=delivery_date,
        product=product,
        quantity=quantity,
        unit=unit,
    )
    if pdf is not None:
        invoice.pdf.save(getattr(pdf, "name", "facture.pdf") or "facture.pdf", pdf, save=False)
    try:
        with transaction.atomic():
            invoice.save()
    except IntegrityError as exc:  # claimed by a concurrent request
        raise ValidationError(
            {
                "number": checks.invoice_claimed_once_check(
                    beneficiary_id=request.beneficiary_id,
                    supplier_siret=supplier_siret,
                    number=number,
                )
                or _("Cette facture est déjà déclarée.")
            }
        ) from exc
    _audit(actor, "fuel_invoice_add", request, {"invoice": invoice.number})
    return invoice


@transaction.atomic
def fuel_invoice_remove(*, invoice: FuelInvoice, actor: Actor) -> None:
    request = invoice.request
    _require_beneficiary(actor, request)
    number = invoice.number
    if invoice.pdf:
        invoice.pdf.delete(save=False)
    invoice.delete()
    _audit(actor, "fuel_invoice_remove", request, {"invoice": number})


@transaction.atomic
def refund_attachment_add(
    *, request: RefundRequest, actor: Actor, kind: str, file: File, change=None
) -> RefundAttachment:
    _require_beneficiary(actor, request, editable=change is None)
    attachment = RefundAttachment(
        request=request, kind=kind, name=(file.name or "piece")[:200], change=change
    )
    attachment.file.save(file.name or "piece", file, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def refund_request_deposit(*, request: RefundRequest, actor: Actor) -> RefundStatusChange:
    """The beneficiary files the request: every check of the request passes first."""
    _require_beneficiary(actor, request)
    if request.instructor_id is None:
        request.instructor = instructor_for(request.beneficiary)
        request.save(update_fields=["instructor"])
    errors = checks.deposit_errors(request)
    if errors:
        raise ValidationError(errors)
    change = status_transition(document=request, target=S.DEPOSEE, actor=actor)
    request.deposited_at = change.at
    request.save(update_fields=["deposited_at", "updated_at"])
    return change


def refund_request_take(*, request: RefundRequest, actor: Actor) -> RefundStatusChange:
    return status_transition(document=request, target=S.EN_COURS_INSTRUCTION, actor=actor)


@transaction.atomic
def refund_request_validate(
    *,
    request: RefundRequest,
    actor: Actor,
    adjusted_amount: Decimal | None = None,
    reason: str = "",
) -> RefundStatusChange:
    """The instructor validates the refund, at the amount computed or at an adjusted one
    (with its reason); the advance already paid on the year is deducted, the advance asked on
    the next year is set."""
    computed = request_amounts(request)
    if computed.missing_rates:
        raise ValidationError(
            {
                "adjusted_amount": _(
                    "Un taux de remboursement manque : la demande ne peut être validée."
                )
            }
        )
    if adjusted_amount is not None and adjusted_amount == computed.gross:
        adjusted_amount = None
    if adjusted_amount is not None:
        if adjusted_amount < 0:
            raise ValidationError({"adjusted_amount": _("Le montant ne peut pas être négatif.")})
        if adjusted_amount > computed.gross:
            # A refund larger than the claim needs the claim corrected (a missing invoice added
            # by the beneficiary after a suspension), not an adjustment.
            raise ValidationError(
                {
                    "adjusted_amount": _(
                        "Le montant retenu ne peut dépasser le remboursement calculé (%(gross)s €) : "
                        "suspendez la demande pour que le bénéficiaire la complète."
                    )
                    % {"gross": number_format(computed.gross, 2)}
                }
            )
        if not reason.strip():
            raise ValidationError(
                {"reason": _("Expliquez au bénéficiaire pourquoi le montant est ajusté.")}
            )
    request.adjusted_amount = adjusted_amount
    request.adjustment_reason = reason.strip() if adjusted_amount is not None else ""
    request.advance_deducted = advance_paid_on(request.beneficiary_id, request.year)
    amounts = request_amounts(request)
    change = status_transition(
        document=request,
        target=S.VALIDEE,
        actor=actor,
        comment=request.adjustment_reason,
        amount=amounts.net,
    )
    request.validated_amount = amounts.retained
    request.advance_amount = amounts.advance
    request.save(
        update_fields=[
            "adjusted_amount",
            "adjustment_reason",
            "advance_deducted",
            "validated_amount",
            "advance_amount",
            "updated_at",
        ]
    )
    return change


def refund_request_suspend(
    *, request: RefundRequest, actor: Actor, motive: str, comment: str = ""
) -> RefundStatusChange:
    return status_transition(
        document=request, target=S.SUSPENDUE, actor=actor, motive=motive, comment=comment
    )


@transaction.atomic
def refund_request_complete(
    *, request: RefundRequest, actor: Actor, files: list[File], comment: str = ""
) -> RefundStatusChange:
    """The beneficiary answers a suspension with the document asked for."""
    _require_beneficiary(actor, request, editable=False)
    change = status_transition(
        document=request, target=S.COMPLETEE, actor=actor, comment=comment, attachments=files
    )
    for file in files:
        refund_attachment_add(
            request=request, actor=actor, kind=AttachmentKind.COMPLEMENT, file=file, change=change
        )
    return change


def refund_request_reject(
    *, request: RefundRequest, actor: Actor, motive: str, comment: str = ""
) -> RefundStatusChange:
    return status_transition(
        document=request, target=S.REJETEE, actor=actor, motive=motive, comment=comment
    )


def refund_request_pay(*, request: RefundRequest, actor: Actor) -> RefundStatusChange:
    """The payment is ordered: the balance of the year and the advance on the next."""
    return status_transition(
        document=request,
        target=S.MISE_EN_PAIEMENT,
        actor=actor,
        amount=request_amounts(request).to_pay,
    )


@transaction.atomic
def refund_request_record_payment(
    *, request: RefundRequest, actor: Actor, payment_reference: str
) -> RefundStatusChange:
    """The payment is made; the advance paid with it will be deducted next year."""
    payment_reference = payment_reference.strip()
    if not payment_reference:
        raise ValidationError({"payment_reference": _("Indiquez la référence du virement.")})
    change = status_transition(
        document=request,
        target=S.PAYEE,
        actor=actor,
        amount=request_amounts(request).to_pay,
        payment_reference=payment_reference[:60],
    )
    request.payment_reference = payment_reference[:60]
    fields = ["payment_reference", "updated_at"]
    if request.advance_amount > 0:
        request.advance_paid_at = timezone.now()
        fields.append("advance_paid_at")
    request.save(update_fields=fields)
    return change
