"""Codes of deposits (flows) and invoices, as Chorus Pro names them, with French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chorus.workflow.badges import declare_badges


class FlowSyntax(models.TextChoices):
    """`syntaxeFlux`: what a deposit holds."""

    UBL = "IN_DP_E1_UBL_INVOICE", _("UBL 2.1 (flux structuré E1)")
    CII = "IN_DP_E1_CII_16B", _("CII D16B (flux structuré E1)")
    FACTURX = "IN_DP_E2_CII_FACTURX", _("Factur-X (flux mixte E2)")
    PDF = "IN_DP_E2_PDF_SAISIE", _("PDF avec données saisies")
    MEMOIRE_UBL = "IN_DP_E3_UBL_INVOICE", _("UBL 2.1 de mémoire de frais de justice (flux E3)")


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


class InvoiceRole(models.TextChoices):
    """The roles held on an invoice (beside the platform's, chorus.workflow.SYSTEM)."""

    FOURNISSEUR = "FOURNISSEUR", _("Fournisseur")
    DESTINATAIRE = "DESTINATAIRE", _("Destinataire")


# Green: done or on the way to payment; blue: on its way; orange: waits for the supplier;
# red: refused.
declare_badges(
    FlowStatus,
    {
        FlowStatus.RECU: "info",
        FlowStatus.EN_ATTENTE: "info",
        FlowStatus.EN_COURS: "info",
        FlowStatus.INTEGRE: "success",
        FlowStatus.INTEGRE_PARTIEL: "warning",
        FlowStatus.REJETE: "error",
        FlowStatus.INCIDENTE: "error",
    },
)
declare_badges(
    FlowItemStatus,
    {
        FlowItemStatus.EN_ATTENTE: "info",
        FlowItemStatus.INTEGREE: "success",
        FlowItemStatus.REFUSEE: "error",
    },
)
declare_badges(
    InvoiceStatus,
    {
        InvoiceStatus.DEPOSEE: "info",
        InvoiceStatus.EN_COURS_ACHEMINEMENT: "info",
        InvoiceStatus.MISE_A_DISPOSITION: "new",
        InvoiceStatus.A_RECYCLER: "warning",
        InvoiceStatus.SUSPENDUE: "warning",
        InvoiceStatus.COMPLETEE: "new",
        InvoiceStatus.REJETEE: "error",
        InvoiceStatus.SERVICE_FAIT: "success",
        InvoiceStatus.MANDATEE: "success",
        InvoiceStatus.MISE_A_DISPOSITION_COMPTABLE: "success",
        InvoiceStatus.COMPTABILISEE: "success",
        InvoiceStatus.MISE_EN_PAIEMENT: "success",
    },
)

# The reform's lifecycle code of each status (chorus_pro.md §8.3): 200 Déposée, 201 Émise par
# la plateforme, 203 Mise à disposition, 205 Approuvée, 208 Suspendue, 209 Complétée,
# 210 Refusée, 211 Paiement transmis. A send-back for recycling is a suspension for routing
# data (208 with ROUTAGE_ERR); the steps between approval and payment stay 205.
INVOICE_LIFECYCLE_CODES = {
    InvoiceStatus.DEPOSEE: "200",
    InvoiceStatus.EN_COURS_ACHEMINEMENT: "201",
    InvoiceStatus.MISE_A_DISPOSITION: "203",
    InvoiceStatus.A_RECYCLER: "208",
    InvoiceStatus.SUSPENDUE: "208",
    InvoiceStatus.COMPLETEE: "209",
    InvoiceStatus.REJETEE: "210",
    InvoiceStatus.SERVICE_FAIT: "205",
    InvoiceStatus.MANDATEE: "205",
    InvoiceStatus.MISE_A_DISPOSITION_COMPTABLE: "205",
    InvoiceStatus.COMPTABILISEE: "205",
    InvoiceStatus.MISE_EN_PAIEMENT: "211",
}

# The stages of a recipient's work, each a group of statuses: the inbox's tabs, in order.
_S = InvoiceStatus
INVOICE_STAGES = {
    "a_traiter": (_S.MISE_A_DISPOSITION, _S.COMPLETEE),
    "suspendues": (_S.SUSPENDUE,),
    "service_fait": (_S.SERVICE_FAIT,),
    "mandatees": (_S.MANDATEE, _S.MISE_A_DISPOSITION_COMPTABLE, _S.COMPTABILISEE),
    "payees": (_S.MISE_EN_PAIEMENT,),
    "rejetees": (_S.REJETEE,),
    "renvoyees": (_S.A_RECYCLER,),
    "en_acheminement": (_S.DEPOSEE, _S.EN_COURS_ACHEMINEMENT),
}
STAGE_OF_STATUS = {
    status: stage for stage, statuses in INVOICE_STAGES.items() for status in statuses
}
