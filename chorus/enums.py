"""Codes of the platform core, as Chorus Pro names them, with French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentifierType(models.TextChoices):
    SIRET = "SIRET", _("SIRET")
    UE_HORS_FRANCE = "UE_HORS_FRANCE", _("Union européenne hors France (n° de TVA)")
    HORS_UE = "HORS_UE", _("Hors Union européenne")
    RIDET = "RIDET", _("RIDET (Nouvelle-Calédonie)")
    TAHITI = "TAHITI", _("Numéro TAHITI (Polynésie française)")
    AUTRE = "AUTRE", _("Autre identifiant")
    PARTICULIER = "PARTICULIER", _("Particulier")


class PublicKind(models.TextChoices):
    ETAT = "ETAT", _("Service de l'État")
    COLLECTIVITE = "COLLECTIVITE", _("Collectivité territoriale")
    ETABLISSEMENT_SANTE = "ETABLISSEMENT_SANTE", _("Établissement public de santé")
    ETABLISSEMENT_PUBLIC = "ETABLISSEMENT_PUBLIC", _("Établissement public")
    JURIDICTION = "JURIDICTION", _("Juridiction")
    DDFIP = "DDFIP", _("Direction des finances publiques (DDFiP)")


class ReceptionChannel(models.TextChoices):
    PORTAIL = "PORTAIL", _("Portail")
    API = "API", _("API")
    EDI = "EDI", _("EDI")


class Role(models.TextChoices):
    GESTIONNAIRE_PRINCIPAL = "GESTIONNAIRE_PRINCIPAL", _("Gestionnaire principal")
    GESTIONNAIRE_SECONDAIRE = "GESTIONNAIRE_SECONDAIRE", _("Gestionnaire secondaire")
    UTILISATEUR = "UTILISATEUR", _("Utilisateur")

    @classmethod
    def managers(cls) -> tuple[str, str]:
        return (cls.GESTIONNAIRE_PRINCIPAL, cls.GESTIONNAIRE_SECONDAIRE)


class EngagementStatus(models.TextChoices):
    OUVERT = "OUVERT", _("Ouvert")
    CLOTURE = "CLOTURE", _("Clôturé")


class Channel(models.TextChoices):
    """How an action reached the platform; recorded on every audit row."""

    PORTAIL = "PORTAIL", _("Portail")
    API = "API", _("API")
    EDI = "EDI", _("EDI")
    ADMIN = "ADMIN", _("Administration")
    SYSTEME = "SYSTEME", _("Système")
