"""Codes of the farmers' energy-tax refunds (DémaTIC, cadre A21_DEMANDE_REMBOURSEMENT_TIC)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chorus.workflow.badges import declare_badges

BILLING_FRAME = "A21_DEMANDE_REMBOURSEMENT_TIC"


class RefundStatus(models.TextChoices):
    """Where a refund request stands, from draft to payment."""

    BROUILLON = "BROUILLON", _("Brouillon")
    DEPOSEE = "DEPOSEE", _("Déposée")
    EN_COURS_INSTRUCTION = "EN_COURS_INSTRUCTION", _("En cours d'instruction")
    SUSPENDUE = "SUSPENDUE", _("Suspendue")
    COMPLETEE = "COMPLETEE", _("Complétée")
    VALIDEE = "VALIDEE", _("Validée")
    REJETEE = "REJETEE", _("Rejetée")
    MISE_EN_PAIEMENT = "MISE_EN_PAIEMENT", _("Mise en paiement")
    PAYEE = "PAYEE", _("Payée")

    @classmethod
    def editable(cls) -> frozenset[str]:
        """Before instruction the beneficiary may still change the request."""
        return frozenset({cls.BROUILLON, cls.DEPOSEE})

    @classmethod
    def accepted(cls) -> frozenset[str]:
        """Validated, whatever the payment stage: the amount is decided."""
        return frozenset({cls.VALIDEE, cls.MISE_EN_PAIEMENT, cls.PAYEE})


# Green: decided or paid; blue: on its way; orange: waits for the beneficiary; red: refused.
declare_badges(
    RefundStatus,
    {
        "BROUILLON": "new",
        "DEPOSEE": "info",
        "EN_COURS_INSTRUCTION": "info",
        "SUSPENDUE": "warning",
        "COMPLETEE": "info",
        "VALIDEE": "success",
        "REJETEE": "error",
        "MISE_EN_PAIEMENT": "success",
        "PAYEE": "success",
    },
)


class RefundRole(models.TextChoices):
    """The roles held on a refund request (beside the platform's, chorus.workflow.SYSTEM)."""

    BENEFICIAIRE = "BENEFICIAIRE", _("Bénéficiaire")
    INSTRUCTEUR = "INSTRUCTEUR", _("Instructeur")


class Unit(models.TextChoices):
    """The unit a product's quantity is declared in (the unit of its refund rate)."""

    HECTOLITRE = "HL", _("hectolitre (hl)")
    CENT_KG = "100KG", _("100 kg")
    MWH = "MWH", _("mégawattheure (MWh)")


class Product(models.TextChoices):
    """The products refunded to farmers (chorus_pro.md §7)."""

    GNR = "GNR", _("Gazole non routier")
    FIOUL_LOURD = "FIOUL_LOURD", _("Fioul lourd")
    GPL = "GPL", _("Gaz de pétrole liquéfié (GPL)")
    GN_COMBUSTIBLE = "GN_COMBUSTIBLE", _("Gaz naturel utilisé comme combustible")
    GN_CARBURANT = "GN_CARBURANT", _("Gaz naturel utilisé comme carburant")

    @property
    def unit(self) -> str:
        return PRODUCT_UNITS[self]

    @property
    def unit_label(self) -> str:
        return str(Unit(PRODUCT_UNITS[self]).label)

    @classmethod
    def needing_de_minimis(cls) -> frozenset[str]:
        """Claiming these requires the de minimis declaration."""
        return frozenset({cls.FIOUL_LOURD, cls.GN_COMBUSTIBLE, cls.GN_CARBURANT})


PRODUCT_UNITS = {
    Product.GNR: Unit.HECTOLITRE,
    Product.FIOUL_LOURD: Unit.CENT_KG,
    Product.GPL: Unit.CENT_KG,
    Product.GN_COMBUSTIBLE: Unit.MWH,
    Product.GN_CARBURANT: Unit.MWH,
}

# One fuel invoice of a farm above these quantities is possible but rare: the form warns
# (a typing slip in litres instead of hectolitres, kg instead of 100 kg) without refusing.
PLAUSIBLE_MAXIMUM = {
    Product.GNR: 500,  # hl: 50,000 litres, a large tanker delivery
    Product.FIOUL_LOURD: 2000,  # 100 kg: 200 tonnes
    Product.GPL: 1000,  # 100 kg: 100 tonnes
    Product.GN_COMBUSTIBLE: 5000,  # MWh: a large greenhouse's month
    Product.GN_CARBURANT: 1000,  # MWh
}


class BeneficiaryKind(models.TextChoices):
    """Who may claim the refund."""

    EXPLOITANT_INDIVIDUEL = "EXPLOITANT_INDIVIDUEL", _("Exploitant agricole individuel")
    SOCIETE_AGRICOLE = "SOCIETE_AGRICOLE", _("Société agricole (GAEC, EARL, SCEA...)")
    CUMA = "CUMA", _("Coopérative d'utilisation de matériel agricole (CUMA)")
    ETARF = "ETARF", _("Entreprise de travaux agricoles, ruraux ou forestiers (ETARF)")
    GIE = "GIE", _("Groupement d'intérêt économique d'exploitants (GIE)")


class AttachmentKind(models.TextChoices):
    DE_MINIMIS = "DE_MINIMIS", _("Attestation de minimis")
    RIB = "RIB", _("Relevé d'identité bancaire")
    COMPLEMENT = "COMPLEMENT", _("Pièce complémentaire")
    AUTRE = "AUTRE", _("Autre pièce")


# The outcomes the motive catalogue (rejections.Motive.outcomes) names for refund requests;
# kept apart from the invoice outcomes so an invoice motive never justifies a refund decision.
MOTIVE_OUTCOMES = {"suspend": "tic_suspend", "reject": "tic_reject"}
