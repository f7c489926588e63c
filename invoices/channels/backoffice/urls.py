"""Routes of the agents' pages (mounted at /reception/, namespace "reception")."""

from django.urls import path

from invoices.channels.backoffice import bulk_views, dashboard_views, structure_views, views

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
    path("tableau-de-bord/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    # Working on many invoices (issue 8 §3).
    path("factures/export.csv", bulk_views.InvoiceExportView.as_view(), name="invoice_export"),
    path(
        "factures/<int:pk>/historique.csv",
        bulk_views.InvoiceHistoryExportView.as_view(),
        name="invoice_history_export",
    ),
    path(
        "factures/traitement-par-lot/",
        bulk_views.BulkOperationCreateView.as_view(),
        name="bulk_create",
    ),
    path("traitements/", bulk_views.BulkOperationListView.as_view(), name="bulk_operations"),
    path(
        "traitements/<int:pk>/",
        bulk_views.BulkOperationView.as_view(),
        name="bulk_operation",
    ),
    path(
        "traitements/<int:pk>/avancement.json",
        bulk_views.BulkOperationProgressView.as_view(),
        name="bulk_operation_progress",
    ),
    path(
        "pieces-jointes/<int:pk>/",
        views.AddedAttachmentView.as_view(),
        name="added_attachment",
    ),
    # The public structure managed by its managers (issue 8 §5).
    path("structure/agents/", structure_views.AgentListView.as_view(), name="agents"),
    path(
        "structure/agents/inviter/", structure_views.AgentInviteView.as_view(), name="agent_invite"
    ),
    path("structure/agents/<int:pk>/", structure_views.AgentView.as_view(), name="agent"),
    path(
        "structure/agents/<int:pk>/retirer/",
        structure_views.AgentRemoveView.as_view(),
        name="agent_remove",
    ),
    path("structure/services/", structure_views.ServiceListView.as_view(), name="services"),
    path("structure/services/creer/", structure_views.ServiceAddView.as_view(), name="service_add"),
    path("structure/services/<int:pk>/", structure_views.ServiceView.as_view(), name="service"),
    path(
        "structure/engagements/",
        structure_views.EngagementListView.as_view(),
        name="engagements",
    ),
    path(
        "structure/engagements/creer/",
        structure_views.EngagementAddView.as_view(),
        name="engagement_add",
    ),
    path(
        "structure/engagements/<int:pk>/",
        structure_views.EngagementView.as_view(),
        name="engagement",
    ),
]
