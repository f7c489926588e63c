"""Input and output of the mémoire operations, with Chorus Pro style field names."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chorus.api.envelope import (
    CproResponseSerializer,
    IdField,
    PaginatedRequestSerializer,
    PaginatedResponseSerializer,
)
from invoices.api.serializers import decode_base64
from invoices.channels.portal.forms import attachment_content_error, attachment_errors
from invoices.validation.platform_rules import ATTACHMENT_MAX_BYTES
from justice_fees.enums import (
    CADRE_MEMOIRE,
    AttachmentKind,
    DecisionKind,
    LineKind,
    MemoireStatus,
    VatRegime,
)

MONEY = {"max_digits": 19, "decimal_places": 2, "coerce_to_string": False}


def money_out(**kwargs):
    return serializers.DecimalField(allow_null=True, **MONEY, **kwargs)


class CadreSerializer(serializers.Serializer):
    codeCadreFacturation = serializers.CharField(
        help_text=_("A3_MEMOIRE_JUSTICE : mémoire de frais de justice.")
    )


class JuridictionInSerializer(serializers.Serializer):
    codeJuridiction = serializers.CharField(
        help_text=_("SIRET de la juridiction nommée sur la décision de désignation.")
    )
    codeServiceJuridiction = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Code du service (service centralisateur des frais de justice), facultatif."),
    )


class ProcedureSerializer(serializers.Serializer):
    typeDecision = serializers.ChoiceField(choices=DecisionKind.values)
    dateDecision = serializers.DateField(help_text=_("AAAA-MM-JJ."))
    numeroProcedure = serializers.CharField(max_length=60)
    requerant = serializers.CharField(
        max_length=150, help_text=_("Magistrat ou officier requérant, nom et qualité.")
    )
    dateFinMission = serializers.DateField(
        help_text=_(
            "AAAA-MM-JJ. Un mémoire présenté plus d'un an après est forclos (article 800 du "
            "code de procédure pénale)."
        )
    )


class LigneInSerializer(serializers.Serializer):
    nature = serializers.ChoiceField(choices=LineKind.values)
    codePrestation = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Code du référentiel des prestations et tarifs ; son tarif s'applique."),
    )
    libelle = serializers.CharField(required=False, allow_blank=True, max_length=200)
    quantite = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    prixUnitaire = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        help_text=_("Pour un montant libre ; ignoré pour une prestation tarifée."),
    )
    tauxTva = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=False,
        default=0,
    )


class PieceJointeInSerializer(serializers.Serializer):
    typePieceJointe = serializers.ChoiceField(choices=AttachmentKind.values)
    nomFichier = serializers.CharField(max_length=255)
    contenu = serializers.CharField(trim_whitespace=False, help_text=_("Le fichier en base64."))

    def validate(self, attrs):
        name = attrs["nomFichier"].strip()
        data = decode_base64(
            attrs.pop("contenu"),
            field="contenu",
            limit=ATTACHMENT_MAX_BYTES,
            advice=_("compressez ou découpez la pièce jointe (10 Mo au plus)."),
        )
        errors = attachment_errors(name, len(data))
        content_error = attachment_content_error(name, data)
        if errors or content_error:
            raise serializers.ValidationError(
                {"nomFichier": [*errors, *filter(None, [content_error])]}
            )
        attrs["nomFichier"], attrs["data"] = name, data
        return attrs


class SoumettreMemoireRequestSerializer(serializers.Serializer):
    cadreDeFacturation = CadreSerializer()
    numeroMemoire = serializers.CharField(max_length=40, help_text=_("Unique parmi vos mémoires."))
    juridiction = JuridictionInSerializer()
    procedure = ProcedureSerializer()
    regimeTva = serializers.ChoiceField(choices=VatRegime.values, default=VatRegime.FRANCHISE)
    lignes = LigneInSerializer(many=True, allow_empty=False)
    piecesJointes = PieceJointeInSerializer(
        many=True,
        help_text=_("La décision de désignation (typePieceJointe DECISION) est obligatoire."),
    )


class SoumettreMemoireResponseSerializer(CproResponseSerializer):
    idMemoire = serializers.IntegerField()
    numeroMemoire = serializers.CharField()
    statut = serializers.ChoiceField(choices=MemoireStatus.values)
    dateDepot = serializers.DateTimeField()
    montantHtDemande = money_out()
    montantTvaDemande = money_out()
    montantTtcDemande = money_out()


class ConsulterMemoireRequestSerializer(serializers.Serializer):
    idMemoire = IdField()


class LigneOutSerializer(serializers.Serializer):
    numeroLigne = serializers.IntegerField()
    nature = serializers.CharField()
    codePrestation = serializers.CharField(allow_null=True)
    libelle = serializers.CharField()
    quantite = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    unite = serializers.CharField()
    prixUnitaire = money_out()
    tauxTva = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False)
    montantHtDemande = money_out()
    montantHtCertifie = money_out()
    motifReduction = serializers.CharField(allow_blank=True)


class HistoStatutSerializer(serializers.Serializer):
    statut = serializers.CharField()
    date = serializers.CharField(help_text=_("AAAA-MM-JJ HH:MM"))
    auteur = serializers.CharField()
    role = serializers.CharField()
    motif = serializers.CharField(allow_blank=True)
    commentaire = serializers.CharField(allow_blank=True)


class ConsulterMemoireResponseSerializer(CproResponseSerializer):
    idMemoire = serializers.IntegerField()
    numeroMemoire = serializers.CharField()
    codeCadreFacturation = serializers.CharField(default=CADRE_MEMOIRE)
    statut = serializers.CharField()
    dateDepot = serializers.DateTimeField(allow_null=True)
    fournisseur = serializers.DictField()
    juridiction = serializers.DictField()
    procedure = serializers.DictField()
    regimeTva = serializers.CharField()
    montantHtDemande = money_out()
    montantTvaDemande = money_out()
    montantTtcDemande = money_out()
    montantHtCertifie = money_out()
    montantTvaCertifie = money_out()
    montantTtcCertifie = money_out()
    lignes = LigneOutSerializer(many=True)
    historique = HistoStatutSerializer(many=True)
    actionsPossibles = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Les statuts où votre compte technique peut faire passer le mémoire."),
    )


class RechercherMemoiresRequestSerializer(PaginatedRequestSerializer):
    sort_columns = {
        "dateDepot": "deposited_at",
        "numeroFactureMemoire": "number",
        "statut": "status",
        "montantTtcDemande": "claimed_total",
    }
    default_sort = "deposited_at"

    codeJuridiction = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    raisonSocialeJuridiction = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=_("Une partie du nom.")
    )
    numeroFactureMemoire = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text=_("Une partie du numéro.")
    )
    statut = serializers.ChoiceField(
        choices=MemoireStatus.values, required=False, allow_blank=True, allow_null=True
    )
    dateDepotDebut = serializers.DateField(required=False, allow_null=True)
    dateDepotFin = serializers.DateField(required=False, allow_null=True)


class MemoireListeSerializer(serializers.Serializer):
    idMemoire = serializers.IntegerField()
    numeroFactureMemoire = serializers.CharField()
    statut = serializers.CharField()
    codeJuridiction = serializers.CharField()
    raisonSocialeJuridiction = serializers.CharField()
    raisonSocialeFournisseur = serializers.CharField()
    dateDepot = serializers.DateTimeField(allow_null=True)
    montantTtcDemande = money_out()
    montantTtcCertifie = money_out()


class RechercherMemoiresResponseSerializer(PaginatedResponseSerializer):
    listeMemoires = MemoireListeSerializer(many=True)


class TraiterMemoireRequestSerializer(serializers.Serializer):
    idMemoire = IdField()
    statutCible = serializers.ChoiceField(
        choices=[
            MemoireStatus.EN_COURS_DE_TRAITEMENT,
            MemoireStatus.A_CERTIFIER,
            MemoireStatus.SUSPENDU,
            MemoireStatus.REJETE,
            MemoireStatus.MIS_EN_PAIEMENT,
            MemoireStatus.PAYE,
        ],
        help_text=_(
            "Le nouveau statut. La certification (CERTIFIE) est un acte du magistrat : elle se "
            "fait sur le portail, jamais par un compte technique."
        ),
    )
    motif = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Code du catalogue des motifs, obligatoire pour SUSPENDU et REJETE."),
    )
    commentaire = serializers.CharField(required=False, allow_blank=True, default="")


class TraiterMemoireResponseSerializer(CproResponseSerializer):
    idMemoire = serializers.IntegerField()
    statut = serializers.CharField()
