"""Message codes and JSON errors of the API, in the Chorus Pro envelope.

Every answer carries `codeRetour` (0 on success) and `libelle`. A message code reads
`GCU_MSG_<GG>_<NNN>`: GG is a group, NNN a number in the group, and the numeric `codeRetour`
is GG × 1000 + NNN (GCU_MSG_02_003 -> 2003), so it is unique across the platform; a success
answers `codeRetour` 0.
An error's `libelle` is "<code> : <French sentence saying what is wrong and how to fix it>";
a success's `libelle` is the bare code GCU_MSG_01_000, as Chorus Pro answers and connectors
compare it. The groups are listed in `chorus/api/__init__.py`.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """One coded message: its code, its HTTP status and its French text (a format string)."""

    code: str
    status: int
    text: str | Promise

    @property
    def code_retour(self) -> int:
        if self.status < 400:
            return 0
        group, number = self.code.rsplit("_", 2)[-2:]
        return int(group) * 1000 + int(number)

    def libelle(self, **params: Any) -> str:
        return f"{self.code} : {str(self.text).format(**params)}"

    def body(self, **params: Any) -> dict:
        return {"codeRetour": self.code_retour, "libelle": self.libelle(**params)}


# 01: success.
SUCCESS = Message("GCU_MSG_01_000", status.HTTP_200_OK, _("Traitement effectué."))

# 02: authentication (401).
AUTHENTICATION_REQUIRED = Message(
    "GCU_MSG_02_000",
    401,
    _("Authentification requise : {detail}"),
)
TOKEN_MISSING = Message(
    "GCU_MSG_02_001",
    401,
    _(
        "Jeton d'accès absent : envoyez l'en-tête « Authorization: Bearer <jeton> » avec un "
        "jeton obtenu par POST /api/oauth/token (grant_type=client_credentials)."
    ),
)
TOKEN_INVALID = Message(
    "GCU_MSG_02_002",
    401,
    _(
        "Jeton d'accès invalide ou expiré : demandez un nouveau jeton par POST /api/oauth/token "
        "(un jeton vaut une heure)."
    ),
)
ACCOUNT_MISSING = Message(
    "GCU_MSG_02_003",
    401,
    _(
        "En-tête « cpro-account » absent : envoyez base64(identifiant:mot de passe) de votre "
        "compte technique dans l'en-tête cpro-account."
    ),
)
ACCOUNT_MALFORMED = Message(
    "GCU_MSG_02_004",
    401,
    _(
        "En-tête « cpro-account » mal formé : il doit contenir, encodé en base64, "
        "l'identifiant du compte technique, le caractère « : » puis son mot de passe."
    ),
)
ACCOUNT_REFUSED = Message(
    "GCU_MSG_02_005",
    401,
    _(
        "Identifiant ou mot de passe du compte technique incorrect : vérifiez le contenu de "
        "l'en-tête cpro-account auprès du gestionnaire de votre structure."
    ),
)

# 03: authorisation (403).
FORBIDDEN = Message("GCU_MSG_03_000", 403, _("Accès refusé : {detail}"))
FORBIDDEN_DETAIL = _(
    "cette opération ne vous est pas permise. Vérifiez le compte technique envoyé dans "
    "l'en-tête cpro-account."
)
ACCOUNT_INACTIVE = Message(
    "GCU_MSG_03_001",
    403,
    _(
        "Le compte technique « {login} » est désactivé : demandez au gestionnaire de votre "
        "structure de le réactiver ou d'en créer un autre."
    ),
)
STRUCTURE_INACTIVE = Message(
    "GCU_MSG_03_002",
    403,
    _(
        "La structure du compte technique « {login} » est inactive : elle ne peut plus utiliser "
        "l'API. Contactez le support de la plateforme."
    ),
)
TOKEN_SCOPE = Message(
    "GCU_MSG_03_003",
    403,
    _(
        "Le jeton d'accès n'a pas la portée « openid » : demandez un nouveau jeton avec "
        "scope=openid."
    ),
)

# 04: the request itself (400, 404, 405, 415...).
REQUEST_REFUSED = Message("GCU_MSG_04_000", 400, _("Requête refusée : {detail}"))
BAD_REQUEST_DETAIL = _(
    "la requête est mal formée ou son corps est trop volumineux : vérifiez l'adresse appelée, "
    "l'en-tête Host et la taille du corps."
)
JSON_MALFORMED = Message(
    "GCU_MSG_04_001",
    400,
    _(
        "Le corps de la requête n'est pas un JSON valide ({detail}) : corrigez sa syntaxe "
        "(guillemets doubles, virgules, accolades)."
    ),
)
INVALID_DATA = Message("GCU_MSG_04_002", 400, _("Requête invalide : {detail}"))
PATH_NOT_FOUND = Message(
    "GCU_MSG_04_003",
    404,
    _(
        "Aucun service n'existe à l'adresse {path} : vérifiez le chemin (par exemple "
        "/cpro/structures/v1/rechercher) dans la documentation /api/docs/."
    ),
)
METHOD_NOT_ALLOWED = Message(
    "GCU_MSG_04_004",
    405,
    _("La méthode {method} n'est pas acceptée à l'adresse {path} : utilisez {allowed}."),
)
MEDIA_TYPE_UNSUPPORTED = Message(
    "GCU_MSG_04_005",
    415,
    _(
        "Le type de contenu « {media_type} » n'est pas accepté : envoyez un corps JSON avec "
        "l'en-tête « Content-Type: application/json;charset=utf-8 »."
    ),
)

BODY_TOO_LARGE = Message(
    "GCU_MSG_04_006",
    413,
    _(
        "Le corps de la requête fait {size} octets, au-delà des {limit} octets admis pour "
        "cette opération : {advice}"
    ),
)

# 05: throttling (429).
THROTTLED = Message(
    "GCU_MSG_05_001",
    429,
    _(
        "Trop de requêtes pour ce client : réessayez dans {wait} secondes (en-tête "
        "Retry-After) et espacez vos appels."
    ),
)

LOCKED_OUT = Message(
    "GCU_MSG_05_002",
    429,
    _(
        "Trop d'échecs d'authentification pour ce compte ou depuis cette adresse : l'accès est "
        "bloqué, réessayez dans {minutes} minutes (en-tête Retry-After). Vérifiez l'identifiant "
        "et le mot de passe (ou le secret du client OAuth) avant de réessayer."
    ),
)

# 06: the structures directory.
STRUCTURE_NOT_FOUND = Message(
    "GCU_MSG_06_001",
    404,
    _(
        "Aucune structure d'identifiant {structure_id} ne vous est accessible : vérifiez "
        "idStructure avec structures/v1/rechercher (champ idStructureCPP)."
    ),
)
SERVICE_NOT_FOUND = Message(
    "GCU_MSG_06_002",
    404,
    _(
        "La structure {structure_id} n'a pas de service d'identifiant {service_id} : vérifiez "
        "idService avec structures/v1/rechercher/services."
    ),
)

# 09: the platform (500).
INTERNAL_ERROR = Message(
    "GCU_MSG_09_001",
    500,
    _(
        "Erreur interne de la plateforme : la requête n'a pas été traitée. Réessayez plus tard ; "
        "si l'erreur persiste, contactez le support en donnant la date et l'heure de l'appel."
    ),
)


class CproError(exceptions.APIException):
    """An error answered with a coded message. Raise it from any API view or service call."""

    def __init__(self, message: Message, **params: Any):
        self.message = message
        self.params = params
        self.status_code = message.status
        super().__init__(detail=message.libelle(**params), code=message.code)

    def body(self) -> dict:
        return self.message.body(**self.params)


class CproAuthenticationFailed(CproError, exceptions.AuthenticationFailed):
    """A 401 error: DRF adds the WWW-Authenticate challenge of the view's authentication."""


class CproLockedOut(CproError):
    """Too many failed credentials (429): `wait` seconds become the Retry-After header."""

    def __init__(self, *, wait: int):
        super().__init__(LOCKED_OUT, minutes=-(-wait // 60))
        self.wait = wait


_HINTS = {
    "required": _("Ajoutez ce champ à la requête."),
    "null": _("Donnez-lui une valeur."),
    "blank": _("Donnez-lui une valeur non vide."),
}
_DEFAULT_HINT = _("Corrigez sa valeur.")


def _flatten(detail, path: str = ""):
    """(path, ErrorDetail) pairs of a DRF validation error, paths like `structure.identifiant`."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == "non_field_errors":
                child = path
            elif isinstance(key, int):
                child = f"{path}[{key}]"
            else:
                child = f"{path}.{key}" if path else str(key)
            yield from _flatten(value, child)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                yield from _flatten(item, f"{path}[{index}]")
            else:
                yield path, item
    else:
        yield path, detail


def validation_errors(detail) -> list[dict]:
    """The field errors as `[{champ, message}]`, each message saying where, what and how to fix."""
    errors = []
    for path, error in _flatten(detail):
        if path:
            where = f"« {path} »"
            hint = _HINTS.get(getattr(error, "code", ""), _DEFAULT_HINT)
        else:
            where, hint = _("Le corps de la requête"), _("Envoyez un objet JSON {…}.")
        errors.append({"champ": path, "message": f"{where} : {error} {hint}"})
    return errors


def _error_body(exc: Exception, request) -> dict:
    if isinstance(exc, CproError):
        return exc.body()
    if isinstance(exc, exceptions.ValidationError):
        errors = validation_errors(exc.detail)
        body = INVALID_DATA.body(detail=" ; ".join(error["message"] for error in errors))
        body["erreurs"] = errors
        return body
    if isinstance(exc, exceptions.ParseError):
        return JSON_MALFORMED.body(detail=exc.detail)
    if isinstance(exc, exceptions.NotFound):
        return PATH_NOT_FOUND.body(path=request.path)
    if isinstance(exc, exceptions.MethodNotAllowed):
        return METHOD_NOT_ALLOWED.body(
            method=request.method, path=request.path, allowed=_allowed_methods(request)
        )
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return MEDIA_TYPE_UNSUPPORTED.body(media_type=request.content_type or "")
    if isinstance(exc, exceptions.Throttled):
        return THROTTLED.body(wait=exc.wait)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return AUTHENTICATION_REQUIRED.body(detail=exc.detail)
    if isinstance(exc, exceptions.PermissionDenied):
        return FORBIDDEN.body(detail=exc.detail)
    return REQUEST_REFUSED.body(detail=exc.detail)


def _allowed_methods(request) -> str:
    view = getattr(request, "parser_context", {}).get("view")
    methods = [m for m in getattr(view, "allowed_methods", []) if m not in {"OPTIONS", "HEAD"}]
    return ", ".join(methods) or "POST"


def exception_handler(exc: Exception, context: dict) -> Response:
    """DRF's exception handler for the whole project: every error becomes a JSON envelope.

    Unexpected exceptions are logged with their traceback and answered as a 500 in the same
    envelope, so a client never receives an HTML page.
    """
    request = context["request"]
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    headers = {}
    if isinstance(exc, exceptions.APIException):
        status_code = exc.status_code
        body = _error_body(exc, request)
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
    else:
        logger.exception("Unexpected error on %s %s", request.method, request.path)
        status_code = INTERNAL_ERROR.status
        body = INTERNAL_ERROR.body()

    set_rollback()
    # Errors are JSON whatever renderer the view negotiated (the schema view renders YAML).
    request.accepted_renderer = JSONRenderer()
    request.accepted_media_type = JSONRenderer.media_type
    return Response(body, status=status_code, headers=headers)


def json_error(message: Message, **params: Any) -> JsonResponse:
    """The same envelope for plain Django views (the OAuth token view, unknown paths)."""
    return JsonResponse(
        message.body(**params), status=message.status, json_dumps_params={"ensure_ascii": False}
    )


@csrf_exempt
def path_not_found(request, *args, **kwargs) -> JsonResponse:
    """Any unknown path under /api/ or /cpro/ answers a JSON 404, never Django's HTML page,
    whatever the method: connectors send no CSRF token, so a POST must not meet a 403."""
    return json_error(PATH_NOT_FOUND, path=request.path)
