"""Rate limiting of the /cpro/ API, per calling software (OAuth application)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    """Counts the calls of each OAuth client_id in the shared cache (Redis in production).

    The rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["cpro-client"], from API_RATE_LIMIT.
    """

    scope = "cpro-client"

    def get_rate(self) -> str:
        # Read at each request, not at import time, so a settings change applies.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": request.auth.application.client_id,
        }
