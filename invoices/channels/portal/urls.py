"""Routes of the supplier portal, mounted by invoices/urls.py (namespace "invoices")."""

from django.urls import path

from invoices.channels.portal import views

urlpatterns = [
    path("", views.InvoiceListView.as_view(), name="invoice_list"),
    path("<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice_detail"),
    *(
        path(f"<int:pk>/{slug}/", views.InvoiceActionView.as_view(), {"action": action}, name=name)
        for slug, action, name in (
            ("completer", "complete", "invoice_complete"),
            ("recycler", "recycle", "invoice_recycle"),
            ("traiter-rejet", "acknowledge", "invoice_acknowledge"),
        )
    ),
    path("retours/", views.ReturnsView.as_view(), name="returns"),
    path("<int:pk>/fichier/", views.InvoiceFileView.as_view(), name="invoice_file"),
    path("saisie/", views.InvoiceFormView.as_view(), name="invoice_new"),
    path("saisie/deposee/<int:pk>/", views.KeyedInvoiceView.as_view(), name="keyed_invoice"),
    path("saisie/totaux/", views.TotalsView.as_view(), name="totals"),
    path("destinataires/", views.RecipientSearchView.as_view(), name="recipient_search"),
    path(
        "destinataires/references/",
        views.RecipientFieldsView.as_view(),
        name="recipient_fields",
    ),
    path("brouillons/", views.DraftListView.as_view(), name="draft_list"),
    path("brouillons/<int:pk>/", views.InvoiceFormView.as_view(), name="draft_edit"),
    path("brouillons/<int:pk>/supprimer/", views.DraftDeleteView.as_view(), name="draft_delete"),
    path(
        "pieces-jointes/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path("depot/", views.UploadView.as_view(), name="upload"),
    path("verifier/", views.CheckView.as_view(), name="check"),
    path("flux/", views.FlowListView.as_view(), name="flow_list"),
    path("flux/<int:pk>/", views.FlowDetailView.as_view(), name="flow_detail"),
    path("flux/<int:pk>/etat/", views.FlowStatusView.as_view(), name="flow_status"),
    path("flux/<int:pk>/fichier/", views.FlowFileView.as_view(), name="flow_file"),
    path(
        "flux/<int:pk>/compte-rendu.pdf", views.FlowReportPdfView.as_view(), name="flow_report_pdf"
    ),
]
