"""The recipient's routing requirements as one check, for callers that change routing data
outside a document: the API's `recycler` today.

The same requirements are written for a received document in
`invoices.validation.platform_rules` (CPP-001 to CPP-009, with XML paths in their messages);
this check names the fields a person or a connector fills in instead.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.models import EngagementJuridique, Service, Structure
from invoices.validation.platform_rules import EJ_MAX_LENGTH

RECIPIENT, SERVICE, ORDER_REFERENCE = "recipient", "service", "order_reference"


@dataclass(frozen=True)
class RoutingError:
    field: str  # RECIPIENT, SERVICE or ORDER_REFERENCE
    message: str


def recipient_of(identifier: str) -> Structure | None:
    """The public structure of the directory with this SIRET, active or not."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return Structure.objects.public().filter(identifier=identifier).first()


def service_of(recipient: Structure, code: str, today=None) -> Service | None:
    """The recipient's service of this code, when active today."""
    code = (code or "").strip()
    if not code:
        return None
    return recipient.services.active_on(today or timezone.localdate()).filter(code=code).first()


def routing_errors(
    *, recipient_identifier: str, service_code: str = "", order_reference: str = "", today=None
) -> list[RoutingError]:
    """What keeps an invoice from going to this recipient, service and engagement juridique
    (empty when it can be routed)."""
    identifier = (recipient_identifier or "").strip()
    recipient = recipient_of(identifier)
    if not identifier:
        return [
            RoutingError(RECIPIENT, _("Indiquez le SIRET de la structure publique destinataire."))
        ]
    if recipient is None:
        return [
            RoutingError(
                RECIPIENT,
                _(
                    "Le destinataire %(siret)s n'est pas une structure publique de l'annuaire : "
                    "vérifiez le SIRET dans l'annuaire des structures publiques."
                )
                % {"siret": identifier},
            )
        ]
    if not recipient.active:
        return [
            RoutingError(
                RECIPIENT,
                _(
                    "Le destinataire %(siret)s n'est plus actif : adressez la facture à la "
                    "structure qui lui a succédé."
                )
                % {"siret": identifier},
            )
        ]
    errors = []
    code = (service_code or "").strip()
    ej = (order_reference or "").strip()
    service = service_of(recipient, code, today)
    if code and service is None:
        errors.append(
            RoutingError(
                SERVICE,
                _(
                    "Le code service « %(code)s » n'est pas un service actif de %(name)s : "
                    "choisissez un code service de ce destinataire dans l'annuaire."
                )
                % {"code": code, "name": recipient.legal_name},
            )
        )
    elif not code and recipient.service_code_required:
        errors.append(
            RoutingError(
                SERVICE,
                _("%(name)s exige un code service : indiquez celui du service destinataire.")
                % {"name": recipient.legal_name},
            )
        )
    ej_required = recipient.ej_required or (service is not None and service.ej_required)
    if not ej and ej_required:
        errors.append(
            RoutingError(
                ORDER_REFERENCE,
                _(
                    "%(name)s exige un engagement juridique : indiquez le numéro du bon de "
                    "commande communiqué par l'acheteur."
                )
                % {"name": recipient.legal_name},
            )
        )
    if not ej and not code and recipient.ej_or_service_code_required and not ej_required:
        errors.append(
            RoutingError(
                ORDER_REFERENCE,
                _(
                    "%(name)s exige un engagement juridique ou un code service : indiquez l'un des deux."
                )
                % {"name": recipient.legal_name},
            )
        )
    if ej:
        errors += _ej_errors(ej, recipient)
    return errors


def _ej_errors(ej: str, recipient: Structure) -> list[RoutingError]:
    if len(ej) > EJ_MAX_LENGTH:
        return [
            RoutingError(
                ORDER_REFERENCE,
                _(
                    "L'engagement juridique fait %(length)s caractères, au-delà de %(max)s : "
                    "indiquez le seul numéro d'engagement juridique."
                )
                % {"length": len(ej), "max": EJ_MAX_LENGTH},
            )
        ]
    managed = EngagementJuridique.objects.filter(structure=recipient)
    if managed.exists() and not managed.filter(number=ej).exists():
        return [
            RoutingError(
                ORDER_REFERENCE,
                _(
                    "L'engagement juridique « %(ej)s » est inconnu de %(name)s : vérifiez le "
                    "numéro sur le bon de commande reçu."
                )
                % {"ej": ej, "name": recipient.legal_name},
            )
        ]
    return []
