"""Routes of the mémoire pages (mounted at /frais-de-justice/, namespace "justice_fees"):
the provider's under memoires/, the court's under juridiction/."""

from django.urls import path

from justice_fees import views

app_name = "justice_fees"

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("memoires/", views.MemoireListView.as_view(), name="memoire_list"),
    path("memoires/nouveau/", views.MemoireStepView.as_view(), name="memoire_new"),
    path("memoires/<int:pk>/", views.MemoireDetailView.as_view(), name="memoire_detail"),
    path(
        "memoires/<int:pk>/etape/<int:step>/", views.MemoireStepView.as_view(), name="memoire_step"
    ),
    path("memoires/<int:pk>/supprimer/", views.MemoireDeleteView.as_view(), name="memoire_delete"),
    path("memoires/<int:pk>/memoire.pdf", views.MemoirePdfView.as_view(), name="memoire_pdf"),
    path(
        "memoires/<int:pk>/pieces/<int:attachment>/",
        views.MemoireAttachmentView.as_view(),
        name="memoire_attachment",
    ),
    path("juridiction/", views.CourtQueueView.as_view(), name="court_queue"),
    path("juridiction/roles/", views.CourtRolesView.as_view(), name="court_roles"),
    path("juridiction/<int:pk>/", views.CourtDetailView.as_view(), name="court_detail"),
    path(
        "juridiction/<int:pk>/statut/<str:target>/",
        views.CourtMoveView.as_view(),
        name="court_move",
    ),
    path("juridiction/<int:pk>/certifier/", views.CourtCertifyView.as_view(), name="court_certify"),
    path("juridiction/<int:pk>/memoire.pdf", views.CourtPdfView.as_view(), name="court_pdf"),
    path(
        "juridiction/<int:pk>/pieces/<int:attachment>/",
        views.CourtAttachmentView.as_view(),
        name="court_attachment",
    ),
]
