"""Routes of the agents' pages (mounted at /reception/, namespace "reception")."""

from django.urls import path

from invoices.channels.backoffice import views

app_name = "reception"

urlpatterns = [
    path("factures/", views.InvoiceListView.as_view(), name="invoice_list"),
    path("factures/vue/", views.InboxViewSaveView.as_view(), name="inbox_view_save"),
    path("factures/<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice_detail"),
    path(
        "factures/<int:pk>/statut/<str:target>/",
        views.InvoiceProcessView.as_view(),
        name="invoice_process",
    ),
    path(
        "factures/<int:pk>/motif/",
        views.InvoiceDisputeView.as_view(),
        name="invoice_dispute",
    ),
    path(
        "factures/<int:pk>/facture.pdf",
        views.InvoiceDocumentView.as_view(),
        name="invoice_document",
    ),
    path("factures/<int:pk>/fichier/", views.InvoiceFileView.as_view(), name="invoice_file"),
    path(
        "factures/<int:pk>/pieces/<int:index>/",
        views.EmbeddedAttachmentView.as_view(),
        name="embedded_attachment",
    ),
    path(
        "pieces-jointes/<int:pk>/",
        views.AddedAttachmentView.as_view(),
        name="added_attachment",
    ),
]
