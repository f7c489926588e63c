"""The platform's rules on mémoires, one function each, called by the portal and the API
alike (through `memoire_deposit_errors` and the services).

Each answers None when the rule holds, else the message saying what is wrong and how to fix it.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.enums import PublicKind
from chorus.models import Service, Structure
from justice_fees.enums import AttachmentKind, MemoireStatus

# A new provider account is "restreint" until its first mémoire has been processed.
NEW_ACCOUNT_LIMIT = 50


def forclusion_deadline(mission_end: datetime.date) -> datetime.date:
    """One year after the end of the mission (a 29 February ends on 28 February)."""
    try:
        return mission_end.replace(year=mission_end.year + 1)
    except ValueError:
        return mission_end.replace(year=mission_end.year + 1, day=28)


def forclusion_error(*, mission_end: datetime.date, started_on: datetime.date) -> str | None:
    """Article 800 of the code de procédure pénale: a mémoire is presented within one year of
    the end of the mission. The clock stops once its entry has started (the draft's
    creation), as Chorus Pro counts it."""
    deadline = forclusion_deadline(mission_end)
    if started_on <= deadline:
        return None
    return _(
        "Mémoire forclos : la mission a pris fin le %(end)s, et un mémoire doit être présenté "
        "dans le délai d'un an, soit au plus tard le %(deadline)s (article 800 du code de "
        "procédure pénale). Il ne peut plus être payé."
    ) % {"end": mission_end.strftime("%d/%m/%Y"), "deadline": deadline.strftime("%d/%m/%Y")}


def mission_dates_error(
    *, decision_date: datetime.date, mission_end: datetime.date, today: datetime.date
) -> str | None:
    if mission_end > today:
        return _(
            "La fin de la mission (%(end)s) est dans le futur : un mémoire se dépose une fois la "
            "mission achevée."
        ) % {"end": mission_end.strftime("%d/%m/%Y")}
    if mission_end < decision_date:
        return _(
            "La mission ne peut pas s'achever (%(end)s) avant la décision qui l'a ordonnée "
            "(%(decision)s) : vérifiez les deux dates."
        ) % {
            "end": mission_end.strftime("%d/%m/%Y"),
            "decision": decision_date.strftime("%d/%m/%Y"),
        }
    return None


def new_account_limit_error(provider: Structure) -> str | None:
    """A provider none of whose mémoires has been processed yet deposits 50 at most."""
    memoires = provider.memoires.exclude(status=MemoireStatus.BROUILLON)
    if memoires.filter(status__in=MemoireStatus.processed()).exists():
        return None
    if memoires.count() < NEW_ACCOUNT_LIMIT:
        return None
    return _(
        "Votre compte est restreint tant qu'aucun de vos mémoires n'a été traité : vous avez "
        "déjà déposé %(limit)s mémoires, le maximum permis. Attendez la certification du "
        "premier par la juridiction."
    ) % {"limit": NEW_ACCOUNT_LIMIT}


def duplicate_number_error(
    *, provider: Structure, number: str, exclude_pk: int | None = None
) -> str | None:
    """One number per provider, drafts included."""
    others = provider.memoires.filter(number=number.strip())
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if not others.exists():
        return None
    return duplicate_number_message(number)


def duplicate_number_message(number: str) -> str:
    """Also said when the database's constraint catches two deposits of one number at once."""
    return _(
        "Vous avez déjà un mémoire numéro %(number)s : donnez un autre numéro (par exemple "
        "%(number)s-bis s'il s'agit d'un autre mémoire)."
    ) % {"number": number.strip()}


def juridiction_error(juridiction: Structure | None) -> str | None:
    """The mémoire goes to a known, active juridiction."""
    if juridiction is None:
        return _(
            "Aucune juridiction ne porte cet identifiant : cherchez-la dans l'annuaire des "
            "structures publiques (catégorie Juridiction)."
        )
    if not juridiction.is_public or juridiction.kind != PublicKind.JURIDICTION:
        return _(
            "%(name)s n'est pas une juridiction : un mémoire de frais de justice s'adresse à la "
            "juridiction nommée sur la décision de désignation."
        ) % {"name": juridiction.legal_name}
    if not juridiction.active:
        return _(
            "%(name)s n'est plus active sur la plateforme : adressez le mémoire à la "
            "juridiction qui lui a succédé."
        ) % {"name": juridiction.legal_name}
    return None


def service_error(
    service: Service | None, juridiction: Structure, day: datetime.date
) -> str | None:
    if service is None:
        return None
    if service.structure_id != juridiction.pk:
        return _("Ce service n'appartient pas à %(name)s.") % {"name": juridiction.legal_name}
    if not Service.objects.active_on(day).filter(pk=service.pk).exists():
        return _("Le service %(code)s n'est plus actif : choisissez-en un autre.") % {
            "code": service.code
        }
    return None


def memoire_deposit_errors(memoire, *, today: datetime.date) -> dict[str, list[str]]:
    """Everything that keeps a draft from being deposited, by field of the entry (the
    portal places each error on its step, the API lists them)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str | None) -> None:
        if message:
            errors.setdefault(field, []).append(str(message))

    add("juridiction", juridiction_error(memoire.juridiction))
    if memoire.juridiction is not None:
        add("service", service_error(memoire.service, memoire.juridiction, today))
    add(
        "number",
        duplicate_number_error(
            provider=memoire.provider, number=memoire.number, exclude_pk=memoire.pk
        ),
    )
    add(
        "mission_end_date",
        mission_dates_error(
            decision_date=memoire.decision_date, mission_end=memoire.mission_end_date, today=today
        ),
    )
    add(
        "mission_end_date",
        forclusion_error(
            mission_end=memoire.mission_end_date, started_on=timezone.localdate(memoire.created_at)
        ),
    )
    if not memoire.lines.exists():
        add("lines", _("Ajoutez au moins une prestation (étape 2)."))
    if not memoire.attachments.filter(kind=AttachmentKind.DECISION).exists():
        add(
            "attachments",
            _(
                "Joignez la décision de désignation (réquisition, ordonnance, jugement ou "
                "commission rogatoire) : elle est obligatoire."
            ),
        )
    add("provider", new_account_limit_error(memoire.provider))
    return errors
