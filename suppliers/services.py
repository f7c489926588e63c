"""Writes of the suppliers app: sign-up, join requests, members, structure details, bank accounts.

Business refusals are raised as ValidationError keyed by the name of the form field they
concern, so a page shows each one beside its field.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus import identifiers
from chorus.access import require_manager
from chorus.enums import IdentifierType, Role
from chorus.models import BankAccount, Membership, Structure, User
from chorus.services import audit_record, membership_add, structure_create
from suppliers import notifications
from suppliers.enums import JoinRequestStatus
from suppliers.models import JoinRequest

# Details of a structure its managers may change; the SIRET stays as registered.
EDITABLE_STRUCTURE_FIELDS = ("legal_name", "address_line", "postcode", "city", "vat_number")


@transaction.atomic
def supplier_signup(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    siret: str,
    legal_name: str = "",
    address_line: str = "",
    postcode: str = "",
    city: str = "",
    vat_number: str = "",
) -> tuple[User, Membership | JoinRequest]:
    """Creates the account, then either the new structure it manages or a request to join it."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "Un compte existe déjà avec l'adresse %(email)s. Connectez-vous, ou "
                    "choisissez « Mot de passe oublié ? » sur la page de connexion."
                )
                % {"email": email}
            }
        )
    user = User.objects.create_user(
        email, password, first_name=first_name.strip(), last_name=last_name.strip()
    )
    audit_record(actor=user, action="user_signup", target=user)
    attachment = supplier_structure_attach(
        user=user,
        siret=siret,
        legal_name=legal_name,
        address_line=address_line,
        postcode=postcode,
        city=city,
        vat_number=vat_number,
    )
    return user, attachment


@transaction.atomic
def supplier_structure_attach(
    *,
    user: User,
    siret: str,
    legal_name: str = "",
    address_line: str = "",
    postcode: str = "",
    city: str = "",
    vat_number: str = "",
) -> Membership | JoinRequest:
    """Attaches a user to the company with this SIRET.

    A company new to the platform is created with the user as its principal manager; a
    company already registered receives a join request that its managers decide.
    """
    try:
        siret = identifiers.normalise_siret(siret)
    except ValidationError as exc:
        raise ValidationError({"siret": exc.messages}) from exc
    structure = Structure.objects.filter(
        identifier_type=IdentifierType.SIRET, identifier=siret
    ).first()
    if structure is None:
        try:
            # A savepoint, so that a concurrent sign-up with the same SIRET turns this one
            # into a join request instead of failing.
            with transaction.atomic():
                structure = _supplier_structure_create(
                    user=user,
                    siret=siret,
                    legal_name=legal_name,
                    address_line=address_line,
                    postcode=postcode,
                    city=city,
                    vat_number=vat_number,
                )
        except IntegrityError:
            structure = Structure.objects.get(
                identifier_type=IdentifierType.SIRET, identifier=siret
            )
        else:
            return membership_add(
                user=user, structure=structure, role=Role.GESTIONNAIRE_PRINCIPAL, actor=user
            )
    return join_request_create(user=user, structure=structure)


def _supplier_structure_create(*, user: User, siret: str, **details: str) -> Structure:
    details = {name: value.strip() for name, value in details.items()}
    missing = {
        name: message
        for name, message in (
            ("legal_name", _("Indiquez la raison sociale de l'entreprise, telle qu'à l'INSEE.")),
            ("address_line", _("Indiquez l'adresse du siège ou de l'établissement.")),
            ("postcode", _("Indiquez le code postal de l'établissement (5 chiffres).")),
            ("city", _("Indiquez la ville de l'établissement.")),
        )
        if not details[name]
    }
    if missing:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Le SIRET %(siret)s n'est pas encore inscrit : renseignez la raison sociale "
                    "et l'adresse de l'entreprise pour créer son compte."
                )
                % {"siret": siret},
                **missing,
            }
        )
    try:
        return structure_create(
            actor=user,
            is_public=False,
            identifier_type=IdentifierType.SIRET,
            identifier=siret,
            **details,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "identifier" in exc.error_dict:
            exc.error_dict["siret"] = exc.error_dict.pop("identifier")
        raise


@transaction.atomic
def join_request_create(*, user: User, structure: Structure) -> JoinRequest:
    """Asks the managers of a registered company to let the user join it; e-mails them."""
    if structure.is_public:
        raise ValidationError(
            {
                "siret": _(
                    "Le SIRET %(siret)s est celui d'une structure publique (%(name)s). Les comptes "
                    "fournisseurs sont réservés aux entreprises : si vous êtes agent de cette "
                    "structure, demandez votre accès à son gestionnaire."
                )
                % {"siret": structure.identifier, "name": structure.legal_name}
            }
        )
    if not structure.active:
        raise ValidationError(
            {
                "siret": _(
                    "Le compte de l'entreprise %(name)s est désactivé sur la plateforme : "
                    "contactez le support pour le réactiver."
                )
                % {"name": structure.legal_name}
            }
        )
    if Membership.objects.filter(user=user, structure=structure).exists():
        raise ValidationError(
            {"siret": _("Vous êtes déjà rattaché à %(name)s.") % {"name": structure.legal_name}}
        )
    if JoinRequest.objects.filter(
        user=user, structure=structure, status=JoinRequestStatus.EN_ATTENTE
    ).exists():
        raise ValidationError(
            {
                "siret": _(
                    "Votre demande de rattachement à %(name)s est déjà en attente : ses "
                    "gestionnaires ont été prévenus."
                )
                % {"name": structure.legal_name}
            }
        )
    join_request = JoinRequest.objects.create(user=user, structure=structure)
    audit_record(actor=user, action="join_request_create", target=join_request)
    notifications.join_request_submitted(join_request)
    return join_request


def _check_may_grant(actor_membership: Membership, role: str) -> None:
    if role == Role.GESTIONNAIRE_PRINCIPAL and actor_membership.role != Role.GESTIONNAIRE_PRINCIPAL:
        raise ValidationError(
            {
                "role": _(
                    "Seul un gestionnaire principal peut attribuer le rôle de gestionnaire "
                    "principal : choisissez un autre rôle."
                )
            }
        )


def _join_request_claim(join_request: JoinRequest, *, status: str, actor: User, message: str):
    """Moves a pending request to its decision; refuses if someone else decided it first."""
    decided_at = timezone.now()
    claimed = JoinRequest.objects.filter(
        pk=join_request.pk, status=JoinRequestStatus.EN_ATTENTE
    ).update(status=status, decided_by=actor, decided_at=decided_at, message=message)
    if not claimed:
        raise ValidationError(
            _("Cette demande de rattachement a déjà été traitée par un autre gestionnaire.")
        )
    join_request.status = status
    join_request.decided_by = actor
    join_request.decided_at = decided_at
    join_request.message = message


@transaction.atomic
def join_request_approve(*, join_request: JoinRequest, role: str, actor: User) -> Membership:
    """Accepts the request: the requester joins the structure with the role chosen."""
    actor_membership = require_manager(actor, join_request.structure)
    _check_may_grant(actor_membership, role)
    _join_request_claim(join_request, status=JoinRequestStatus.ACCEPTEE, actor=actor, message="")
    membership = membership_add(
        user=join_request.user, structure=join_request.structure, role=role, actor=actor
    )
    audit_record(
        actor=actor, action="join_request_approve", target=join_request, details={"role": role}
    )
    notifications.join_request_decided(join_request)
    return membership


@transaction.atomic
def join_request_refuse(
    *, join_request: JoinRequest, actor: User, message: str = ""
) -> JoinRequest:
    """Refuses the request; the requester is e-mailed the reason, if one is given."""
    require_manager(actor, join_request.structure)
    _join_request_claim(
        join_request, status=JoinRequestStatus.REFUSEE, actor=actor, message=message.strip()
    )
    audit_record(actor=actor, action="join_request_refuse", target=join_request)
    notifications.join_request_decided(join_request)
    return join_request


def _check_principal_remains(membership: Membership) -> None:
    """Keeps at least one principal manager, locking them so two managers cannot race."""
    principals = list(
        Membership.objects.select_for_update()
        .filter(structure=membership.structure, role=Role.GESTIONNAIRE_PRINCIPAL)
        .values_list("pk", flat=True)
    )
    if principals == [membership.pk]:
        raise ValidationError(
            {
                "role": _(
                    "%(user)s est le seul gestionnaire principal de %(structure)s : désignez "
                    "d'abord un autre gestionnaire principal."
                )
                % {"user": membership.user, "structure": membership.structure.legal_name}
            }
        )


def _check_may_manage(actor_membership: Membership, membership: Membership) -> None:
    if (
        membership.role == Role.GESTIONNAIRE_PRINCIPAL
        and actor_membership.role != Role.GESTIONNAIRE_PRINCIPAL
    ):
        raise ValidationError(
            {
                "role": _(
                    "Seul un gestionnaire principal peut modifier ou retirer un gestionnaire "
                    "principal."
                )
            }
        )


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str, actor: User) -> Membership:
    actor_membership = require_manager(actor, membership.structure)
    _check_may_manage(actor_membership, membership)
    _check_may_grant(actor_membership, role)
    if membership.role == Role.GESTIONNAIRE_PRINCIPAL and role != Role.GESTIONNAIRE_PRINCIPAL:
        _check_principal_remains(membership)
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="membership_role_change",
        target=membership,
        details={"user": membership.user.email, "from": previous, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    actor_membership = require_manager(actor, membership.structure)
    _check_may_manage(actor_membership, membership)
    if membership.role == Role.GESTIONNAIRE_PRINCIPAL:
        _check_principal_remains(membership)
    audit_record(
        actor=actor,
        action="membership_remove",
        target=membership,
        details={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def structure_update(*, structure: Structure, actor: User, **fields: str) -> Structure:
    """Changes a structure's name, address or VAT number, after full validation."""
    require_manager(actor, structure)
    unknown = set(fields) - set(EDITABLE_STRUCTURE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable by managers: {', '.join(sorted(unknown))}")
    changed = {}
    for name, value in fields.items():
        value = value.strip()
        if getattr(structure, name) != value:
            changed[name] = {"from": getattr(structure, name), "to": value}
            setattr(structure, name, value)
    structure.full_clean()
    structure.save()
    if changed:
        audit_record(actor=actor, action="structure_update", target=structure, details=changed)
    return structure


@transaction.atomic
def bank_account_set_active(*, account: BankAccount, active: bool, actor: User) -> BankAccount:
    """Deactivates bank details (no longer offered on invoices), or brings them back."""
    require_manager(actor, account.structure)
    account.active = active
    account.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="bank_account_activate" if active else "bank_account_deactivate",
        target=account,
    )
    return account
