"""Writes of the platform core. Every view, command, admin action and task calls these."""

from django.db import models, transaction

from chorus.enums import Channel, Role
from chorus.models import AuditEvent, BankAccount, Membership, Structure, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    channel: str = Channel.PORTAIL,
    structure: Structure | None = None,
    details: dict | None = None,
) -> AuditEvent:
    """Appends one row to the audit trail, in the caller's transaction."""
    if structure is None:
        structure = target if isinstance(target, Structure) else getattr(target, "structure", None)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor) if actor is not None else "système",
        channel=channel,
        action=action,
        object_type=target._meta.label,
        object_id=str(target.pk),
        object_label=str(target)[:250],
        structure=structure,
        details=details or {},
    )


@transaction.atomic
def structure_create(*, actor: User | None, channel: str = Channel.PORTAIL, **fields) -> Structure:
    """Creates a structure after full validation (identifier, VAT number, kind)."""
    structure = Structure(**fields)
    structure.full_clean()
    structure.save()
    audit_record(actor=actor, action="structure_create", target=structure, channel=channel)
    return structure


@transaction.atomic
def membership_add(
    *,
    user: User,
    structure: Structure,
    role: str,
    actor: User | None,
    channel: str = Channel.PORTAIL,
) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        user=user, structure=structure, defaults={"role": role}
    )
    audit_record(
        actor=actor,
        action="membership_add",
        target=membership,
        channel=channel,
        details={"user": user.email, "role": role},
    )
    return membership


@transaction.atomic
def bank_account_add(
    *, structure: Structure, actor: User | None, channel: str = Channel.PORTAIL, **fields
):
    account = BankAccount(structure=structure, **fields)
    account.full_clean()
    account.save()
    audit_record(actor=actor, action="bank_account_add", target=account, channel=channel)
    return account


def principal_managers(structure: Structure):
    return User.objects.filter(
        memberships__structure=structure,
        memberships__role=Role.GESTIONNAIRE_PRINCIPAL,
        is_active=True,
    )
