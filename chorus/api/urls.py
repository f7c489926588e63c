"""Every route of the API: the OAuth token, the docs, and the Chorus Pro paths under /cpro/.

Apps add their operations here (e.g. `path("cpro/factures/v1/", include("invoices.api.urls"))`),
above the last route, which answers any other /api/ or /cpro/ path with a JSON 404.
"""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from chorus.api import errors, views

urlpatterns = [
    path("api/oauth/token", views.TokenView.as_view(), name="api_token"),
    re_path(r"^api/schema/?$", SpectacularAPIView.as_view(), name="api_schema"),
    # Swagger UI's page carries a small <style> block; its script is a separate file.
    re_path(
        r"^api/docs/?$",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api_schema")
        ),
        name="api_docs",
    ),
    path(
        "cpro/transverses/v1/health-check",
        views.HealthCheckView.as_view(),
        name="cpro_health_check",
    ),
    path(
        "cpro/structures/v1/rechercher",
        views.RechercherStructureView.as_view(),
        name="cpro_rechercher_structure",
    ),
    path(
        "cpro/structures/v1/consulter",
        views.ConsulterStructureView.as_view(),
        name="cpro_consulter_structure",
    ),
    path(
        "cpro/structures/v1/rechercher/services",
        views.RechercherServicesView.as_view(),
        name="cpro_rechercher_services",
    ),
    path(
        "cpro/structures/v1/consulter/service",
        views.ConsulterServiceView.as_view(),
        name="cpro_consulter_service",
    ),
    path("", include("invoices.api.urls")),
    path("", include("rejections.api.urls")),
    path("", include("justice_fees.api.urls")),
    path("", include("energy_refunds.api.urls")),
    re_path(r"^(?:api|cpro)/", errors.path_not_found),
]
