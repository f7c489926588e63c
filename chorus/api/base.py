"""The base of every /cpro/ operation: authentication, throttling, JSON only, documented errors."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from chorus.api import errors
from chorus.api.authentication import ApiCaller, CproAuthentication
from chorus.api.envelope import ErrorSerializer
from chorus.api.parsers import CproJSONParser
from chorus.api.throttling import ClientRateThrottle


class JSONOnlyNegotiation(DefaultContentNegotiation):
    """Always answers JSON, whatever the Accept header (connectors send various ones)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class CproView(APIView):
    """One Chorus Pro operation. `self.caller` is the authenticated `ApiCaller`."""

    authentication_classes = [CproAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [ClientRateThrottle]
    parser_classes = [CproJSONParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnlyNegotiation

    def max_body_bytes(self) -> int:
        """The largest JSON body the operation reads (the file operations allow more)."""
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def body_too_large(self, *, size: int, limit: int) -> errors.CproError:
        return errors.CproError(
            errors.BODY_TOO_LARGE,
            size=size,
            limit=limit,
            advice=_(
                "allégez la requête (moins de critères, de lignes ou d'éléments dans les "
                "listes) ; une liste de résultats se demande page par page."
            ),
        )

    @property
    def caller(self) -> ApiCaller:
        return self.request.user

    def validated(self, serializer_class) -> dict:
        """The request body checked by the operation's input serializer (400 when invalid)."""
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Requête invalide (GCU_MSG_04_xxx)."),
    413: OpenApiResponse(
        ErrorSerializer, description="Corps de la requête trop volumineux (GCU_MSG_04_006)."
    ),
    401: OpenApiResponse(
        ErrorSerializer, description="Jeton ou compte technique absent ou refusé (GCU_MSG_02_xxx)."
    ),
    403: OpenApiResponse(
        ErrorSerializer, description="Compte technique ou structure inactif (GCU_MSG_03_xxx)."
    ),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Trop de requêtes : voir l'en-tête Retry-After (GCU_MSG_05_001).",
    ),
    500: OpenApiResponse(ErrorSerializer, description="Erreur interne (GCU_MSG_09_001)."),
}


def cpro_operation(
    *,
    operation_id: str,
    summary: str,
    tag: str,
    response,
    request=None,
    description: str = "",
    not_found: str = "",
):
    """The OpenAPI description of an operation: Chorus Pro name, input, output and errors."""
    responses = {200: response, **_ERRORS}
    if not_found:
        responses[404] = OpenApiResponse(ErrorSerializer, description=not_found)
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description,
        tags=[tag],
        request=request,
        responses=responses,
    )
