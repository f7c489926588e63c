"""The platform's rules on an invoice's recipient and references, in one place.

The portal's keying form, the API (`soumettre`, `recycler`), the deposit pipeline's platform
rules (CPP-xxx) and the recycling of an invoice sent back all call these functions, so that
an invoice is judged the same whatever the channel. Each rule answers `Problem`s naming the
field concerned in neutral terms; each caller places them (a form field, an API field, an
XML path). A message carries `{where}`, replaced by the location where the caller has one
(the XML path of a file) and dropped otherwise.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import get_language

from chorus.models import EngagementJuridique, Service, Structure
from invoices.models import Invoice

EJ_MAX_LENGTH = 50

# The fields the rules speak of.
RECIPIENT, SERVICE_CODE, ENGAGEMENT, NUMBER, PRECEDING_NUMBER = (
    "recipient",
    "service_code",
    "engagement",
    "number",
    "preceding_number",
)


@dataclass(frozen=True)
class Problem:
    rule: str  # CPP-xxx
    field: str  # one of the fields above
    bt: str
    message_fr: str
    message_en: str

    def message(self, where: str = "") -> str:
        """In the active language, `where` (e.g. " (…BuyerReference)") placed in it."""
        english = (get_language() or "fr").startswith("en")
        return (self.message_en if english else self.message_fr).format(where=where)


def recipient_lookup(siret: str | None) -> Structure | None:
    """The public structure of the directory with this SIRET (active or not)."""
    siret = (siret or "").replace(" ", "")
    if not siret:
        return None
    return Structure.objects.public().filter(identifier=siret).first()


@dataclass(frozen=True)
class Requirements:
    """What the keying page asks for, from the same recipient settings `routing_problems`
    checks: which references to show and which to mark required."""

    recipient: Structure
    services: list[Service]
    show_service: bool
    service_required: bool
    show_engagement: bool
    engagement_required: bool
    either_required: bool  # an engagement juridique or a service code
    engagement_services: frozenset[str]  # codes of services that require an EJ


def recipient_requirements(recipient: Structure) -> Requirements:
    services = list(recipient.services.active_on(timezone.localdate()).order_by("code"))
    engagement_services = frozenset(s.code for s in services if s.ej_required)
    either = recipient.ej_or_service_code_required
    return Requirements(
        recipient=recipient,
        services=services,
        show_service=bool(services) or recipient.service_code_required or either,
        service_required=recipient.service_code_required,
        show_engagement=(
            recipient.ej_required
            or either
            or bool(engagement_services)
            or recipient.engagements.exists()
        ),
        engagement_required=recipient.ej_required,
        either_required=either,
        engagement_services=engagement_services,
    )


def active_recipient(siret: str | None) -> Structure | None:
    """An active public structure of the directory, by SIRET: whom a new invoice may go to."""
    recipient = recipient_lookup(siret)
    return recipient if recipient is not None and recipient.active else None


def recipient_problems(siret: str | None) -> tuple[Structure | None, list[Problem]]:
    """CPP-001 to CPP-003: the recipient is a SIRET of an active public structure."""
    siret = (siret or "").replace(" ", "")
    if not siret:
        return None, [
            Problem(
                "CPP-001",
                RECIPIENT,
                "BT-47",
                "Le SIRET du destinataire{where} est absent : indiquez le SIRET de la "
                "structure publique destinataire, tel qu'il figure dans l'annuaire.",
                "The recipient's SIRET{where} is missing: give the SIRET of the public "
                "recipient as the directory shows it.",
            )
        ]
    recipient = recipient_lookup(siret)
    if recipient is None:
        return None, [
            Problem(
                "CPP-002",
                RECIPIENT,
                "BT-47",
                f"Le destinataire {siret}{{where}} n'est pas une structure publique de "
                "l'annuaire : vérifiez le SIRET dans l'annuaire des structures publiques.",
                f"The recipient {siret}{{where}} is not a public structure of the directory: "
                "check the SIRET in the directory of public structures.",
            )
        ]
    if not recipient.active:
        return recipient, [
            Problem(
                "CPP-003",
                RECIPIENT,
                "BT-47",
                f"Le destinataire {siret}{{where}} n'est plus actif dans l'annuaire : "
                "adressez la facture à la structure qui lui a succédé.",
                f"The recipient {siret}{{where}} is no longer active in the directory: "
                "address the invoice to the structure that took over from it.",
            )
        ]
    return recipient, []


def routing_problems(
    *,
    recipient: Structure,
    service_code: str | None,
    engagement: str | None,
    today: datetime.date | None = None,
) -> tuple[Service | None, list[Problem]]:
    """CPP-004 to CPP-009: the service code and engagement juridique the recipient asks
    for. Returns the service named, if it is an active one, and the problems."""
    code, ej = (service_code or "").strip(), (engagement or "").strip()
    problems = []
    service = None
    if code:
        service = recipient.services.active_on(today or timezone.localdate()).filter(code=code)
        service = service.first()
        if service is None:
            problems.append(
                Problem(
                    "CPP-005",
                    SERVICE_CODE,
                    "BT-10",
                    f"Le code service « {code} »{{where}} n'est pas un service actif de "
                    f"{recipient.legal_name} : choisissez un code service de ce destinataire "
                    "dans l'annuaire.",
                    f"Service code “{code}”{{where}} is not an active service of "
                    f"{recipient.legal_name}: pick one of this recipient's service codes in "
                    "the directory.",
                )
            )
    elif recipient.service_code_required:
        problems.append(
            Problem(
                "CPP-004",
                SERVICE_CODE,
                "BT-10",
                "Le code service{where} est obligatoire pour ce destinataire "
                f"({recipient.legal_name}) : indiquez le code du service destinataire, "
                "consultable dans l'annuaire.",
                f"A service code{{where}} is required by this recipient ({recipient.legal_name}): "
                "give the code of the receiving service, listed in the directory.",
            )
        )
    ej_required = recipient.ej_required or (service is not None and service.ej_required)
    if not ej and ej_required:
        problems.append(
            Problem(
                "CPP-006",
                ENGAGEMENT,
                "BT-13",
                "L'engagement juridique{where} est obligatoire pour ce destinataire : indiquez "
                "le numéro d'engagement juridique (bon de commande) communiqué par l'acheteur.",
                "An engagement juridique{where} is required by this recipient: give the "
                "engagement juridique (purchase order) number the buyer gave you.",
            )
        )
    if not ej and not code and recipient.ej_or_service_code_required and not ej_required:
        problems.append(
            Problem(
                "CPP-007",
                ENGAGEMENT,
                "BT-13",
                "Ce destinataire exige un engagement juridique{where} ou un code service : "
                "indiquez le numéro d'engagement juridique ou choisissez un service.",
                "This recipient requires an engagement juridique{where} or a service code: "
                "give the engagement juridique number or pick a service.",
            )
        )
    if ej:
        problems += _engagement_problems(ej, recipient)
    return service, problems


def _engagement_problems(ej: str, recipient: Structure) -> list[Problem]:
    if len(ej) > EJ_MAX_LENGTH:
        return [
            Problem(
                "CPP-008",
                ENGAGEMENT,
                "BT-13",
                f"L'engagement juridique{{where}} fait {len(ej)} caractères, au-delà de "
                f"{EJ_MAX_LENGTH} : indiquez le seul numéro d'engagement juridique.",
                f"The engagement juridique{{where}} has {len(ej)} characters, above "
                f"{EJ_MAX_LENGTH}: give the engagement juridique number alone.",
            )
        ]
    managed = EngagementJuridique.objects.filter(structure=recipient)
    if managed.exists() and not managed.filter(number=ej).exists():
        return [
            Problem(
                "CPP-009",
                ENGAGEMENT,
                "BT-13",
                f"L'engagement juridique « {ej} »{{where}} est inconnu de "
                f"{recipient.legal_name} : vérifiez le numéro sur le bon de commande reçu.",
                f"The engagement juridique “{ej}”{{where}} is unknown to "
                f"{recipient.legal_name}: check the number on the purchase order you received.",
            )
        ]
    return []


def duplicate_problem(*, supplier: Structure | None, number: str, year: int) -> Problem | None:
    """CPP-011: a supplier deposits a number once a year."""
    if supplier is None or not number:
        return None
    if not Invoice.objects.filter(supplier=supplier, number=number, issue_year=year).exists():
        return None
    return duplicate(number=number, year=year)


def duplicate(*, number: str, year: int) -> Problem:
    """The CPP-011 problem, also raised when the database refuses a concurrent deposit."""
    return Problem(
        "CPP-011",
        NUMBER,
        "BT-1",
        f"La facture {number}{{where}} de {year} a déjà été déposée par ce fournisseur : pour "
        "corriger une facture, émettez un avoir puis une nouvelle facture ; sinon, donnez à "
        "cette facture un autre numéro.",
        f"Invoice {number}{{where}} of {year} was already deposited by this supplier: to "
        "correct an invoice, issue a credit note then a new invoice; otherwise give this "
        "invoice another number.",
    )


def credit_note_problem(*, is_credit_note: bool, preceding_number: str | None) -> Problem | None:
    """CPP-012: a credit note references the invoice it corrects (BT-25)."""
    if not is_credit_note or (preceding_number or "").strip():
        return None
    return Problem(
        "CPP-012",
        PRECEDING_NUMBER,
        "BT-25",
        "Un avoir doit référencer la facture d'origine{where} : indiquez le numéro de la "
        "facture que cet avoir corrige.",
        "A credit note must reference the invoice it corrects{where}: give the number of the "
        "invoice this credit note corrects.",
    )
