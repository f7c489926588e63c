"""Inputs and outputs of the structures and transverses operations, with Chorus Pro field names."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chorus.api import selectors
from chorus.api.envelope import (
    CproResponseSerializer,
    IdField,
    PaginatedRequestSerializer,
    PaginatedResponseSerializer,
    PaginationSerializer,
)
from chorus.enums import IdentifierType, ReceptionChannel
from chorus.models import Service, Structure


def _choice(choices: list[str], **kwargs) -> serializers.ChoiceField:
    """A choice field whose error lists the accepted values."""
    return serializers.ChoiceField(
        choices=choices,
        error_messages={
            "invalid_choice": _("« {input} » n'est pas une valeur admise : utilisez %(values)s.")
            % {"values": ", ".join(choices)}
        },
        **kwargs,
    )


def _status(active: bool) -> str:
    return selectors.STATUS_ACTIVE if active else selectors.STATUS_INACTIVE


def _required(value, field: str, message) -> None:
    if value is None:
        raise serializers.ValidationError(
            {field: [serializers.ErrorDetail(str(message), code="required")]}
        )


def _code_langue() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=5,
        help_text=_("Accepté pour compatibilité (FR, EN) ; la réponse n'a pas de texte traduit."),
    )


# --- rechercherStructure --------------------------------------------------------------------


class StructureCriteriaSerializer(serializers.Serializer):
    identifiantStructure = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=80,
        help_text=_("SIRET ou autre identifiant, exact."),
    )
    typeIdentifiantStructure = _choice(IdentifierType.values, required=False, allow_blank=True)
    raisonSocialeStructure = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=250,
        help_text=_("Partie de la raison sociale."),
    )
    libelleStructure = serializers.CharField(
        required=False, allow_blank=True, max_length=250, help_text=_("Partie du libellé.")
    )
    adresseCodePostal = serializers.CharField(required=False, allow_blank=True, max_length=10)
    adresseVille = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("Partie du nom de la ville.")
    )
    adresseCodePays = serializers.CharField(required=False, allow_blank=True, max_length=2)
    statutStructure = _choice(selectors.STATUSES, required=False, allow_blank=True)
    typeStructure = _choice(selectors.KINDS, required=False, allow_blank=True)


class RechercherStructureRequestSerializer(PaginatedRequestSerializer):
    sort_columns = {
        "idStructureCPP": "pk",
        "identifiantStructure": "identifier",
        "typeIdentifiantStructure": "identifier_type",
        "designationStructure": "legal_name",
    }
    default_sort = "legal_name"

    structure = StructureCriteriaSerializer(
        required=False, allow_null=True, help_text=_("Critères ; les critères vides sont ignorés.")
    )
    restreindreStructuresPrivees = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Vrai : seulement les structures privées (la vôtre)."),
    )


class StructureListItemSerializer(serializers.Serializer):
    idStructureCPP = serializers.IntegerField(source="pk")
    identifiantStructure = serializers.CharField(source="identifier")
    typeIdentifiantStructure = serializers.CharField(source="identifier_type")
    designationStructure = serializers.CharField(source="legal_name")
    statut = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=selectors.STATUSES))
    def get_statut(self, structure: Structure) -> str:
        return _status(structure.active)


class RechercherStructureResponseSerializer(PaginatedResponseSerializer):
    listeStructures = StructureListItemSerializer(many=True)


# --- consulterStructure ---------------------------------------------------------------------


class ConsulterStructureRequestSerializer(serializers.Serializer):
    idStructure = IdField(
        required=False, help_text=_("idStructureCPP renvoyé par structures/v1/rechercher.")
    )
    idStructureCPP = IdField(required=False, help_text=_("Autre nom accepté pour idStructure."))
    codeLangue = _code_langue()

    def validate(self, attrs):
        structure_id = attrs.get("idStructure", attrs.get("idStructureCPP"))
        _required(
            structure_id,
            "idStructure",
            _(
                "Ce champ est obligatoire : donnez l'idStructureCPP renvoyé par structures/v1/rechercher."
            ),
        )
        return {"structure_id": structure_id}


class InformationGeneralesSerializer(serializers.Serializer):
    idStructureCPP = serializers.IntegerField(source="pk")
    identifiantStructure = serializers.CharField(source="identifier")
    typeIdentifiantStructure = serializers.CharField(source="identifier_type")
    raisonSocialeStructure = serializers.CharField(source="legal_name")
    libelleStructure = serializers.CharField(source="legal_name")
    emailStructure = serializers.CharField(source="email")
    numeroTVA = serializers.CharField(source="vat_number")
    structurePriveePublique = serializers.SerializerMethodField()
    statut = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=selectors.KINDS))
    def get_structurePriveePublique(self, structure: Structure) -> str:
        return selectors.KIND_PUBLIC if structure.is_public else selectors.KIND_PRIVATE

    @extend_schema_field(serializers.ChoiceField(choices=selectors.STATUSES))
    def get_statut(self, structure: Structure) -> str:
        return _status(structure.active)


class AdressePostaleSerializer(serializers.Serializer):
    adresse = serializers.CharField(source="address_line")
    codePostal = serializers.CharField(source="postcode")
    ville = serializers.CharField(source="city")
    pays = serializers.CharField(source="country_code")


class ParametresStructureSerializer(serializers.Serializer):
    codeServiceDoitEtreRenseigne = serializers.BooleanField(source="service_code_required")
    numeroEJDoitEtreRenseigne = serializers.BooleanField(source="ej_required")
    gestionNumeroEJOuCodeService = serializers.BooleanField(source="ej_or_service_code_required")
    statutMiseEnPaiementNestPasRemonte = serializers.BooleanField(
        source="payment_status_not_reported"
    )
    connexionEDI = serializers.SerializerMethodField()
    recevoirDonneesViaEDI = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_connexionEDI(self, structure: Structure) -> bool:
        return structure.reception_channel == ReceptionChannel.EDI

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_recevoirDonneesViaEDI(self, structure: Structure) -> bool:
        return structure.reception_channel == ReceptionChannel.EDI


class ConsulterStructureResponseSerializer(CproResponseSerializer):
    informationGenerales = InformationGeneralesSerializer()
    adressePostaleDuSiege = AdressePostaleSerializer()
    parametres = ParametresStructureSerializer()


# --- rechercherServicesStructure ------------------------------------------------------------


class RechercherServicesRequestSerializer(PaginatedRequestSerializer):
    sort_columns = {"idService": "pk", "codeService": "code", "libelleService": "name"}
    default_sort = "code"

    idStructure = IdField(help_text=_("idStructureCPP renvoyé par structures/v1/rechercher."))
    parametresRechercherServicesStructure = PaginationSerializer(
        required=False, allow_null=True, help_text=_("Autre nom accepté pour « parametres ».")
    )


def _service_active_today(service: Service) -> bool:
    today = timezone.localdate()
    return (
        service.active
        and (service.valid_from is None or service.valid_from <= today)
        and (service.valid_until is None or service.valid_until >= today)
    )


class ServiceListItemSerializer(serializers.Serializer):
    idService = serializers.IntegerField(source="pk")
    codeService = serializers.CharField(source="code")
    libelleService = serializers.CharField(source="name")
    estActif = serializers.SerializerMethodField()
    dateDbtService = serializers.DateField(source="valid_from")
    dateFinService = serializers.DateField(source="valid_until")
    statutService = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_estActif(self, service: Service) -> bool:
        return _service_active_today(service)

    @extend_schema_field(serializers.ChoiceField(choices=selectors.STATUSES))
    def get_statutService(self, service: Service) -> str:
        return _status(_service_active_today(service))


class RechercherServicesResponseSerializer(PaginatedResponseSerializer):
    listeServices = ServiceListItemSerializer(many=True)


# --- consulterService -----------------------------------------------------------------------


class ConsulterServiceRequestSerializer(serializers.Serializer):
    idStructure = IdField(help_text=_("idStructureCPP renvoyé par structures/v1/rechercher."))
    idService = IdField(help_text=_("idService renvoyé par structures/v1/rechercher/services."))
    codeLangue = _code_langue()


class InformationsGeneralesServiceSerializer(serializers.Serializer):
    codeService = serializers.CharField(source="code")
    nomService = serializers.CharField(source="name")


class ParametresServiceSerializer(serializers.Serializer):
    numeroEngagement = serializers.BooleanField(
        source="ej_required",
        help_text=_("Vrai : le numéro d'engagement juridique est obligatoire."),
    )
    miseEnPaiement = serializers.BooleanField(
        source="payment_status_managed",
        help_text=_("Vrai : le statut de mise en paiement est géré."),
    )
    dateDebutValidite = serializers.DateField(source="valid_from")
    dateFinValidite = serializers.DateField(source="valid_until")


class ConsulterServiceResponseSerializer(CproResponseSerializer):
    informationsGenerales = InformationsGeneralesServiceSerializer()
    parametres = ParametresServiceSerializer()
    adressePostale = AdressePostaleSerializer(help_text=_("Adresse de la structure du service."))
