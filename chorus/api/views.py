"""The OAuth token endpoint and the core operations: health check, structures directory."""

import base64
import binascii
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import views as oauth2_views

from chorus import lockout
from chorus.api import errors, selectors
from chorus.api.base import CproView, cpro_operation
from chorus.api.envelope import CproResponseSerializer, cpro_success, paginate
from chorus.api.serializers import (
    ConsulterServiceRequestSerializer,
    ConsulterServiceResponseSerializer,
    ConsulterStructureRequestSerializer,
    ConsulterStructureResponseSerializer,
    RechercherServicesRequestSerializer,
    RechercherServicesResponseSerializer,
    RechercherStructureRequestSerializer,
    RechercherStructureResponseSerializer,
)
from chorus.models import Structure

logger = logging.getLogger(__name__)


# Overriding dispatch drops the csrf_exempt of the parent's: connectors send no CSRF token.
@method_decorator(csrf_exempt, name="dispatch")
class TokenView(oauth2_views.TokenView):
    """POST /api/oauth/token: django-oauth-toolkit's token endpoint, with JSON errors only.

    Form-encoded grant_type=client_credentials, client_id, client_secret, scope=openid ->
    {access_token, token_type: "Bearer", expires_in: 3600, scope: "openid"}; OAuth errors are
    DOT's JSON ({"error": "invalid_client", ...}).
    """

    def dispatch(self, request, *args, **kwargs):
        try:
            return self._token(request, *args, **kwargs)
        except RequestDataTooBig:
            return errors.json_error(
                errors.BODY_TOO_LARGE,
                size=request.META.get("CONTENT_LENGTH", "?"),
                limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
                advice=_("une demande de jeton ne porte que quelques champs courts."),
            )
        except Exception:
            logger.exception("Unexpected error on the OAuth token endpoint")
            return errors.json_error(errors.INTERNAL_ERROR)

    def _token(self, request, *args, **kwargs):
        """DOT's answer, with wrong client secrets counted per client_id and per address."""
        client_id = _client_id(request)
        if request.method == "POST" and lockout.is_locked(request, client_id):
            return lockout.lockout_response(request, credentials={"username": client_id})
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 401:
            lockout.failure_record(request, client_id, sender=TokenView)
        return response

    def http_method_not_allowed(self, request, *args, **kwargs):
        return errors.json_error(
            errors.METHOD_NOT_ALLOWED, method=request.method, path=request.path, allowed="POST"
        )


def _client_id(request) -> str:
    """The client_id of a token request, from the form or from HTTP Basic authentication."""
    if client_id := request.POST.get("client_id"):
        return client_id
    scheme, _, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(credentials).decode().partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            return ""
    return ""


class HealthCheckView(CproView):
    @cpro_operation(
        operation_id="healthCheck",
        summary="Vérifier la disponibilité de l'API",
        tag="Transverses",
        response=CproResponseSerializer,
        description="Répond codeRetour 0 si la plateforme et vos identifiants sont opérationnels.",
    )
    def get(self, request):
        return cpro_success(CproResponseSerializer)


class RechercherStructureView(CproView):
    @cpro_operation(
        operation_id="rechercherStructure",
        summary="Rechercher des structures",
        tag="Structures",
        request=RechercherStructureRequestSerializer,
        response=RechercherStructureResponseSerializer,
        description=(
            "Recherche dans l'annuaire des structures publiques et dans votre propre structure. "
            "Colonnes de tri (triColonne) : "
            + ", ".join(RechercherStructureRequestSerializer.sort_columns)
            + "."
        ),
    )
    def post(self, request):
        data = self.validated(RechercherStructureRequestSerializer)
        structures = selectors.structure_search(
            account=self.caller.technical_account,
            criteria=data.get("structure") or {},
            private_only=data["restreindreStructuresPrivees"],
        )
        items, page = paginate(structures, data["page"])
        return cpro_success(
            RechercherStructureResponseSerializer,
            listeStructures=items,
            parametresRetour=page,
        )


def _visible_structure(view: CproView, structure_id: int) -> Structure:
    structure = selectors.structure_visible(
        account=view.caller.technical_account, structure_id=structure_id
    )
    if structure is None:
        raise errors.CproError(errors.STRUCTURE_NOT_FOUND, structure_id=structure_id)
    return structure


class ConsulterStructureView(CproView):
    @cpro_operation(
        operation_id="consulterStructure",
        summary="Consulter une structure",
        tag="Structures",
        request=ConsulterStructureRequestSerializer,
        response=ConsulterStructureResponseSerializer,
        description=(
            "Informations générales, adresse et paramètres de facturation d'une structure "
            "publique ou de votre structure (parametres dit ce qu'une facture doit porter)."
        ),
        not_found="Structure inconnue ou privée d'une autre entité (GCU_MSG_06_001).",
    )
    def post(self, request):
        data = self.validated(ConsulterStructureRequestSerializer)
        structure = _visible_structure(self, data["structure_id"])
        return cpro_success(
            ConsulterStructureResponseSerializer,
            informationGenerales=structure,
            adressePostaleDuSiege=structure,
            parametres=structure,
        )


class RechercherServicesView(CproView):
    @cpro_operation(
        operation_id="rechercherServicesStructure",
        summary="Rechercher les services d'une structure",
        tag="Structures",
        request=RechercherServicesRequestSerializer,
        response=RechercherServicesResponseSerializer,
        description=(
            "Services d'une structure publique ou de votre structure, actifs ou non. "
            "Colonnes de tri (triColonne) : "
            + ", ".join(RechercherServicesRequestSerializer.sort_columns)
            + "."
        ),
        not_found="Structure inconnue ou privée d'une autre entité (GCU_MSG_06_001).",
    )
    def post(self, request):
        data = self.validated(RechercherServicesRequestSerializer)
        structure = _visible_structure(self, data["idStructure"])
        items, page = paginate(selectors.services_of(structure), data["page"])
        return cpro_success(
            RechercherServicesResponseSerializer, listeServices=items, parametresRetour=page
        )


class ConsulterServiceView(CproView):
    @cpro_operation(
        operation_id="consulterServiceStructure",
        summary="Consulter un service d'une structure",
        tag="Structures",
        request=ConsulterServiceRequestSerializer,
        response=ConsulterServiceResponseSerializer,
        not_found="Structure ou service inconnu (GCU_MSG_06_001, GCU_MSG_06_002).",
    )
    def post(self, request):
        data = self.validated(ConsulterServiceRequestSerializer)
        structure = _visible_structure(self, data["idStructure"])
        service = selectors.services_of(structure).filter(pk=data["idService"]).first()
        if service is None:
            raise errors.CproError(
                errors.SERVICE_NOT_FOUND,
                structure_id=structure.pk,
                service_id=data["idService"],
            )
        return cpro_success(
            ConsulterServiceResponseSerializer,
            informationsGenerales=service,
            parametres=service,
            adressePostale=structure,
        )
