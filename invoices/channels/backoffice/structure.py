"""A public structure managed by its own managers: its agents (invited by e-mail, their role
and the services each acts for), its services and its engagements juridiques.

Each function checks that the actor manages the structure (`chorus.access.require_manager`)
and writes one audit row per change. Role changes and removals are the ones suppliers use
(`suppliers.services`): the rules on principal managers are the same on both sides.
"""

import secrets

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from chorus.access import require_manager
from chorus.enums import EngagementStatus
from chorus.models import EngagementJuridique, Membership, Service, Structure, User
from chorus.services import audit_record, membership_add
from suppliers.services import _check_may_grant, membership_role_change


def _public(structure: Structure) -> None:
    if not structure.is_public:
        raise ValueError("Only a public structure has agents, services and EJs to manage.")


def _own_services(structure: Structure, services) -> list[Service]:
    services = list(services)
    if any(service.structure_id != structure.pk for service in services):
        raise ValidationError({"services": _("Ce service n'appartient pas à la structure.")})
    return services


def _codes(services) -> list[str]:
    return sorted(service.code for service in services)


@transaction.atomic
def agent_invite(
    *,
    structure: Structure,
    actor: User,
    email: str,
    role: str,
    services=(),
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Attaches the person with this e-mail address to the structure, with a role and the
    services they act for, and e-mails them: a link to choose a password when the platform
    creates their account, a sign-in link when they already have one."""
    _public(structure)
    actor_membership = require_manager(actor, structure)
    _check_may_grant(actor_membership, role)
    services = _own_services(structure, services)
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        # A password nobody knows: the invitation's link lets the agent choose theirs (and
        # "forgotten password" works for them later, as for anyone).
        user = User.objects.create_user(
            email=email,
            password=secrets.token_urlsafe(32),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
        )
    elif Membership.objects.filter(user=user, structure=structure).exists():
        raise ValidationError(
            {
                "email": _("%(email)s fait déjà partie de %(structure)s.")
                % {"email": email, "structure": structure.legal_name}
            }
        )
    membership = membership_add(user=user, structure=structure, role=role, actor=actor)
    membership.services.set(services)
    audit_record(
        actor=actor,
        action="agent_invite",
        target=membership,
        details={"user": email, "role": role, "services": _codes(services), "new_account": created},
    )
    _invitation_send(membership, actor=actor, new_account=created)
    return membership


def _invitation_send(membership: Membership, *, actor: User, new_account: bool) -> None:
    user = membership.user
    if new_account:
        link = settings.CHORUS_SITE_URL + reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    else:
        link = settings.CHORUS_SITE_URL + reverse("login")
    context = {
        "membership": membership,
        "structure": membership.structure,
        "inviter": actor,
        "link": link,
        "new_account": new_account,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string("invoices/backoffice/emails/invitation_subject.txt", context).split()
        )
        body = render_to_string("invoices/backoffice/emails/invitation_body.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )


@transaction.atomic
def agent_update(*, membership: Membership, actor: User, role: str, services) -> Membership:
    """Sets an agent's role (the suppliers' rules on principal managers) and the services
    they act for."""
    structure = membership.structure
    _public(structure)
    require_manager(actor, structure)
    services = _own_services(structure, services)
    if role != membership.role:
        membership_role_change(membership=membership, role=role, actor=actor)
    before = _codes(membership.services.all())
    after = _codes(services)
    if before != after:
        membership.services.set(services)
        audit_record(
            actor=actor,
            action="membership_services_set",
            target=membership,
            details={"user": membership.user.email, "from": before, "to": after},
        )
    return membership


@transaction.atomic
def service_create(
    *, structure: Structure, actor: User, code: str, name: str, ej_required: bool = False
) -> Service:
    _public(structure)
    require_manager(actor, structure)
    code = code.strip().upper()
    if structure.services.filter(code=code).exists():
        raise ValidationError(
            {"code": _("Le code service %(code)s existe déjà dans la structure.") % {"code": code}}
        )
    service = Service(structure=structure, code=code, name=name.strip(), ej_required=ej_required)
    service.full_clean()
    service.save()
    audit_record(
        actor=actor,
        action="service_create",
        target=service,
        structure=structure,
        details={"code": service.code, "name": service.name},
    )
    return service


@transaction.atomic
def service_update(*, service: Service, actor: User, name: str, ej_required: bool) -> Service:
    """Renames a service (its code, known to suppliers and on invoices, stays)."""
    require_manager(actor, service.structure)
    changed = {}
    for field, value in (("name", name.strip()), ("ej_required", ej_required)):
        if getattr(service, field) != value:
            changed[field] = {"from": getattr(service, field), "to": value}
            setattr(service, field, value)
    service.full_clean()
    service.save()
    if changed:
        audit_record(
            actor=actor,
            action="service_update",
            target=service,
            structure=service.structure,
            details=changed,
        )
    return service


@transaction.atomic
def service_set_active(*, service: Service, actor: User, active: bool) -> Service:
    """Closes a service (no longer offered to suppliers, invoices naming it are refused at
    deposit) or opens it again."""
    require_manager(actor, service.structure)
    if service.active != active:
        service.active = active
        service.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action="service_reopen" if active else "service_close",
            target=service,
            structure=service.structure,
        )
    return service


def _number_free(structure: Structure, number: str) -> None:
    if structure.engagements.filter(number=number).exists():
        raise ValidationError(
            {
                "number": _("L'engagement juridique %(number)s existe déjà dans la structure.")
                % {"number": number}
            }
        )


@transaction.atomic
def engagement_create(
    *, structure: Structure, actor: User, number: str, service: Service | None, amount=None
) -> EngagementJuridique:
    _public(structure)
    require_manager(actor, structure)
    _number_free(structure, number.strip())
    engagement = EngagementJuridique(
        structure=structure, number=number.strip(), service=service, amount=amount
    )
    engagement.full_clean()
    engagement.save()
    audit_record(
        actor=actor,
        action="engagement_create",
        target=engagement,
        structure=structure,
        details={"number": engagement.number, "service": service.code if service else ""},
    )
    return engagement


@transaction.atomic
def engagement_update(
    *, engagement: EngagementJuridique, actor: User, number: str, service: Service | None, amount
) -> EngagementJuridique:
    """Renumbers an engagement juridique, or changes its service or amount."""
    require_manager(actor, engagement.structure)
    if number.strip() != engagement.number:
        _number_free(engagement.structure, number.strip())
    changed = {}
    for field, value, shown in (
        ("number", number.strip(), number.strip()),
        ("service", service, service.code if service else ""),
        ("amount", amount, str(amount) if amount is not None else ""),
    ):
        current = getattr(engagement, field)
        if current != value:
            before = current.code if isinstance(current, Service) else current
            changed[field] = {"from": str(before) if before is not None else "", "to": shown}
            setattr(engagement, field, value)
    engagement.full_clean()
    engagement.save()
    if changed:
        audit_record(
            actor=actor,
            action="engagement_update",
            target=engagement,
            structure=engagement.structure,
            details=changed,
        )
    return engagement


@transaction.atomic
def engagement_set_status(
    *, engagement: EngagementJuridique, actor: User, status: str
) -> EngagementJuridique:
    """Closes an engagement juridique (CLOTURE) or opens it again (OUVERT)."""
    require_manager(actor, engagement.structure)
    if status not in EngagementStatus.values:
        raise ValueError(status)
    if engagement.status != status:
        engagement.status = status
        engagement.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="engagement_close"
            if status == EngagementStatus.CLOTURE
            else "engagement_reopen",
            target=engagement,
            structure=engagement.structure,
        )
    return engagement
