from django.urls import path

from suppliers import views

app_name = "suppliers"

urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("rattachement/", views.attach, name="attach"),
    path("rattachement/demandes/", views.join_pending, name="join_pending"),
    path("tableau-de-bord/", views.DashboardView.as_view(), name="dashboard"),
    path("structure/", views.StructureView.as_view(), name="structure"),
    path("structure/modifier/", views.StructureEditView.as_view(), name="structure_edit"),
    path("structure/membres/", views.MembersView.as_view(), name="members"),
    path("structure/membres/<int:pk>/", views.MemberView.as_view(), name="member"),
    path(
        "structure/membres/<int:pk>/retirer/",
        views.MemberRemoveView.as_view(),
        name="member_remove",
    ),
    path("structure/demandes/", views.JoinRequestsView.as_view(), name="join_requests"),
    path(
        "structure/demandes/<int:pk>/",
        views.JoinRequestDetailView.as_view(),
        name="join_request_detail",
    ),
    path("structure/comptes-bancaires/", views.BankAccountsView.as_view(), name="bank_accounts"),
    path(
        "structure/comptes-bancaires/ajouter/",
        views.BankAccountAddView.as_view(),
        name="bank_account_add",
    ),
    path(
        "structure/comptes-bancaires/<int:pk>/activation/",
        views.BankAccountActivationView.as_view(),
        name="bank_account_activation",
    ),
]
