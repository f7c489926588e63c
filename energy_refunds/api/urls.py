"""Routes of the energy refund operations; included from chorus/api/urls.py."""

from django.urls import path

from energy_refunds.api import views

TIC = "cpro/remboursementsTIC/v1/"

urlpatterns = [
    path(f"{TIC}soumettre", views.SoumettreView.as_view(), name="cpro_tic_soumettre"),
    path(f"{TIC}consulter", views.ConsulterView.as_view(), name="cpro_tic_consulter"),
    path(f"{TIC}rechercher", views.RechercherView.as_view(), name="cpro_tic_rechercher"),
    path(f"{TIC}traiter", views.TraiterView.as_view(), name="cpro_tic_traiter"),
]
