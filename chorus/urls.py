from django.contrib import admin
from django.urls import include, path
from django.views import defaults
from django.views.i18n import set_language

from chorus import views
from chorus.api import errors

urlpatterns = [
    path("", views.home, name="home"),
    path("structure/choisir/", views.switch_structure, name="switch_structure"),
    path("annuaire/", include("chorus.directory_urls")),
    path("compte/", include("suppliers.account_urls")),
    path("fournisseurs/", include("suppliers.urls")),
    path("factures/", include("invoices.urls")),
    path("reception/", include("invoices.channels.backoffice.urls")),
    path("statistiques/", include("rejections.urls")),
    path("frais-de-justice/", include("justice_fees.urls")),
    path("", include("energy_refunds.urls")),
    path("langue/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("chorus.api.urls")),
]


def _is_api(request) -> bool:
    return request.path.startswith(("/api/", "/cpro/"))


def handler400(request, exception):
    """A request Django refused before any view (a body over DATA_UPLOAD_MAX_MEMORY_SIZE,
    a bad host): the API's envelope under the API, Django's page elsewhere."""
    if _is_api(request):
        return errors.json_error(errors.REQUEST_REFUSED, detail=errors.BAD_REQUEST_DETAIL)
    return defaults.bad_request(request, exception)


def handler403(request, exception):
    """API clients get the JSON envelope; the portal the DSFR page (templates/403.html)."""
    if _is_api(request):
        return errors.json_error(errors.FORBIDDEN, detail=errors.FORBIDDEN_DETAIL)
    return defaults.permission_denied(request, exception)


def handler404(request, exception):
    """API clients get the JSON envelope of the API base; the portal the DSFR page."""
    if _is_api(request):
        return errors.path_not_found(request)
    return defaults.page_not_found(request, exception)


def handler500(request):
    """An error outside DRF's handler (plain views, middleware): JSON too under the API.

    The portal's page (templates/500.html) is rendered without the request's context
    processors, which may be what failed (the database, a session).
    """
    if _is_api(request):
        return errors.json_error(errors.INTERNAL_ERROR)
    return defaults.server_error(request)
