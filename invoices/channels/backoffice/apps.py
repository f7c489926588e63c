from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The agents' back office as an app of its own: its models (bulk operations) and their
    migrations stay apart from the invoices app's."""

    name = "invoices.channels.backoffice"
    label = "backoffice"
    verbose_name = _("Espace de réception des factures")
