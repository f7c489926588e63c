"""Codes of deposits (flows) and invoices, as Chorus Pro names them, with French labels."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class FlowSyntax(models.TextChoices):
    """`syntaxeFlux`: what a deposit holds."""

    UBL = "IN_DP_E1_UBL_INVOICE", _("UBL 2.1 (flux structuré E1)")
    CII = "IN_DP_E1_CII_16B", _("CII D16B (flux structuré E1)")
    FACTURX = "IN_DP_E2_CII_FACTURX", _("Factur-X (flux mixte E2)")
    PDF = "IN_DP_E2_PDF_SAISIE", _("PDF avec données saisies")


class FlowStatus(models.TextChoices):
    """`etatCourantDepotFlux`: where a deposit stands."""

    RECU = "IN_RECU", _("Reçu")
    EN_ATTENTE = "IN_EN_ATTENTE_TRAITEMENT_CPP", _("En attente de traitement")
    EN_COURS = "IN_EN_COURS_TRAITEMENT_CPP", _("En cours de traitement")
    INTEGRE = "IN_INTEGRE", _("Intégré")
    INTEGRE_PARTIEL = "IN_INTEGRE_PARTIEL", _("Intégré partiellement")
    REJETE = "IN_REJETE", _("Rejeté")
    INCIDENTE = "IN_INCIDENTE", _("Incidenté")

    @classmethod
    def final(cls) -> frozenset[str]:
        return frozenset({cls.INTEGRE, cls.INTEGRE_PARTIEL, cls.REJETE, cls.INCIDENTE})


class DepositChannel(models.TextChoices):
    """`modeDepot`: how a deposit reached the platform."""

    PORTAIL = "PORTAIL", _("Portail")
    API = "API", _("API")
    EDI = "EDI", _("EDI")


class FlowItemStatus(models.TextChoices):
    """The result of one invoice of a flow."""

    EN_ATTENTE = "EN_ATTENTE", _("En attente")
    INTEGREE = "INTEGREE", _("Intégrée")
    REFUSEE = "REFUSEE", _("Refusée")


class InvoiceStatus(models.TextChoices):
    """`statutFacture`: the invoice's life from deposit to payment."""

    DEPOSEE = "DEPOSEE", _("Déposée")
    EN_COURS_ACHEMINEMENT = "EN_COURS_ACHEMINEMENT", _("En cours d'acheminement")
    MISE_A_DISPOSITION = "MISE_A_DISPOSITION", _("Mise à disposition")
    A_RECYCLER = "A_RECYCLER", _("À recycler")
    SUSPENDUE = "SUSPENDUE", _("Suspendue")
    COMPLETEE = "COMPLETEE", _("Complétée")
    REJETEE = "REJETEE", _("Rejetée")
    SERVICE_FAIT = "SERVICE_FAIT", _("Service fait")
    MANDATEE = "MANDATEE", _("Mandatée")
    MISE_A_DISPOSITION_COMPTABLE = (
        "MISE_A_DISPOSITION_COMPTABLE",
        _("Mise à disposition du comptable"),
    )
    COMPTABILISEE = "COMPTABILISEE", _("Comptabilisée")
    MISE_EN_PAIEMENT = "MISE_EN_PAIEMENT", _("Mise en paiement")


class Actor(models.TextChoices):
    """Who may move an invoice along a transition."""

    SYSTEM = "SYSTEME", _("La plateforme")
    SUPPLIER = "FOURNISSEUR", _("Le fournisseur")
    RECIPIENT = "DESTINATAIRE", _("Le destinataire")


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actor: str
    requires_motive: bool = False


# The allowed moves of an invoice. The deposit pipeline owns the first ones; the processing
# of received invoices (certify, suspend, recycle, reject, pay) extends this table.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(InvoiceStatus.DEPOSEE, InvoiceStatus.EN_COURS_ACHEMINEMENT, Actor.SYSTEM),
    Transition(InvoiceStatus.DEPOSEE, InvoiceStatus.MISE_A_DISPOSITION, Actor.SYSTEM),
    Transition(InvoiceStatus.EN_COURS_ACHEMINEMENT, InvoiceStatus.MISE_A_DISPOSITION, Actor.SYSTEM),
)


def find_transition(source: str, target: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == source and t.target == target), None)
