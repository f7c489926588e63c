from django.urls import path

from chorus import views

urlpatterns = [
    path("", views.directory_search, name="directory_search"),
    path("<int:pk>/", views.directory_structure, name="directory_structure"),
]
