"""Codes of the mémoires de frais de justice, as Chorus Pro names them, with French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chorus.workflow.badges import declare_badges

# The billing frame (codeCadreFacturation) of a mémoire on the API.
CADRE_MEMOIRE = "A3_MEMOIRE_JUSTICE"


class MemoireStatus(models.TextChoices):
    """A mémoire's life from entry to payment."""

    BROUILLON = "BROUILLON", _("Brouillon")
    DEPOSE = "DEPOSE", _("Déposé (mis à disposition)")
    EN_COURS_DE_TRAITEMENT = "EN_COURS_DE_TRAITEMENT", _("En cours de traitement")
    SUSPENDU = "SUSPENDU", _("Suspendu")
    COMPLETE = "COMPLETE", _("Complété")
    A_CERTIFIER = "A_CERTIFIER", _("À certifier")
    CERTIFIE = "CERTIFIE", _("Certifié")
    MIS_EN_PAIEMENT = "MIS_EN_PAIEMENT", _("Mis en paiement")
    PAYE = "PAYE", _("Payé")
    REJETE = "REJETE", _("Rejeté")

    @classmethod
    def processed(cls) -> tuple[str, ...]:
        """Certified by a magistrate: the court has processed the mémoire."""
        return (cls.CERTIFIE, cls.MIS_EN_PAIEMENT, cls.PAYE)

    @classmethod
    def waiting_for_court(cls) -> tuple[str, ...]:
        """The court's service or magistrate has to act."""
        return (
            cls.DEPOSE,
            cls.EN_COURS_DE_TRAITEMENT,
            cls.COMPLETE,
            cls.A_CERTIFIER,
            cls.CERTIFIE,
            cls.MIS_EN_PAIEMENT,
        )


declare_badges(
    MemoireStatus,
    {
        MemoireStatus.BROUILLON: "new",
        MemoireStatus.DEPOSE: "info",
        MemoireStatus.EN_COURS_DE_TRAITEMENT: "info",
        MemoireStatus.SUSPENDU: "warning",
        MemoireStatus.COMPLETE: "info",
        MemoireStatus.A_CERTIFIER: "info",
        MemoireStatus.CERTIFIE: "success",
        MemoireStatus.MIS_EN_PAIEMENT: "success",
        MemoireStatus.PAYE: "success",
        MemoireStatus.REJETE: "error",
    },
)


class MemoireRole(models.TextChoices):
    """An actor's role on one mémoire (chorus.workflow roles)."""

    PRESTATAIRE = "PRESTATAIRE", _("Prestataire de justice")
    AGENT = "AGENT", _("Agent du service de la juridiction")
    MAGISTRAT = "MAGISTRAT", _("Magistrat")


class CourtRoleKind(models.TextChoices):
    """A court member's role for mémoires, assigned by the court's manager."""

    AGENT = "AGENT", _("Agent du service centralisateur")
    MAGISTRAT = "MAGISTRAT", _("Magistrat certificateur (taxation)")


class ProviderKind(models.TextChoices):
    EXPERT = "EXPERT", _("Expert")
    INTERPRETE = "INTERPRETE", _("Interprète")
    TRADUCTEUR = "TRADUCTEUR", _("Traducteur")
    AUTRE = "AUTRE", _("Autre prestataire (laboratoire, commissaire de justice...)")


class DecisionKind(models.TextChoices):
    """The designating decision a mémoire is filed under."""

    REQUISITION = "REQUISITION", _("Réquisition")
    ORDONNANCE = "ORDONNANCE", _("Ordonnance")
    JUGEMENT = "JUGEMENT", _("Jugement")
    COMMISSION_ROGATOIRE = "COMMISSION_ROGATOIRE", _("Commission rogatoire")


class LineKind(models.TextChoices):
    PRESTATION = "PRESTATION", _("Prestation")
    FRAIS = "FRAIS", _("Frais de déplacement et autres frais")
    DEBOURS = "DEBOURS", _("Débours (exonérés de TVA)")


class VatRegime(models.TextChoices):
    DEBITS = "DEBITS", _("TVA sur les débits")
    ENCAISSEMENTS = "ENCAISSEMENTS", _("TVA sur les encaissements")
    FRANCHISE = "FRANCHISE", _("Franchise en base (TVA non applicable, art. 293 B du CGI)")


class AttachmentKind(models.TextChoices):
    DECISION = "DECISION", _("Décision de désignation (réquisition, ordonnance...)")
    ATTESTATION = "ATTESTATION", _("Attestation de mission")
    DECLARATION = "DECLARATION", _("Déclaration sur l'honneur")
    DEVIS = "DEVIS", _("Devis et bon de commande")
    AUTRE = "AUTRE", _("Autre pièce")


class TariffUnit(models.TextChoices):
    HEURE = "HEURE", _("heure")
    PAGE = "PAGE", _("page")
    ACTE = "ACTE", _("acte")
    FORFAIT = "FORFAIT", _("forfait")
    KM = "KM", _("kilomètre")
    NUIT = "NUIT", _("nuitée")
    REPAS = "REPAS", _("repas")
    EURO = "EURO", _("euro (montant réel)")
