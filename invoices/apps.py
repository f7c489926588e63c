from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicesConfig(AppConfig):
    name = "invoices"
    verbose_name = _("Factures")

    def ready(self):
        # The invoice and flow workflows, declared on the core, and the follow-ups the
        # channels attach to their statuses.
        from invoices import notifications, workflow  # noqa: F401
        from invoices.channels.edi import deliver, publish  # noqa: F401
