from django.urls import path

from suppliers import views

app_name = "suppliers"

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
]
