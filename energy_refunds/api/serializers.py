"""Input and output of the energy refund operations (cadre A21_DEMANDE_REMBOURSEMENT_TIC)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chorus.api.envelope import (
    CproResponseSerializer,
    IdField,
    PaginatedRequestSerializer,
    PaginatedResponseSerializer,
)
from energy_refunds.enums import BILLING_FRAME, Product, RefundStatus, Unit
from invoices.api.serializers import decode_base64

PDF_LIMIT = 10 * 1024 * 1024
ACTIONS = ["deposit", "take", "validate", "suspend", "reject", "complete", "pay", "record_payment"]


class CadreSerializer(serializers.Serializer):
    codeCadreFacturation = serializers.ChoiceField(choices=[BILLING_FRAME])


class FactureCarburantSerializer(serializers.Serializer):
    fournisseurRaisonSociale = serializers.CharField(max_length=250)
    fournisseurSiret = serializers.CharField(max_length=20)
    numeroFacture = serializers.CharField(max_length=60)
    dateFacture = serializers.DateField()
    dateLivraison = serializers.DateField()
    produit = serializers.ChoiceField(choices=Product.values)
    quantite = serializers.DecimalField(max_digits=12, decimal_places=3)
    unite = serializers.ChoiceField(
        choices=Unit.values, help_text=_("HL, 100KG ou MWH : l'unité du produit.")
    )
    pieceJointeFichier = serializers.CharField(
        required=False, allow_blank=True, help_text=_("La facture en PDF, encodée en base64.")
    )

    def validate(self, attrs):
        if attrs.get("pieceJointeFichier"):
            attrs["pdf"] = decode_base64(
                attrs.pop("pieceJointeFichier"),
                field="pieceJointeFichier",
                limit=PDF_LIMIT,
                advice=str(_("Joignez la facture en PDF de 10 Mo au plus.")),
            )
            if not attrs["pdf"].startswith(b"%PDF-"):
                raise serializers.ValidationError(
                    {"pieceJointeFichier": _("Le fichier n'est pas un PDF.")}
                )
        else:
            attrs.pop("pieceJointeFichier", None)
        return attrs


class SoumettreRequestSerializer(serializers.Serializer):
    cadreDeFacturation = CadreSerializer()
    anneeLivraison = serializers.IntegerField(min_value=2000, max_value=2100)
    demandeAvance = serializers.BooleanField(default=False)
    engagementAvance = serializers.BooleanField(default=False)
    declarationDeMinimis = serializers.BooleanField(default=False)
    montantAutresAidesDeMinimis = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    listeFactures = FactureCarburantSerializer(many=True, allow_empty=False, max_length=500)
    deposer = serializers.BooleanField(
        default=True,
        help_text=_("false : la demande reste au brouillon, à compléter sur le portail."),
    )


class MontantProduitSerializer(serializers.Serializer):
    produit = serializers.CharField()
    quantite = serializers.DecimalField(max_digits=15, decimal_places=3, coerce_to_string=False)
    taux = serializers.DecimalField(
        max_digits=9, decimal_places=4, allow_null=True, coerce_to_string=False
    )
    montant = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, coerce_to_string=False
    )


class MontantsSerializer(serializers.Serializer):
    parProduit = MontantProduitSerializer(many=True)
    remboursementCalcule = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False
    )
    montantRetenu = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False
    )
    avanceDeduite = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False
    )
    solde = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    avanceAnneeSuivante = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False
    )
    montantAPayer = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False
    )


class DemandeResumeSerializer(serializers.Serializer):
    identifiantDemandeCPP = serializers.IntegerField()
    numeroDemande = serializers.CharField()
    anneeLivraison = serializers.IntegerField()
    statut = serializers.ChoiceField(choices=RefundStatus.choices)
    dateHeureEtatCourant = serializers.DateTimeField()
    beneficiaireSiret = serializers.CharField()
    beneficiaireRaisonSociale = serializers.CharField()
    raisonSocialeDeptDR = serializers.CharField(
        allow_blank=True, help_text=_("La DDFiP instructrice.")
    )
    montantRetenu = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False
    )


class HistoriqueSerializer(serializers.Serializer):
    statut = serializers.CharField()
    date = serializers.DateTimeField()
    action = serializers.CharField()
    motif = serializers.CharField(allow_blank=True)
    commentaire = serializers.CharField(allow_blank=True)


class FactureCarburantOutSerializer(serializers.Serializer):
    fournisseurRaisonSociale = serializers.CharField()
    fournisseurSiret = serializers.CharField()
    numeroFacture = serializers.CharField()
    dateFacture = serializers.DateField()
    dateLivraison = serializers.DateField()
    produit = serializers.ChoiceField(choices=Product.values)
    quantite = serializers.DecimalField(max_digits=12, decimal_places=3, coerce_to_string=False)
    unite = serializers.ChoiceField(choices=Unit.values)
    pieceJointe = serializers.BooleanField(help_text=_("La facture en PDF est jointe."))


class DemandeSerializer(DemandeResumeSerializer):
    demandeAvance = serializers.BooleanField()
    declarationDeMinimis = serializers.BooleanField()
    motifAjustement = serializers.CharField(allow_blank=True)
    referencePaiement = serializers.CharField(allow_blank=True)
    listeFactures = FactureCarburantOutSerializer(many=True)
    montants = MontantsSerializer()
    historique = HistoriqueSerializer(many=True)
    actionsPossibles = serializers.ListField(child=serializers.ChoiceField(choices=ACTIONS))


class DemandeResponseSerializer(CproResponseSerializer):
    demande = DemandeSerializer()


class ConsulterRequestSerializer(serializers.Serializer):
    identifiantDemandeCPP = IdField()


class RechercherRequestSerializer(PaginatedRequestSerializer):
    sort_columns = {
        "anneeLivraison": "year",
        "dateHeureEtatCourant": "status_at",
        "numeroDemande": "reference",
    }
    default_sort = "status_at"

    anneeLivraison = serializers.IntegerField(required=False, allow_null=True)
    statut = serializers.ChoiceField(choices=RefundStatus.choices, required=False, allow_null=True)


class RechercherResponseSerializer(PaginatedResponseSerializer):
    listeDemandes = DemandeResumeSerializer(many=True)


class TraiterRequestSerializer(serializers.Serializer):
    identifiantDemandeCPP = IdField()
    action = serializers.ChoiceField(choices=ACTIONS)
    motif = serializers.CharField(required=False, allow_blank=True, max_length=30)
    commentaire = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    montantRetenu = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    referencePaiement = serializers.CharField(required=False, allow_blank=True, max_length=60)
    pieceJointeFichier = serializers.CharField(required=False, allow_blank=True)
    pieceJointeNom = serializers.CharField(required=False, allow_blank=True, max_length=100)

    def validate(self, attrs):
        if attrs.get("pieceJointeFichier"):
            attrs["piece"] = decode_base64(
                attrs.pop("pieceJointeFichier"),
                field="pieceJointeFichier",
                limit=PDF_LIMIT,
                advice=str(_("Joignez un PDF de 10 Mo au plus.")),
            )
        return attrs
