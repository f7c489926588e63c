"""The refund pages, both sides; included once from chorus/urls.py."""

from django.urls import path

from energy_refunds import views

app_name = "energy_refunds"

FARM = "remboursements-tic/"
DDFIP = "reception/remboursements-tic/"

urlpatterns = [
    path(FARM, views.RequestListView.as_view(), name="request_list"),
    path(f"{FARM}profil/", views.ProfileView.as_view(), name="profile"),
    path(f"{FARM}nouvelle/", views.RequestCreateView.as_view(), name="request_create"),
    path(f"{FARM}<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path(f"{FARM}<int:pk>/options/", views.RequestOptionsView.as_view(), name="request_options"),
    path(f"{FARM}<int:pk>/factures/", views.FuelInvoiceAddView.as_view(), name="invoice_add"),
    path(
        f"{FARM}<int:pk>/factures/<int:invoice_pk>/retirer/",
        views.FuelInvoiceRemoveView.as_view(),
        name="invoice_remove",
    ),
    path(f"{FARM}<int:pk>/pieces/", views.AttachmentAddView.as_view(), name="attachment_add"),
    path(f"{FARM}<int:pk>/deposer/", views.DepositView.as_view(), name="request_deposit"),
    path(f"{FARM}<int:pk>/completer/", views.CompleteView.as_view(), name="request_complete"),
    path(f"{FARM}<int:pk>/apercu/", views.PreviewView.as_view(), name="request_preview"),
    path(f"{FARM}<int:pk>/decision.pdf", views.LetterView.as_view(), name="letter"),
    path(f"{FARM}factures/<int:pk>/pdf", views.InvoiceFileView.as_view(), name="invoice_file"),
    path(f"{FARM}pieces/<int:pk>/", views.AttachmentFileView.as_view(), name="attachment_file"),
    path(DDFIP, views.QueueView.as_view(), name="instruction_queue"),
    path(f"{DDFIP}statistiques/", views.StatisticsView.as_view(), name="statistics"),
    path(f"{DDFIP}export.csv", views.PaymentExportView.as_view(), name="payment_export"),
    path(f"{DDFIP}<int:pk>/", views.InstructionDetailView.as_view(), name="instruction_detail"),
    path(
        f"{DDFIP}<int:pk>/<slug:action>/",
        views.InstructionActionView.as_view(),
        name="instruction_action",
    ),
]
