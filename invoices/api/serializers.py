"""Inputs and outputs of the invoice and transverse operations, with Chorus Pro field names.

Input serializers check shapes and types (GCU_MSG_04_002 field by field); the checks that
have their own coded message (base64, syntax, file name and size) raise it from `validate`.
Amounts are answered as JSON numbers, dates as AAAA-MM-JJ, date-times in ISO 8601 except in
histories, "AAAA-MM-JJ HH:MM" as the clients read them.
"""

import base64
import binascii
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chorus.api.envelope import (
    CproResponseSerializer,
    IdField,
    PaginatedRequestSerializer,
    PaginatedResponseSerializer,
    PaginationSerializer,
    optional_list,
)
from invoices.api import errors
from invoices.api.parsers import api_flow_limit
from invoices.api.services import DOWNLOAD_FORMATS
from invoices.api.submission import CADRE_SUPPORTED, PAYMENT_MEANS, TYPE_CODES, TYPES_TVA
from invoices.enums import DepositChannel, FlowStatus, FlowSyntax, InvoiceStatus
from invoices.formats.pdfsafety import pdf_active_content
from invoices.ingestion.archive import ARCHIVE_EXTENSIONS
from invoices.validation.platform_rules import (
    ALLOWED_ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_NAME_MAX_LENGTH,
)

FILENAME_MAX_LENGTH = 200
# The file extensions each declared syntax admits, besides an archive of several invoices.
EXTENSIONS_OF_SYNTAX = {
    FlowSyntax.UBL: (".xml",),
    FlowSyntax.CII: (".xml",),
    FlowSyntax.FACTURX: (".pdf",),
    FlowSyntax.PDF: (".pdf",),
    FlowSyntax.MEMOIRE_UBL: (".xml",),
}
# The invoice statuses, one enum in the schema (settings ENUM_NAME_OVERRIDES).
INVOICE_STATUSES = InvoiceStatus.values
# Dates are AAAA-MM-JJ; some clients send a date-time, whose date is taken.
DATE_FORMATS = ["iso-8601", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"]


def choice(values: list[str], **kwargs) -> serializers.ChoiceField:
    """A choice field whose error lists the accepted values."""
    return serializers.ChoiceField(
        choices=values,
        error_messages={
            "invalid_choice": _("« {input} » n'est pas une valeur admise : utilisez %(values)s.")
            % {"values": ", ".join(values)}
        },
        **kwargs,
    )


def code_out(values: list[str], **kwargs) -> serializers.CharField:
    """A code answered, its values listed in the documentation."""
    return serializers.CharField(
        help_text=_("Valeurs : %(values)s.") % {"values": ", ".join(values)}, **kwargs
    )


def optional_text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=max_length, **kwargs
    )


def date_field(**kwargs) -> serializers.DateField:
    return serializers.DateField(input_formats=DATE_FORMATS, **kwargs)


class CriterionDateField(serializers.DateField):
    """A search date: "" (sent by clients for "no date") is no criterion."""

    def validate_empty_values(self, data):
        if isinstance(data, str) and not data.strip():
            return True, None
        return super().validate_empty_values(data)


class CriterionAmountField(serializers.DecimalField):
    """A search amount: 0, which clients send for "no limit", is no criterion."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return value or None


def criterion_date() -> CriterionDateField:
    return CriterionDateField(input_formats=DATE_FORMATS, required=False, allow_null=True)


def criterion_amount() -> CriterionAmountField:
    return CriterionAmountField(max_digits=19, decimal_places=6, required=False, allow_null=True)


def amount_in(**kwargs) -> serializers.DecimalField:
    """An amount or quantity sent: up to 19 digits, 6 of them decimals, "." as separator."""
    return serializers.DecimalField(max_digits=19, decimal_places=6, **kwargs)


def amount_out(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=19, decimal_places=2, coerce_to_string=False, allow_null=True, **kwargs
    )


def decode_base64(value: str, *, field: str, limit: int, advice: str) -> bytes:
    """The bytes of a base64 field, refused with a coded message when empty, invalid or
    over `limit` (checked on the encoded length first, so nothing oversized is decoded)."""
    compact = "".join(value.split())  # line breaks of MIME-style encoders are harmless
    if not compact:
        raise errors.CproError(errors.FILE_EMPTY, field=field)
    estimated = len(compact) // 4 * 3
    if estimated - 2 > limit:
        raise errors.CproError(
            errors.FILE_TOO_LARGE, field=field, size=estimated, limit=limit, advice=advice
        )
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise errors.CproError(errors.BASE64_INVALID, field=field) from None
    if not data:
        raise errors.CproError(errors.FILE_EMPTY, field=field)
    if len(data) > limit:
        raise errors.CproError(
            errors.FILE_TOO_LARGE, field=field, size=len(data), limit=limit, advice=advice
        )
    return data


class TextListField(serializers.ListField):
    """A list of strings that also accepts a single string (clients send either)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [data] if data.strip() else []
        return super().to_internal_value(data)


# --- deposerFluxFacture ---------------------------------------------------------------------


@extend_schema_field(serializers.ChoiceField(choices=FlowSyntax.values))
class SyntaxeFluxField(serializers.CharField):
    """Checked with its own coded message (GCU_MSG_50_005) listing the accepted syntaxes."""


def check_syntax(value: str) -> str:
    if value not in FlowSyntax.values:
        accepted = ", ".join(f"{syntax.value} ({syntax.label})" for syntax in FlowSyntax)
        raise errors.CproError(errors.SYNTAX_UNKNOWN, value=value, accepted=accepted)
    return value


class DeposerFluxRequestSerializer(serializers.Serializer):
    fichierFlux = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=_(
            "Le fichier encodé en base64 : une facture (XML ou PDF Factur-X) ou une archive "
            ".zip / .tar.gz de factures."
        ),
    )
    nomFichier = serializers.CharField(
        help_text=_(
            "Nom du fichier, %(max)s caractères au plus, avec l'extension de sa syntaxe "
            "(.xml pour UBL et CII, .pdf pour Factur-X) ou .zip, .tar.gz pour un lot."
        )
        % {"max": FILENAME_MAX_LENGTH}
    )
    syntaxeFlux = SyntaxeFluxField(help_text=_("Syntaxe des factures du fichier."))
    avecSignature = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Accepté pour compatibilité ; une signature n'est pas vérifiée."),
    )
    idUtilisateurCourant = IdField(
        required=False, allow_null=True, help_text=_("Accepté pour compatibilité, ignoré.")
    )

    def validate(self, attrs):
        syntax = check_syntax(attrs["syntaxeFlux"])
        name = attrs["nomFichier"].strip()
        if len(name) > FILENAME_MAX_LENGTH:
            raise errors.CproError(
                errors.FILENAME_INVALID,
                field="nomFichier",
                name=name[:40] + "…",
                reason=_("il fait %(length)s caractères : raccourcissez-le à %(max)s au plus.")
                % {"length": len(name), "max": FILENAME_MAX_LENGTH},
            )
        extensions = EXTENSIONS_OF_SYNTAX[syntax] + ARCHIVE_EXTENSIONS
        if not name.lower().endswith(extensions):
            raise errors.CproError(
                errors.FILENAME_INVALID,
                field="nomFichier",
                name=name,
                reason=_(
                    "pour la syntaxe %(syntax)s, il doit finir par %(extensions)s : "
                    "corrigez l'extension ou la syntaxe déclarée."
                )
                % {"syntax": syntax, "extensions": ", ".join(extensions)},
            )
        attrs["nomFichier"] = name
        attrs["contenu"] = decode_base64(
            attrs.pop("fichierFlux"),
            field="fichierFlux",
            limit=api_flow_limit(),
            advice=_(
                "découpez le lot en plusieurs dépôts, ou déposez-le par le portail ou par le "
                "canal EDI, qui acceptent des flux plus volumineux."
            ),
        )
        return attrs


class DeposerFluxResponseSerializer(CproResponseSerializer):
    numeroFluxDepot = serializers.CharField(
        help_text=_("Numéro du dépôt, à donner à transverses/v1/consulterCRDetaille.")
    )
    dateDepot = serializers.DateField()
    syntaxeFlux = serializers.CharField()


# --- verifier (issue 9 §5) ------------------------------------------------------------------


class VerifierRequestSerializer(serializers.Serializer):
    fichierFlux = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("La facture encodée en base64 : un XML UBL ou CII, ou un PDF Factur-X."),
    )
    nomFichier = serializers.CharField(
        max_length=FILENAME_MAX_LENGTH,
        help_text=_("Nom du fichier, avec son extension (.xml ou .pdf)."),
    )

    def validate(self, attrs):
        attrs["contenu"] = decode_base64(
            attrs.pop("fichierFlux"),
            field="fichierFlux",
            limit=api_flow_limit(),
            advice=_("vérifiez-la par le portail, qui accepte des fichiers plus volumineux."),
        )
        return attrs


class ConstatSerializer(serializers.Serializer):
    regle = serializers.CharField(help_text=_("Identifiant de la règle, par exemple BR-CO-10."))
    severite = serializers.ChoiceField(
        choices=["fatal", "warning"],
        help_text=_("fatal : la facture serait refusée ; warning : signalé seulement."),
    )
    terme = serializers.CharField(help_text=_("Le terme métier concerné, s'il est connu."))
    ligne = serializers.IntegerField(
        allow_null=True, help_text=_("La ligne de facture concernée, s'il y en a une.")
    )
    message = serializers.CharField(help_text=_("Ce qui ne va pas, en langage courant."))
    aFaire = serializers.CharField(help_text=_("Comment le corriger."))
    emplacement = serializers.CharField(help_text=_("Chemin XPath de l'élément en cause."))


class VerifierResponseSerializer(CproResponseSerializer):
    valide = serializers.BooleanField(help_text=_("La facture serait-elle acceptée au dépôt ?"))
    format = serializers.CharField(
        allow_null=True, help_text=_("ubl, cii ou facturx ; nul si le fichier est illisible.")
    )
    profil = serializers.CharField(allow_null=True, help_text=_("Profil de la facture."))
    listeConstats = ConstatSerializer(many=True)


# --- soumettreFacture -----------------------------------------------------------------------


class SoumettreDestinataireSerializer(serializers.Serializer):
    codeDestinataire = serializers.CharField(
        max_length=80, help_text=_("SIRET de la structure publique destinataire.")
    )
    codeServiceExecutant = optional_text(100, help_text=_("Code du service destinataire (BT-10)."))


class SoumettreFournisseurSerializer(serializers.Serializer):
    idFournisseur = IdField(
        required=False,
        allow_null=True,
        help_text=_("idStructureCPP de votre structure ; toute autre valeur est refusée."),
    )
    idServiceFournisseur = IdField(
        required=False, allow_null=True, help_text=_("Accepté pour compatibilité, ignoré.")
    )
    codeCoordonneesBancairesFournisseur = IdField(
        required=False,
        allow_null=True,
        help_text=_("Identifiant d'un compte bancaire de votre structure (virement)."),
    )


class SoumettreCadreSerializer(serializers.Serializer):
    codeCadreFacturation = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=80,
        help_text=_("%(code)s (par défaut) : seul cadre disponible.") % {"code": CADRE_SUPPORTED},
    )
    codeServiceValideur = optional_text(100)
    codeStructureValideur = optional_text(80)


class SoumettreReferencesSerializer(serializers.Serializer):
    deviseFacture = optional_text(3, help_text=_("Code ISO 4217, EUR par défaut."))
    typeFacture = choice(list(TYPE_CODES), required=False, allow_null=True)
    typeTva = choice(TYPES_TVA, required=False, allow_null=True, allow_blank=True)
    motifExonerationTva = optional_text(
        500, help_text=_("Motif d'exonération, ou code VATEX, pour les lignes à 0 %.")
    )
    modePaiement = choice(list(PAYMENT_MEANS), required=False, allow_null=True, allow_blank=True)
    numeroMarche = optional_text(200, help_text=_("Numéro de marché (BT-12)."))
    numeroBonCommande = optional_text(
        200, help_text=_("Numéro d'engagement juridique (BT-13), 50 caractères au plus.")
    )
    numeroFactureOrigine = optional_text(200, help_text=_("Facture que corrige un avoir (BT-25)."))


class SoumettreLignePosteSerializer(serializers.Serializer):
    lignePosteNumero = IdField(required=False, allow_null=True)
    lignePosteReference = optional_text(200, help_text=_("Référence de l'article (BT-155)."))
    lignePosteDenomination = serializers.CharField(max_length=500)
    lignePosteQuantite = amount_in()
    lignePosteUnite = optional_text(
        50, help_text=_("Code UN/ECE Rec 20 (C62, HUR, DAY…) ou unité usuelle (heure, jour…).")
    )
    lignePosteMontantUnitaireHT = amount_in()
    lignePosteMontantRemiseHT = amount_in(required=False, allow_null=True, min_value=0)
    lignePosteTauxTva = optional_text(10, help_text=_("TVA20, TVA10, TVA5.5, TVA2.1 ou TVA0."))
    lignePosteTauxTvaManuel = amount_in(required=False, allow_null=True)


class SoumettreLigneTvaSerializer(serializers.Serializer):
    ligneTvaTaux = optional_text(10)
    ligneTvaTauxManuel = amount_in(required=False, allow_null=True)
    ligneTvaMontantBaseHtParTaux = amount_in()
    ligneTvaMontantTvaParTaux = amount_in()


class SoumettreMontantTotalSerializer(serializers.Serializer):
    montantHtTotal = amount_in()
    montantTVA = amount_in(required=False, allow_null=True)
    montantTtcTotal = amount_in()
    montantRemiseGlobaleTTC = amount_in(required=False, allow_null=True)
    motifRemiseGlobaleTTC = optional_text(500)
    montantAPayer = amount_in()
    acompte = amount_in(
        required=False, allow_null=True, min_value=0, help_text=_("Montant déjà payé (BT-113).")
    )


class PieceJointePrincipaleSerializer(serializers.Serializer):
    pieceJointePrincipaleDesignation = optional_text(200)
    pieceJointePrincipaleId = IdField(
        help_text=_("pieceJointeId renvoyé par transverses/v1/ajouter/fichier.")
    )


class PieceJointeComplementaireSerializer(serializers.Serializer):
    pieceJointeComplementaireDesignation = optional_text(200)
    pieceJointeComplementaireId = IdField(
        help_text=_("pieceJointeId renvoyé par transverses/v1/ajouter/fichier.")
    )
    pieceJointeComplementaireIdLiaison = IdField(required=False, allow_null=True)
    pieceJointeComplementaireNumeroLigneFacture = IdField(required=False, allow_null=True)
    pieceJointeComplementaireType = optional_text(50)


class SoumettreFactureRequestSerializer(serializers.Serializer):
    modeDepot = choice(
        ["SAISIE_API", "DEPOT_PDF_API", "DEPOT_PDF_SIGNE_API"], required=False, allow_null=True
    )
    numeroFactureSaisi = serializers.CharField(
        max_length=200, help_text=_("Numéro de la facture (BT-1).")
    )
    dateFacture = date_field()
    dateEcheancePaiement = date_field(required=False, allow_null=True)
    idUtilisateurCourant = IdField(required=False, allow_null=True)
    commentaire = optional_text(2000)
    destinataire = SoumettreDestinataireSerializer()
    fournisseur = SoumettreFournisseurSerializer(required=False, allow_null=True)
    cadreDeFacturation = SoumettreCadreSerializer(required=False, allow_null=True)
    references = SoumettreReferencesSerializer(required=False, allow_null=True)
    lignePoste = serializers.ListField(
        child=SoumettreLignePosteSerializer(), allow_empty=False, min_length=1
    )
    ligneTva = optional_list(SoumettreLigneTvaSerializer())
    montantTotal = SoumettreMontantTotalSerializer()
    pieceJointePrincipale = optional_list(
        PieceJointePrincipaleSerializer(), help_text=_("Un objet ou une liste.")
    )
    pieceJointeComplementaire = optional_list(PieceJointeComplementaireSerializer())

    def to_internal_value(self, data):
        # Clients send the main attachment as one object or as a list of them.
        if isinstance(data, dict) and isinstance(data.get("pieceJointePrincipale"), dict):
            data = {**data, "pieceJointePrincipale": [data["pieceJointePrincipale"]]}
        return super().to_internal_value(data)


class SoumettreFactureResponseSerializer(CproResponseSerializer):
    identifiantFactureCPP = serializers.IntegerField()
    numeroFacture = serializers.CharField()
    dateDepot = serializers.DateField()
    statutFacture = code_out(InvoiceStatus.values)
    identifiantStructure = serializers.CharField(
        help_text=_("Identifiant (SIRET) de votre structure, émettrice de la facture.")
    )
    numeroFluxDepot = serializers.CharField()


# --- rechercherFactureParFournisseur / ParRecipiendaire -------------------------------------


class DestinataireCritereSerializer(serializers.Serializer):
    idDestinataire = IdField(help_text=_("idStructureCPP du destinataire."))
    listeIdServiceExecutant = serializers.ListField(
        child=IdField(), required=False, allow_null=True
    )


class FournisseurCritereSerializer(serializers.Serializer):
    idFournisseur = IdField(help_text=_("idStructureCPP du fournisseur."))
    listeIdService = serializers.ListField(
        child=IdField(),
        required=False,
        allow_null=True,
        help_text=_("Accepté pour compatibilité, ignoré."),
    )


class InvoiceSearchSerializer(PaginatedRequestSerializer):
    """The criteria both searches share; empty criteria ("", 0, null, false, {}: connectors
    send every field) are ignored."""

    sort_columns = {
        "identifiantFactureCPP": "pk",
        "numeroFacture": "number",
        "dateDepot": "created_at",
        "dateFacture": "issue_date",
        "statut": "status",
        "dateHeureEtatCourant": "status_at",
        "montantHT": "total_without_vat",
        "montantTTC": "total_with_vat",
        "montantAPayer": "amount_due",
    }
    default_sort = "created_at"
    # Spellings of the same criteria seen in clients.
    aliases = {"montantApayerMin": "montantAPayerMin", "montantApayerMax": "montantAPayerMax"}

    numeroFacture = optional_text(200)
    statutCourant = TextListField(child=choice(INVOICE_STATUSES), required=False, allow_null=True)
    typeFacture = choice(list(TYPE_CODES), required=False, allow_null=True, allow_blank=True)
    periodeDateDepotDu = criterion_date()
    periodeDateDepotAu = criterion_date()
    periodeDateFactureDu = criterion_date()
    periodeDateFactureAu = criterion_date()
    montantHTMin = criterion_amount()
    montantHTMax = criterion_amount()
    montantTTCMin = criterion_amount()
    montantTTCMax = criterion_amount()
    montantAPayerMin = criterion_amount()
    montantAPayerMax = criterion_amount()
    numeroBonCommande = optional_text(200)
    numeroMarche = optional_text(200)
    idUtilisateurCourant = IdField(required=False, allow_null=True)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = {
                **{self.aliases.get(key, key): value for key, value in data.items()},
            }
        return super().to_internal_value(data)


class RechercherFournisseurRequestSerializer(InvoiceSearchSerializer):
    numeroFluxDepot = optional_text(30)
    listeDestinataire = optional_list(DestinataireCritereSerializer())
    rechercheFactureParFournisseur = PaginationSerializer(
        required=False, allow_null=True, help_text=_("Autre nom accepté pour « parametres ».")
    )


class RechercherRecipiendaireRequestSerializer(InvoiceSearchSerializer):
    listeFournisseurs = optional_list(FournisseurCritereSerializer())
    idServiceExecutant = IdField(required=False, allow_null=True)
    listeTypeFacture = TextListField(
        child=serializers.CharField(),
        required=False,
        allow_null=True,
        help_text=_("Valeurs : %(values)s.") % {"values": ", ".join(TYPE_CODES)},
    )
    paramRecherche = PaginationSerializer(
        required=False, allow_null=True, help_text=_("Autre nom accepté pour « parametres ».")
    )

    def validate_listeTypeFacture(self, values):
        unknown = [value for value in values or [] if value not in TYPE_CODES]
        if unknown:
            raise serializers.ValidationError(
                _("« %(unknown)s » : utilisez %(values)s.")
                % {"unknown": ", ".join(unknown), "values": ", ".join(TYPE_CODES)}
            )
        return values


class FactureListItemSerializer(serializers.Serializer):
    identifiantFactureCPP = serializers.IntegerField()
    idFacture = serializers.IntegerField(help_text=_("Même valeur qu'identifiantFactureCPP."))
    numeroFacture = serializers.CharField()
    typeFacture = serializers.CharField()
    statut = code_out(InvoiceStatus.values)
    dateDepot = serializers.DateField()
    dateFacture = serializers.DateField()
    dateHeureEtatCourant = serializers.DateTimeField()
    devise = serializers.CharField()
    montantHT = amount_out()
    montantTTC = amount_out()
    montantAPayer = amount_out()
    idFournisseur = serializers.IntegerField()
    codeFournisseur = serializers.CharField()
    designationFournisseur = serializers.CharField()
    idDestinataire = serializers.IntegerField(allow_null=True)
    codeDestinataire = serializers.CharField()
    designationDestinataire = serializers.CharField(allow_null=True)
    idServiceExecutant = serializers.IntegerField(allow_null=True)
    codeServiceExecutant = serializers.CharField()
    nomServiceExecutant = serializers.CharField(allow_null=True)
    numeroBonCommande = serializers.CharField()
    numeroMarche = serializers.CharField(allow_null=True)
    numeroFluxDepot = serializers.CharField(allow_null=True)
    modeDepot = code_out(DepositChannel.values, allow_null=True)
    taille = serializers.IntegerField(help_text=_("Taille du fichier de la facture, en octets."))
    rejetTraite = serializers.BooleanField(
        help_text=_("Pour une facture rejetée : le fournisseur a pris acte du rejet.")
    )


class RechercherFacturesResponseSerializer(PaginatedResponseSerializer):
    listeFactures = FactureListItemSerializer(many=True)


# --- consulterFacture -----------------------------------------------------------------------


class ConsulterFactureRequestSerializer(serializers.Serializer):
    identifiantFactureCPP = IdField()
    codeLangue = optional_text(5, help_text=_("Accepté pour compatibilité."))
    idUtilisateurCourant = IdField(required=False, allow_null=True)


class CadreDeFacturationOutSerializer(serializers.Serializer):
    codeCadreFacturation = serializers.CharField()


class DestinataireOutSerializer(serializers.Serializer):
    idDestinataire = serializers.IntegerField(allow_null=True)
    codeDestinataire = serializers.CharField(allow_null=True)
    libelleDestinataire = serializers.CharField(allow_null=True)
    idServiceExecutant = serializers.IntegerField(allow_null=True)
    codeServiceExecutant = serializers.CharField(allow_null=True)
    libelleServiceExecutant = serializers.CharField(allow_null=True)
    adresseDestinataireDetail = serializers.CharField(allow_null=True)
    adresseDestinataireCodePostal = serializers.CharField(allow_null=True)
    adresseDestinataireVille = serializers.CharField(allow_null=True)
    adresseDestinataireCodePays = serializers.CharField(allow_null=True)


class FournisseurOutSerializer(serializers.Serializer):
    idFournisseur = serializers.IntegerField()
    codeFournisseur = serializers.CharField(allow_null=True)
    typeIdentifiantFournisseur = serializers.CharField()
    designationFournisseur = serializers.CharField(allow_null=True)
    numeroTvaFournisseur = serializers.CharField(allow_null=True)
    adresseFournisseurDetail = serializers.CharField(allow_null=True)
    adresseFournisseurCodePostal = serializers.CharField(allow_null=True)
    adresseFournisseurVille = serializers.CharField(allow_null=True)
    adresseFournisseurCodePays = serializers.CharField(allow_null=True)
    coordBancairesFournisseurCompteBancaire = serializers.CharField(
        allow_null=True, help_text=_("IBAN du virement demandé.")
    )
    coordBancairesBicSwift = serializers.CharField(allow_null=True)
    coordBancairesFournisseurLibelle = serializers.CharField(allow_null=True)


class ReferencesOutSerializer(serializers.Serializer):
    dateDepot = serializers.DateField()
    dateFacture = serializers.DateField()
    dateEcheancePaiement = serializers.DateField(allow_null=True)
    codeDeviseFacture = serializers.CharField()
    typeFacture = serializers.CharField()
    typeTva = serializers.CharField()
    motifExonerationTva = serializers.CharField(allow_null=True)
    modePaiement = serializers.CharField(allow_null=True)
    numeroMarche = serializers.CharField(allow_null=True)
    numeroBonCommande = serializers.CharField(allow_null=True)
    numeroFactureOrigine = serializers.CharField(allow_null=True)
    tailleTotalePiecesJointes = serializers.IntegerField()
    numeroDpMandat = serializers.CharField(
        allow_null=True, help_text=_("Numéro du mandat, une fois la facture mandatée.")
    )
    idFactureRemplacee = serializers.IntegerField(
        allow_null=True,
        help_text=_("La facture rejetée que cette facture corrige (« corriger et renvoyer »)."),
    )
    numeroFactureRemplacee = serializers.CharField(allow_null=True)
    idFactureCorrective = serializers.IntegerField(
        allow_null=True,
        help_text=_("La facture qui corrige cette facture rejetée, la plus récente."),
    )
    numeroFactureCorrective = serializers.CharField(allow_null=True)


class LignePosteOutSerializer(serializers.Serializer):
    lignePosteNumero = serializers.IntegerField(
        help_text=_("Numéro de la ligne (BT-126), ou son rang quand il n'est pas numérique.")
    )
    lignePosteReference = serializers.CharField(allow_null=True)
    lignePosteDenomination = serializers.CharField()
    lignePosteQuantite = serializers.DecimalField(
        max_digits=19, decimal_places=6, coerce_to_string=False, normalize_output=True
    )
    lignePosteUniteCode = serializers.IntegerField(
        allow_null=True,
        help_text=_("Numéro de l'unité dans la liste de la plateforme (null hors liste)."),
    )
    lignePosteUniteLibelle = serializers.CharField(
        help_text=_("Libellé de l'unité ; son code UN/ECE Rec 20 quand elle est hors liste.")
    )
    lignePosteUniteCodeRec20 = serializers.CharField(help_text=_("Code UN/ECE Rec 20 (BT-130)."))
    lignePosteMontantUnitaireHT = serializers.DecimalField(
        max_digits=19, decimal_places=6, coerce_to_string=False, normalize_output=True
    )
    lignePosteMontantRemiseHT = amount_out()
    lignePosteMontantHtApresRemise = amount_out()
    lignePosteTauxTvaManuel = serializers.DecimalField(
        max_digits=7,
        decimal_places=4,
        coerce_to_string=False,
        allow_null=True,
        normalize_output=True,
    )
    lignePosteCategorieTva = serializers.CharField()
    lignePosteMontantTva = amount_out()
    lignePosteMontantTtcApresRemise = amount_out()


class LignesDePosteOutSerializer(serializers.Serializer):
    lignePoste = LignePosteOutSerializer(many=True)


class LigneTvaOutSerializer(serializers.Serializer):
    ligneTvaTauxRefCode = serializers.CharField(allow_null=True)
    ligneTvaTauxManuel = serializers.DecimalField(
        max_digits=7,
        decimal_places=4,
        coerce_to_string=False,
        allow_null=True,
        normalize_output=True,
    )
    ligneTvaCategorie = serializers.CharField()
    ligneTvaMontantBaseHtParTaux = amount_out()
    ligneTvaMontantTvaParTaux = amount_out()


class RecapitulatifDeTvaOutSerializer(serializers.Serializer):
    ligneTva = LigneTvaOutSerializer(many=True)


class MontantTotalOutSerializer(serializers.Serializer):
    montantHtTotal = amount_out()
    montantTVA = amount_out()
    montantTtcTotal = amount_out()
    acompte = amount_out()
    montantAPayer = amount_out()


class PieceJointeOutSerializer(serializers.Serializer):
    pieceJointeId = serializers.CharField(help_text=_("Identifiant du document (BT-122)."))
    pieceJointeDesignation = serializers.CharField(allow_null=True)
    pieceJointeNom = serializers.CharField(allow_null=True)
    pieceJointeExtension = serializers.CharField(allow_null=True)
    pieceJointeTypeMime = serializers.CharField(allow_null=True)
    pieceJointeTaille = serializers.IntegerField()


class ListeDesPiecesJointesOutSerializer(serializers.Serializer):
    pieceJointe = PieceJointeOutSerializer(many=True)


class FactureOutSerializer(serializers.Serializer):
    identifiantFactureCPP = serializers.IntegerField()
    numeroFacture = serializers.CharField()
    statutFacture = code_out(InvoiceStatus.values)
    modeDepot = code_out(DepositChannel.values, allow_null=True)
    commentaire = serializers.CharField(allow_null=True)
    cadreDeFacturation = CadreDeFacturationOutSerializer()
    destinataire = DestinataireOutSerializer()
    fournisseur = FournisseurOutSerializer()
    references = ReferencesOutSerializer()
    lignesDePoste = LignesDePosteOutSerializer()
    recapitulatifDeTva = RecapitulatifDeTvaOutSerializer()
    montantTotal = MontantTotalOutSerializer()
    listeDesPiecesJointes = ListeDesPiecesJointesOutSerializer()


class ConsulterFactureResponseSerializer(CproResponseSerializer):
    facture = FactureOutSerializer()


# --- consulterHistoriqueFacture -------------------------------------------------------------


# History date-times are read as exactly "AAAA-MM-JJ HH:MM" by the clients.
HISTORY_DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def history_datetime(**kwargs) -> serializers.DateTimeField:
    return serializers.DateTimeField(
        format=HISTORY_DATETIME_FORMAT,
        help_text=_("Date et heure (fuseau de la plateforme), AAAA-MM-JJ HH:MM."),
        **kwargs,
    )


class ConsulterHistoriqueRequestSerializer(PaginatedRequestSerializer):
    sort_columns = {"histoStatutId": "pk", "histoStatutDatePassage": "at"}
    default_sort = "at"

    idFacture = IdField(help_text=_("identifiantFactureCPP de la facture."))
    idUtilisateurCourant = IdField(required=False, allow_null=True)
    idEspace = IdField(
        required=False, allow_null=True, help_text=_("Accepté pour compatibilité, ignoré.")
    )
    paramRechercheHistoStatuts = PaginationSerializer(
        required=False, allow_null=True, help_text=_("Pagination de l'historique des statuts.")
    )
    paramRechercheHistoActionsUtilisateurs = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text=_("Accepté pour compatibilité : les actions sont rendues en une page."),
    )
    paramRechercheHistoEvenementsComplementaires = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text=_("Accepté pour compatibilité : les événements sont rendus en une page."),
    )


class HistoStatutSerializer(serializers.Serializer):
    histoStatutId = serializers.IntegerField()
    histoStatutCode = code_out(InvoiceStatus.values)
    histoStatutDatePassage = history_datetime()
    histoStatutCommentaire = serializers.CharField(
        help_text=_("Motif (code et libellé), commentaire et numéro de mandat, lisibles.")
    )
    histoStatutMotifCode = serializers.CharField(
        allow_null=True, help_text=_("Code du motif (catalogue des motifs).")
    )
    histoStatutMotifLibelle = serializers.CharField(allow_null=True)
    histoStatutNumeroMandat = serializers.CharField(allow_null=True)
    histoStatutLignesConcernees = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Les identifiants (BT-126) des lignes de la facture visées par le motif."),
    )
    histoStatutMontantConteste = amount_out(
        help_text=_("Le montant contesté, quand le motif en vise un.")
    )
    histoStatutCodeCycleDeVie = serializers.CharField(
        allow_null=True, help_text=_("Code du statut dans le cycle de vie de la réforme (200-213).")
    )
    histoStatutCanal = serializers.CharField(help_text=_("PORTAIL, API, EDI, ADMIN ou SYSTEME."))
    histoStatutUtilisateurNom = serializers.CharField()
    histoStatutUtilisateurPrenom = serializers.CharField()
    histoStatutUtilisateurEmail = serializers.CharField()
    histoStatutUtilisateurTelephone = serializers.CharField()


class HistoriquesDesStatutsSerializer(serializers.Serializer):
    histoStatut = HistoStatutSerializer(many=True)
    nbResultatsParPageHistoStatut = serializers.IntegerField()
    pageCouranteHistoStatut = serializers.IntegerField()
    pagesHistoStatut = serializers.IntegerField()
    totalHistoStatut = serializers.IntegerField()


class HistoActionSerializer(serializers.Serializer):
    histoActionId = serializers.IntegerField()
    histoActionCode = serializers.CharField(
        help_text=_("L'action : DEPOT, SUSPEND, CERTIFY, MANDATE, COMPLETE, RECYCLE…")
    )
    histoActionDateHeure = history_datetime()
    histoActionUtilisateurNom = serializers.CharField()
    histoActionUtilisateurPrenom = serializers.CharField()
    histoActionUtilisateurEmail = serializers.CharField()
    histoActionUtilisateurTelephone = serializers.CharField()


class HistoriquesDesActionsSerializer(serializers.Serializer):
    histoAction = HistoActionSerializer(many=True)
    nbResultatsParPageHistoAction = serializers.IntegerField()
    pageCouranteHistoAction = serializers.IntegerField()
    pagesHistoAction = serializers.IntegerField()
    totalHistoAction = serializers.IntegerField()


class EvenementSerializer(serializers.Serializer):
    evenementId = serializers.IntegerField()
    evenementDateHeure = history_datetime()
    evenementLibelle = serializers.CharField()
    evenementQui = serializers.CharField()


class HistoriquesDesEvenementsSerializer(serializers.Serializer):
    evenement = EvenementSerializer(many=True)
    nbResultatsParPageEvenement = serializers.IntegerField()
    pageCouranteEvenement = serializers.IntegerField()
    pagesEvenement = serializers.IntegerField()
    totalEvenement = serializers.IntegerField()


class DerniereActionSerializer(serializers.Serializer):
    derniereActionId = serializers.IntegerField()
    derniereActionCode = serializers.CharField()


class ConsulterHistoriqueResponseSerializer(CproResponseSerializer):
    idFacture = serializers.IntegerField()
    numeroFacture = serializers.CharField()
    statutCourantCode = code_out(InvoiceStatus.values)
    modeDepot = code_out(DepositChannel.values, allow_null=True)
    derniereAction = DerniereActionSerializer(allow_null=True)
    historiquesDesStatuts = HistoriquesDesStatutsSerializer()
    historiquesDesActionsUtilisateurs = HistoriquesDesActionsSerializer()
    historiquesDesEvenementsComplementaires = HistoriquesDesEvenementsSerializer()


# --- traiterFactureRecue --------------------------------------------------------------------


class TraiterFactureRecueRequestSerializer(serializers.Serializer):
    idFacture = IdField(help_text=_("identifiantFactureCPP de la facture reçue."))
    nouveauStatut = choice(INVOICE_STATUSES)
    motif = optional_text(
        2000,
        help_text=_(
            "Code du catalogue des motifs (obligatoire pour SUSPENDUE, A_RECYCLER, REJETEE), ou "
            "texte libre, enregistré sous le motif AUTRE avec le texte en commentaire."
        ),
    )
    numeroDPMandat = optional_text(50, help_text=_("Numéro du mandat, obligatoire pour MANDATEE."))
    commentaire = optional_text(
        2000, help_text=_("Commentaire de l'agent, obligatoire pour les motifs qui le demandent.")
    )
    lignesConcernees = serializers.ListField(
        child=serializers.CharField(max_length=100),
        max_length=500,
        required=False,
        help_text=_("Les identifiants (BT-126) des lignes de la facture visées par le motif."),
    )
    montantConteste = serializers.DecimalField(
        max_digits=19,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        help_text=_("Le montant contesté, quand le motif en vise un (deux décimales au plus)."),
    )
    idUtilisateurCourant = IdField(required=False, allow_null=True)


class TraiterFactureRecueResponseSerializer(CproResponseSerializer):
    idFacture = serializers.IntegerField()
    numeroFacture = serializers.CharField()
    nouveauStatut = code_out(InvoiceStatus.values)
    dateTraitement = serializers.DateField()


# --- recupererEtatsPossiblesPourTraitement --------------------------------------------------


class EtatsTraitementRequestSerializer(serializers.Serializer):
    statutCourant = choice(INVOICE_STATUSES)


class StatutPossibleSerializer(serializers.Serializer):
    statutPossiblePourTraitement = code_out(InvoiceStatus.values)


class EtatsTraitementResponseSerializer(CproResponseSerializer):
    listeStatutsPossiblesPourTraitement = StatutPossibleSerializer(many=True)


# --- completerFacture -----------------------------------------------------------------------


class CompleterFactureRequestSerializer(serializers.Serializer):
    identifiantFactureCPP = IdField()
    commentaire = optional_text(
        2000, help_text=_("Ce que vous apportez en réponse à la suspension (obligatoire).")
    )
    pieceJointeComplementaire = PieceJointeComplementaireSerializer(
        many=True,
        required=False,
        allow_null=True,
        help_text=_("Pièces déposées par transverses/v1/ajouter/fichier."),
    )
    idUtilisateurCourant = IdField(required=False, allow_null=True)


class CompleterFactureResponseSerializer(CproResponseSerializer):
    identifiantFactureCPP = serializers.IntegerField()
    numeroFacture = serializers.CharField()
    statutFacture = code_out(InvoiceStatus.values)
    dateTraitement = serializers.DateField()


# --- recyclerFacture ------------------------------------------------------------------------


class RecyclerDestinataireSerializer(serializers.Serializer):
    codeDestinataire = optional_text(
        80, help_text=_("SIRET du nouveau destinataire ; vide : le destinataire reste le même.")
    )
    codeServiceExecutant = optional_text(
        100, help_text=_("Code du service destinataire ; vide : aucun service.")
    )


class RecyclerReferenceSerializer(serializers.Serializer):
    numeroBonCommande = optional_text(
        200, help_text=_("Numéro d'engagement juridique ; vide : aucun. Absent : inchangé.")
    )


class RecyclerFactureRequestSerializer(serializers.Serializer):
    identifiantFactureCPP = IdField()
    commentaire = optional_text(2000)
    destinataire = RecyclerDestinataireSerializer(
        required=False, allow_null=True, help_text=_("null : destinataire et service inchangés.")
    )
    reference = RecyclerReferenceSerializer(
        required=False, allow_null=True, help_text=_("null : engagement juridique inchangé.")
    )
    idUtilisateurCourant = IdField(required=False, allow_null=True)

    def to_internal_value(self, data):
        # Some clients write "references", as in soumettre.
        if isinstance(data, dict) and "reference" not in data and "references" in data:
            data = {**data, "reference": data["references"]}
        return super().to_internal_value(data)


class RecyclerFactureResponseSerializer(CproResponseSerializer):
    identifiantFactureCPP = serializers.IntegerField()
    numeroFacture = serializers.CharField()
    statutFacture = code_out(InvoiceStatus.values)
    dateDepot = serializers.DateField(help_text=_("Date du nouveau dépôt (le recyclage)."))


# --- traiterFacturesRejetees ----------------------------------------------------------------


class DemandePaiementSerializer(serializers.Serializer):
    idDemandePaiement = IdField(help_text=_("identifiantFactureCPP d'une facture rejetée."))


class TraiterRejetRequestSerializer(serializers.Serializer):
    listeDemandePaiement = DemandePaiementSerializer(many=True, allow_empty=False, max_length=500)
    motifRejet = optional_text(2000, help_text=_("Enregistré avec la prise d'acte."))
    cpltInfos = optional_text(2000, help_text=_("Enregistré avec la prise d'acte."))
    idUtilisateurCourant = IdField(required=False, allow_null=True)


class TraiterRejetResponseSerializer(CproResponseSerializer):
    pass


# --- telechargerGroupeFacture ---------------------------------------------------------------


class IdFactureSerializer(serializers.Serializer):
    idFacture = IdField(help_text=_("identifiantFactureCPP de la facture."))


class OuiNonField(serializers.BooleanField):
    """OUI / NON, as Chorus Pro writes them, or a JSON boolean."""

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip().upper() in ("OUI", "NON"):
            return data.strip().upper() == "OUI"
        return super().to_internal_value(data)


class TelechargerGroupeRequestSerializer(serializers.Serializer):
    listeFacture = serializers.ListField(
        child=IdFactureSerializer(), allow_empty=False, min_length=1, max_length=500
    )
    format = choice(
        DOWNLOAD_FORMATS,
        help_text=_(
            "PDF : le PDF Factur-X ; PIVOT : le XML CII ; ZIP : les deux. Plusieurs factures "
            "ou des pièces jointes : une archive ZIP."
        ),
    )
    avecPiecesJointesComplementaires = OuiNonField(required=False, default=False)
    idUtilisateurCourant = IdField(required=False, allow_null=True)
    idEspace = IdField(required=False, allow_null=True)


class TelechargerGroupeResponseSerializer(CproResponseSerializer):
    fichierResultat = serializers.CharField(help_text=_("Le fichier, encodé en base64."))


# --- consulterCR / consulterCRDetaille ------------------------------------------------------


class ConsulterCRRequestSerializer(serializers.Serializer):
    numeroFluxDepot = serializers.CharField(max_length=30)
    syntaxeFlux = SyntaxeFluxField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=_("Accepté pour compatibilité : le flux est trouvé par son numéro."),
    )
    dateDepot = date_field(required=False, allow_null=True)

    def validate(self, attrs):
        if attrs.get("syntaxeFlux"):
            check_syntax(attrs["syntaxeFlux"])
        return attrs


class ConsulterCRResponseSerializer(CproResponseSerializer):
    numeroFluxDepot = serializers.CharField()
    nomFichierFlux = serializers.CharField()
    etatCourantFlux = code_out(FlowStatus.values)
    dateDepotFlux = serializers.DateTimeField()
    dateHeureEtatCourantFlux = serializers.DateTimeField()
    fichierCR = serializers.CharField(
        help_text=_("Le compte rendu d'intégration en PDF, encodé en base64.")
    )


class ConsulterCRDetailleRequestSerializer(ConsulterCRRequestSerializer):
    pass


class ErreurDPSerializer(serializers.Serializer):
    numeroDP = serializers.CharField(
        help_text=_("Numéro de la facture refusée (son nom de fichier si elle est illisible).")
    )
    identifiantFournisseur = serializers.CharField()
    identifiantDestinataire = serializers.CharField()
    libelleErreurDP = serializers.CharField(
        help_text=_("Ce qui ne va pas, où, et comment le corriger.")
    )


class ErreurTechniqueSerializer(serializers.Serializer):
    codeErreur = serializers.CharField()
    libelleErreur = serializers.CharField()
    natureErreur = serializers.CharField()


class ConsulterCRDetailleResponseSerializer(CproResponseSerializer):
    numeroFluxDepot = serializers.CharField()
    syntaxeFlux = serializers.CharField(allow_null=True)
    etatCourantDepotFlux = code_out(FlowStatus.values)
    dateDepotFlux = serializers.DateTimeField()
    dateHeureEtatCourantFlux = serializers.DateTimeField()
    nomFichier = serializers.CharField()
    listeErreurDP = ErreurDPSerializer(many=True)
    listeErreurTechnique = ErreurTechniqueSerializer(many=True)


# --- ajouterFichierDansSysteme --------------------------------------------------------------


class AjouterFichierRequestSerializer(serializers.Serializer):
    pieceJointeFichier = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text=_("Le fichier encodé en base64.")
    )
    pieceJointeNom = serializers.CharField(
        help_text=_("Nom du fichier, %(max)s caractères au plus extension comprise.")
        % {"max": ATTACHMENT_NAME_MAX_LENGTH}
    )
    pieceJointeTypeMime = serializers.CharField(max_length=100)
    pieceJointeExtension = serializers.CharField(
        max_length=10,
        help_text=_("Extension admise : %(extensions)s.")
        % {"extensions": ", ".join(sorted(ALLOWED_ATTACHMENT_EXTENSIONS))},
    )
    idUtilisateurCourant = IdField(required=False, allow_null=True)

    def validate(self, attrs):
        extension = attrs["pieceJointeExtension"].strip().lstrip(".").lower()
        if extension not in ALLOWED_ATTACHMENT_EXTENSIONS:
            raise errors.CproError(
                errors.FILENAME_INVALID,
                field="pieceJointeExtension",
                name=extension,
                reason=_("utilisez une extension admise : %(extensions)s.")
                % {"extensions": ", ".join(sorted(ALLOWED_ATTACHMENT_EXTENSIONS))},
            )
        name = attrs["pieceJointeNom"].strip()
        if not name.lower().endswith(f".{extension}"):
            name = f"{name}.{extension}"
        if len(name) > ATTACHMENT_NAME_MAX_LENGTH:
            raise errors.CproError(
                errors.FILENAME_INVALID,
                field="pieceJointeNom",
                name=name,
                reason=_("extension comprise, il fait %(length)s caractères : %(max)s au plus.")
                % {"length": len(name), "max": ATTACHMENT_NAME_MAX_LENGTH},
            )
        attrs["nom"] = name
        attrs["contenu"] = decode_base64(
            attrs.pop("pieceJointeFichier"),
            field="pieceJointeFichier",
            limit=ATTACHMENT_MAX_BYTES,
            advice=_("compressez ou découpez la pièce jointe (10 Mo au plus)."),
        )
        if found := pdf_active_content(attrs["contenu"]):
            raise errors.CproError(
                errors.FILENAME_INVALID,
                field="pieceJointeFichier",
                name=name,
                reason=_(
                    "ce PDF contient du contenu actif (%(found)s) : JavaScript, actions de "
                    "lancement et fichiers exécutables y sont interdits. Enregistrez-le à "
                    "nouveau en PDF/A."
                )
                % {"found": ", ".join(found)},
            )
        return attrs


class AjouterFichierResponseSerializer(CproResponseSerializer):
    pieceJointeId = serializers.IntegerField(
        help_text=_("À donner dans pieceJointePrincipaleId ou pieceJointeComplementaireId.")
    )
