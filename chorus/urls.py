from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from chorus import views

urlpatterns = [
    path("", views.home, name="home"),
    path("structure/choisir/", views.switch_structure, name="switch_structure"),
    path("annuaire/", include("chorus.directory_urls")),
    path("compte/", include("suppliers.account_urls")),
    path("fournisseurs/", include("suppliers.urls")),
    path("langue/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("chorus.api.urls")),
]
