"""Routes of the invoices app in the portal (mounted at /factures/)."""

from invoices.channels.portal.urls import urlpatterns as portal_urlpatterns

app_name = "invoices"

urlpatterns = [*portal_urlpatterns]
