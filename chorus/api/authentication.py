"""Who is calling the /cpro/ API: an OAuth client (Bearer token) acting with a technical account.

Like Chorus Pro on PISTE, every call carries two credentials:
- `Authorization: Bearer <token>`: an access token issued by /api/oauth/token to an OAuth
  application (django-oauth-toolkit), which identifies the calling software;
- `cpro-account: base64(login:password)`: a `TechnicalAccount`, which says for which structure
  the software acts. That structure is the caller's data scope.
"""

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.models import AbstractApplication, AccessToken
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request as OAuthRequest
from rest_framework.authentication import BaseAuthentication

from chorus import lockout
from chorus.api import errors
from chorus.models import Structure, TechnicalAccount

ACCOUNT_HEADER = "cpro-account"
REQUIRED_SCOPES = ["openid"]
# A verified cpro-account is remembered this long, so that each call does not pay a full
# password hash; a password change or a deactivation takes effect at once all the same.
VERIFIED_ACCOUNT_TTL = 300


@dataclass(frozen=True)
class ApiCaller:
    """`request.user` on the /cpro/ API; `request.auth` is the DOT access token."""

    technical_account: TechnicalAccount
    application: AbstractApplication
    is_authenticated: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False

    @property
    def structure(self) -> Structure:
        return self.technical_account.structure

    def __str__(self) -> str:
        return self.technical_account.login


class CproAuthentication(BaseAuthentication):
    """Requires both a valid Bearer access token and a valid `cpro-account` header."""

    def authenticate(self, request):
        access_token = self._access_token(request)
        account = self._technical_account(request)
        return ApiCaller(technical_account=account, application=access_token.application), (
            access_token
        )

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="cpro"'

    def _access_token(self, request) -> AccessToken:
        scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise errors.CproAuthenticationFailed(errors.TOKEN_MISSING)
        # DOT's validator checks the token alone: going through its request verification would
        # read the body as a form before DRF parses it as JSON.
        oauth_request = OAuthRequest(request.build_absolute_uri())
        validator = oauth2_settings.OAUTH2_VALIDATOR_CLASS()
        if validator.validate_bearer_token(token.strip(), REQUIRED_SCOPES, oauth_request):
            return oauth_request.access_token
        oauth_error = getattr(oauth_request, "oauth2_error", {})
        if oauth_error.get("error") == "insufficient_scope":
            raise errors.CproError(errors.TOKEN_SCOPE)
        raise errors.CproAuthenticationFailed(errors.TOKEN_INVALID)

    def _technical_account(self, request) -> TechnicalAccount:
        header = request.headers.get(ACCOUNT_HEADER, "").strip()
        if not header:
            raise errors.CproAuthenticationFailed(errors.ACCOUNT_MISSING)
        try:
            decoded = base64.b64decode(header, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise errors.CproAuthenticationFailed(errors.ACCOUNT_MALFORMED) from None
        login, separator, password = decoded.partition(":")
        if not separator or not login or not password:
            raise errors.CproAuthenticationFailed(errors.ACCOUNT_MALFORMED)

        # Brute force: a locked login or address is refused before any password check.
        django_request = request._request
        if lockout.is_locked(django_request, login):
            wait = lockout.retry_after(django_request, login)
            raise errors.CproLockedOut(wait=wait)
        account = TechnicalAccount.objects.select_related("structure").filter(login=login).first()
        if account is None:
            # Hash anyway: an unknown login must take as long as a wrong password.
            make_password(password)
        if account is None or not _password_matches(account, header, password):
            lockout.failure_record(django_request, login, sender=CproAuthentication)
            raise errors.CproAuthenticationFailed(errors.ACCOUNT_REFUSED)
        if not account.active:
            raise errors.CproError(errors.ACCOUNT_INACTIVE, login=account.login)
        if not account.structure.active:
            raise errors.CproError(errors.STRUCTURE_INACTIVE, login=account.login)
        return account


def _password_matches(account: TechnicalAccount, header: str, password: str) -> bool:
    """check_password, remembered in the shared cache under a keyed digest of the header.

    The cached value is the account's password hash at verification time: once the password
    changes, the entry no longer matches and the new password is checked in full.
    """
    digest = hmac.new(settings.SECRET_KEY.encode(), header.encode(), hashlib.sha256).hexdigest()
    key = f"cpro-account:{account.pk}:{digest}"
    if cache.get(key) == account.password_hash:
        return True
    if not account.check_password(password):
        return False
    cache.set(key, account.password_hash, VERIFIED_ACCOUNT_TTL)
    return True


class CproAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the two credentials, both required, in the OpenAPI schema."""

    target_class = CproAuthentication
    name = ["pisteOAuth2", "cproAccount"]

    def get_security_requirement(self, auto_schema):
        return {"pisteOAuth2": REQUIRED_SCOPES, "cproAccount": []}

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "oauth2",
                "description": "Jeton obtenu par POST /api/oauth/token (client_credentials).",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "/api/oauth/token",
                        "scopes": settings.OAUTH2_PROVIDER["SCOPES"],
                    }
                },
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": ACCOUNT_HEADER,
                "description": (
                    "base64(identifiant:mot de passe) du compte technique de votre structure."
                ),
            },
        ]
