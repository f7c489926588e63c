"""Route of the motive catalogue operation (included from chorus/api/urls.py)."""

from django.urls import path

from rejections.api import views

urlpatterns = [
    path(
        "cpro/transverses/v1/recuperer/motifs",
        views.MotifsView.as_view(),
        name="cpro_recuperer_motifs",
    ),
]
