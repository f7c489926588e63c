"""Rejection dashboards, mounted at /statistiques/."""

from django.urls import path

from rejections import views

app_name = "rejections"

urlpatterns = [
    path("", views.StructureStatisticsView.as_view(), name="statistics"),
    path("plateforme/", views.PlatformStatisticsView.as_view(), name="platform_statistics"),
]
