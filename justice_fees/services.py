"""Writes on mémoires: the draft keyed in four steps, its attachments, its deposit, and every
move after it. Every move goes through the workflow core (`chorus.workflow.status_transition`,
table in `justice_fees.workflow`); the functions below name the business actions for their
callers (portal pages, court pages, API).

Business refusals are raised as ValidationError keyed by the entry's field they concern."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.enums import Channel, IdentifierType, Role
from chorus.models import Membership, Service, Structure, TechnicalAccount, User
from chorus.services import audit_record, membership_add, structure_create
from chorus.workflow import Actor, history_start, status_transition
from invoices.services import attachment_upload_create
from justice_fees import rules
from justice_fees.enums import CourtRoleKind, LineKind, MemoireStatus, VatRegime
from justice_fees.models import (
    CourtRole,
    Memoire,
    MemoireAttachment,
    MemoireLine,
    MemoireStatusChange,
    ProviderProfile,
    Tariff,
)
from justice_fees.totals import cents, certified_totals, claimed_totals, line_net

S = MemoireStatus


# Providers and courts --------------------------------------------------------------------


@transaction.atomic
def provider_profile_set(
    *, structure: Structure, kind: str, speciality: str, vat_regime: str, actor: User | None
) -> ProviderProfile:
    if structure.is_public:
        raise ValidationError(
            {"kind": _("Une structure publique ne dépose pas de mémoire de frais de justice.")}
        )
    profile, _created = ProviderProfile.objects.update_or_create(
        structure=structure,
        defaults={"kind": kind, "speciality": speciality.strip(), "vat_regime": vat_regime},
    )
    audit_record(actor=actor, action="provider_profile_set", target=profile, structure=structure)
    return profile


@transaction.atomic
def provider_person_signup(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    birth_date: datetime.date,
    address_line: str,
    postcode: str,
    city: str,
    kind: str,
    speciality: str,
) -> tuple[User, Membership]:
    """A prestataire de justice without SIRET: identified by identity (IdentifierType
    PARTICULIER: name and date of birth), managing their own structure."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _("Un compte existe déjà avec l'adresse %(email)s : connectez-vous.")
                % {"email": email}
            }
        )
    identifier = f"{last_name.strip().upper()} {first_name.strip()} {birth_date:%d/%m/%Y}"
    if Structure.objects.filter(
        identifier_type=IdentifierType.PARTICULIER, identifier=identifier
    ).exists():
        raise ValidationError(
            {
                "last_name": _(
                    "Une personne de même nom et date de naissance est déjà inscrite : "
                    "demandez à être rattaché à son compte, ou connectez-vous."
                )
            }
        )
    user = User.objects.create_user(
        email, password, first_name=first_name.strip(), last_name=last_name.strip()
    )
    audit_record(actor=user, action="user_signup", target=user)
    structure = structure_create(
        actor=user,
        is_public=False,
        identifier_type=IdentifierType.PARTICULIER,
        identifier=identifier,
        legal_name=f"{first_name.strip()} {last_name.strip()}",
        address_line=address_line.strip(),
        postcode=postcode.strip(),
        city=city.strip(),
        email=email,
    )
    membership = membership_add(
        user=user, structure=structure, role=Role.GESTIONNAIRE_PRINCIPAL, actor=user
    )
    provider_profile_set(
        structure=structure,
        kind=kind,
        speciality=speciality,
        vat_regime=VatRegime.FRANCHISE,
        actor=user,
    )
    return user, membership


@transaction.atomic
def court_role_assign(*, membership: Membership, role: str, actor: Membership) -> CourtRole | None:
    """The court's manager makes a member an agent or a magistrate (`role` empty: neither)."""
    if not actor.is_manager or actor.structure_id != membership.structure_id:
        raise ValidationError(
            {"role": _("Seul un gestionnaire de la juridiction attribue les rôles.")}
        )
    if not membership.structure.is_public:
        raise ValidationError({"role": _("Seule une juridiction attribue ces rôles.")})
    if not role:
        CourtRole.objects.filter(membership=membership).delete()
        audit_record(actor=actor.user, action="court_role_remove", target=membership)
        return None
    court_role, _created = CourtRole.objects.update_or_create(
        membership=membership,
        defaults={
            "role": CourtRoleKind(role),
            "assigned_by": actor.user,
            "assigned_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor.user, action="court_role_assign", target=membership, details={"role": role}
    )
    return court_role


# The draft, step by step -----------------------------------------------------------------


@dataclass(frozen=True)
class LineInput:
    kind: str
    label: str
    quantity: Decimal
    unit_price: Decimal | None
    vat_rate: Decimal
    tariff: Tariff | None = None
    unit: str = ""


def _procedure_errors(
    *,
    provider,
    juridiction,
    service,
    number,
    decision_date,
    mission_end_date,
    exclude_pk,
    started_on,
):
    """Step 1's rules, by field; refused, the entry is not kept (`started_on`: the day the
    entry began, from which forclusion is counted)."""
    today = timezone.localdate()
    errors = {}
    for field, message in (
        ("juridiction", rules.juridiction_error(juridiction)),
        (
            "service",
            rules.service_error(service, juridiction, today) if juridiction is not None else None,
        ),
        (
            "number",
            rules.duplicate_number_error(provider=provider, number=number, exclude_pk=exclude_pk),
        ),
        (
            "mission_end_date",
            rules.mission_dates_error(
                decision_date=decision_date, mission_end=mission_end_date, today=today
            ),
        ),
    ):
        if message:
            errors[field] = message
    forclosed = rules.forclusion_error(mission_end=mission_end_date, started_on=started_on)
    if forclosed:
        errors.setdefault("mission_end_date", forclosed)
    return errors


@transaction.atomic
def memoire_create(
    *,
    provider: Structure,
    actor: Actor,
    juridiction: Structure | None,
    service: Service | None,
    number: str,
    decision_kind: str,
    decision_date: datetime.date,
    procedure_number: str,
    requester: str,
    mission_end_date: datetime.date,
) -> Memoire:
    """Step 1: the juridiction and the procedure; the draft is kept from here on."""
    errors = _procedure_errors(
        provider=provider,
        juridiction=juridiction,
        service=service,
        number=number,
        decision_date=decision_date,
        mission_end_date=mission_end_date,
        exclude_pk=None,
        started_on=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    profile = ProviderProfile.objects.filter(structure=provider).first()
    now = timezone.now()
    memoire = Memoire.objects.create(
        provider=provider,
        juridiction=juridiction,
        service=service,
        number=number.strip(),
        decision_kind=decision_kind,
        decision_date=decision_date,
        procedure_number=procedure_number.strip(),
        requester=requester.strip(),
        mission_end_date=mission_end_date,
        vat_regime=profile.vat_regime if profile else VatRegime.FRANCHISE,
        created_by=actor.user,
        technical_account=actor.technical_account,
        channel=actor.channel,
        created_at=now,
        status_at=now,
        step=2,
    )
    history_start(document=memoire, actor=actor)
    return memoire


def _require_draft(memoire: Memoire) -> None:
    if memoire.status != S.BROUILLON:
        raise ValidationError(
            {"__all__": _("Ce mémoire est déposé : il ne peut plus être modifié.")}
        )


@transaction.atomic
def memoire_procedure_update(
    *,
    memoire: Memoire,
    juridiction: Structure | None,
    service: Service | None,
    number: str,
    decision_kind: str,
    decision_date: datetime.date,
    procedure_number: str,
    requester: str,
    mission_end_date: datetime.date,
) -> Memoire:
    """Step 1 again, on a draft."""
    _require_draft(memoire)
    errors = _procedure_errors(
        provider=memoire.provider,
        juridiction=juridiction,
        service=service,
        number=number,
        decision_date=decision_date,
        mission_end_date=mission_end_date,
        exclude_pk=memoire.pk,
        started_on=timezone.localdate(memoire.created_at),
    )
    if errors:
        raise ValidationError(errors)
    memoire.juridiction = juridiction
    memoire.service = service
    memoire.number = number.strip()
    memoire.decision_kind = decision_kind
    memoire.decision_date = decision_date
    memoire.procedure_number = procedure_number.strip()
    memoire.requester = requester.strip()
    memoire.mission_end_date = mission_end_date
    memoire.step = max(memoire.step, 2)
    memoire.save()
    return memoire


def _line_values(line: LineInput) -> dict:
    tariff = line.tariff
    if tariff is not None and not tariff.is_free_amount:
        unit_price = tariff.unit_price
    else:
        unit_price = line.unit_price
    if unit_price is None:
        raise ValidationError(_("Indiquez le montant de « %(label)s ».") % {"label": line.label})
    vat_applies = line.kind != LineKind.DEBOURS and (tariff is None or tariff.vat_applies)
    # The rate chosen is kept whatever the regime: the franchise applies in the totals.
    vat_rate = line.vat_rate if vat_applies else Decimal(0)
    return {
        "kind": line.kind,
        "tariff": tariff,
        "label": (line.label or (tariff.label if tariff else "")).strip()[:200],
        "quantity": line.quantity,
        "unit": line.unit or (tariff.unit if tariff else "FORFAIT"),
        "unit_price": cents(unit_price),
        "vat_rate": vat_rate,
        "claimed_net": line_net(line.quantity, unit_price),
    }


def _totals_refresh(memoire: Memoire) -> None:
    lines = list(memoire.lines.all())
    claimed = claimed_totals(lines, exempt=memoire.vat_regime == VatRegime.FRANCHISE)
    memoire.claimed_net, memoire.claimed_vat, memoire.claimed_total = (
        claimed.net,
        claimed.vat,
        claimed.total,
    )


@transaction.atomic
def memoire_lines_set(
    *, memoire: Memoire, kinds: tuple[str, ...], lines: list[LineInput], step: int
) -> Memoire:
    """Steps 2 and 3: replaces the draft's lines of these kinds (services; costs and
    disbursements); amounts computed here, VAT at 0 for disbursements and under franchise."""
    _require_draft(memoire)
    memoire.lines.filter(kind__in=kinds).delete()
    kept = list(memoire.lines.order_by("position"))
    for position, line in enumerate(kept, start=1):
        if line.position != position:
            MemoireLine.objects.filter(pk=line.pk).update(position=position)
    start = len(kept) + 1
    for offset, line in enumerate(lines):
        MemoireLine.objects.create(memoire=memoire, position=start + offset, **_line_values(line))
    _totals_refresh(memoire)
    memoire.step = max(memoire.step, step + 1)
    memoire.save()
    return memoire


@transaction.atomic
def memoire_vat_regime_set(*, memoire: Memoire, vat_regime: str) -> Memoire:
    """Step 3: the VAT regime; under franchise no VAT is due, whatever the lines' rates."""
    _require_draft(memoire)
    memoire.vat_regime = vat_regime
    _totals_refresh(memoire)
    memoire.save()
    return memoire


@transaction.atomic
def memoire_attachment_add(
    *,
    memoire: Memoire,
    kind: str,
    data: bytes,
    name: str,
    mime_type: str,
    actor: Actor,
    change: MemoireStatusChange | None = None,
) -> MemoireAttachment:
    """Keeps a document of the mémoire as sent (the platform's uploads, with its SHA-256)."""
    upload = attachment_upload_create(
        structure=memoire.provider,
        data=data,
        name=name,
        mime_type=mime_type,
        user=actor.user,
        technical_account=actor.technical_account,
    )
    return MemoireAttachment.objects.create(
        memoire=memoire, upload=upload, kind=kind, change=change
    )


@transaction.atomic
def memoire_attachment_remove(*, memoire: Memoire, attachment: MemoireAttachment) -> None:
    _require_draft(memoire)
    attachment.delete()


@transaction.atomic
def memoire_draft_delete(*, memoire: Memoire) -> None:
    _require_draft(memoire)
    memoire.history.all().delete()
    memoire.delete()


# The moves -------------------------------------------------------------------------------


@transaction.atomic
def memoire_deposit(*, memoire: Memoire, actor: Actor) -> MemoireStatusChange:
    """Step 4: the draft made available to the court, once every rule holds; from then on it
    can no longer be modified."""
    # Locked, so that two deposits of one provider count each other (the 50 limit).
    Structure.objects.select_for_update().filter(pk=memoire.provider_id).first()
    memoire.refresh_from_db()
    errors = rules.memoire_deposit_errors(memoire, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    change = status_transition(document=memoire, target=S.DEPOSE, actor=actor)
    Memoire.objects.filter(pk=memoire.pk).update(deposited_at=change.at, step=4)
    memoire.deposited_at = change.at
    return change


def memoire_take(*, memoire: Memoire, actor: Actor, comment: str = ""):
    return status_transition(
        document=memoire, target=S.EN_COURS_DE_TRAITEMENT, actor=actor, comment=comment
    )


def memoire_resume(*, memoire: Memoire, actor: Actor, comment: str = ""):
    return status_transition(
        document=memoire, target=S.EN_COURS_DE_TRAITEMENT, actor=actor, comment=comment
    )


def memoire_submit_for_certification(*, memoire: Memoire, actor: Actor, comment: str = ""):
    return status_transition(document=memoire, target=S.A_CERTIFIER, actor=actor, comment=comment)


def memoire_suspend(*, memoire: Memoire, actor: Actor, motive: str, comment: str = ""):
    return status_transition(
        document=memoire, target=S.SUSPENDU, actor=actor, motive=motive, comment=comment
    )


def memoire_reject(*, memoire: Memoire, actor: Actor, motive: str, comment: str = ""):
    return status_transition(
        document=memoire, target=S.REJETE, actor=actor, motive=motive, comment=comment
    )


@dataclass(frozen=True)
class Upload:
    kind: str
    name: str
    data: bytes
    mime_type: str


@transaction.atomic
def memoire_complete(
    *, memoire: Memoire, actor: Actor, uploads: list[Upload], comment: str = ""
) -> MemoireStatusChange:
    """The provider answers a suspension with the missing document(s)."""
    change = status_transition(
        document=memoire, target=S.COMPLETE, actor=actor, comment=comment, attachments=uploads
    )
    for upload in uploads:
        memoire_attachment_add(
            memoire=memoire,
            kind=upload.kind,
            data=upload.data,
            name=upload.name,
            mime_type=upload.mime_type,
            actor=actor,
            change=change,
        )
    return change


@dataclass(frozen=True)
class Reduction:
    certified_net: Decimal
    reason: str


@transaction.atomic
def memoire_certify(
    *,
    memoire: Memoire,
    actor: Actor,
    reductions: dict[int, Reduction] | None = None,
    comment: str = "",
) -> MemoireStatusChange:
    """The magistrate certifies (taxation): each line at its claimed amount, or reduced to a
    lower one with the reason; totals certified at the lines' VAT rates."""
    reductions = reductions or {}
    lines = {line.pk: line for line in memoire.lines.select_for_update()}
    errors = {}
    for pk, reduction in reductions.items():
        line = lines.get(pk)
        if line is None:
            errors[f"line_{pk}"] = _("Cette ligne n'appartient pas au mémoire.")
            continue
        amount = cents(reduction.certified_net)
        if amount == line.claimed_net:
            continue
        if amount < 0 or amount > line.claimed_net:
            errors[f"line_{pk}"] = _(
                "Le montant certifié de « %(label)s » doit être compris entre 0 et le montant "
                "demandé, %(claimed)s €."
            ) % {"label": line.label, "claimed": line.claimed_net}
        elif not reduction.reason.strip():
            errors[f"line_{pk}"] = _("Indiquez le motif de la réduction de « %(label)s ».") % {
                "label": line.label
            }
    if errors:
        raise ValidationError(errors)
    for line in lines.values():
        reduction = reductions.get(line.pk)
        if reduction is not None and cents(reduction.certified_net) < line.claimed_net:
            line.certified_net = cents(reduction.certified_net)
            line.reduction_reason = reduction.reason.strip()
        else:
            line.certified_net = line.claimed_net
            line.reduction_reason = ""
        line.save(update_fields=["certified_net", "reduction_reason"])
    certified = certified_totals(lines.values(), exempt=memoire.vat_regime == VatRegime.FRANCHISE)
    change = status_transition(
        document=memoire,
        target=S.CERTIFIE,
        actor=actor,
        comment=comment,
        certified_total=certified.total,
    )
    Memoire.objects.filter(pk=memoire.pk).update(
        certified_net=certified.net, certified_vat=certified.vat, certified_total=certified.total
    )
    memoire.certified_net, memoire.certified_vat, memoire.certified_total = (
        certified.net,
        certified.vat,
        certified.total,
    )
    return change


def memoire_pay(*, memoire: Memoire, actor: Actor, comment: str = ""):
    """Handed to the comptable for payment."""
    return status_transition(
        document=memoire, target=S.MIS_EN_PAIEMENT, actor=actor, comment=comment
    )


def memoire_paid(*, memoire: Memoire, actor: Actor, comment: str = ""):
    return status_transition(document=memoire, target=S.PAYE, actor=actor, comment=comment)


@transaction.atomic
def memoire_submit(
    *,
    provider: Structure,
    actor: Actor,
    juridiction: Structure | None,
    service: Service | None,
    number: str,
    decision_kind: str,
    decision_date: datetime.date,
    procedure_number: str,
    requester: str,
    mission_end_date: datetime.date,
    vat_regime: str,
    lines: list[LineInput],
    uploads: list[Upload],
) -> Memoire:
    """A whole mémoire in one call (the API's structured submission): entered then deposited,
    every rule checked as on the portal; refused, nothing is kept."""
    memoire = memoire_create(
        provider=provider,
        actor=actor,
        juridiction=juridiction,
        service=service,
        number=number,
        decision_kind=decision_kind,
        decision_date=decision_date,
        procedure_number=procedure_number,
        requester=requester,
        mission_end_date=mission_end_date,
    )
    memoire.vat_regime = vat_regime
    memoire.save(update_fields=["vat_regime"])
    memoire_lines_set(memoire=memoire, kinds=tuple(LineKind.values), lines=lines, step=3)
    attachments = []
    try:
        for upload in uploads:
            attachments.append(
                memoire_attachment_add(
                    memoire=memoire,
                    kind=upload.kind,
                    data=upload.data,
                    name=upload.name,
                    mime_type=upload.mime_type,
                    actor=actor,
                )
            )
        memoire_deposit(memoire=memoire, actor=actor)
    except BaseException:
        memoire_attachment_files_delete(attachments)
        raise
    memoire.refresh_from_db()
    return memoire


def memoire_attachment_files_delete(attachments) -> None:
    """The stored files of attachments whose rows the failing transaction takes back: the
    storage is not transactional (see `invoices.services.received_file_store`)."""
    for attachment in attachments:
        attachment.upload.received_file.file.delete(save=False)


def technical_actor(account: TechnicalAccount) -> Actor:
    return Actor.account(account, channel=Channel.API)
