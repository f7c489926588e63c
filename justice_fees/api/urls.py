"""Routes of the mémoire operations (no trailing slash, as Chorus Pro). Included from
chorus/api/urls.py above its catch-all route."""

from django.urls import path

from justice_fees.api import views

MEMOIRES = "cpro/memoires/v1/"

urlpatterns = [
    path(
        f"{MEMOIRES}soumettre", views.SoumettreMemoireView.as_view(), name="cpro_soumettre_memoire"
    ),
    path(
        f"{MEMOIRES}consulter", views.ConsulterMemoireView.as_view(), name="cpro_consulter_memoire"
    ),
    path(
        f"{MEMOIRES}rechercher",
        views.RechercherMemoiresView.as_view(),
        name="cpro_rechercher_memoires",
    ),
    path(f"{MEMOIRES}traiter", views.TraiterMemoireView.as_view(), name="cpro_traiter_memoire"),
]
