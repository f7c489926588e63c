from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "invoices"

    def ready(self):
        # The invoice and flow workflows, declared on the core, and the follow-ups the
        # channels attach to their statuses.
        from invoices import notifications, workflow  # noqa: F401
        from invoices.channels.edi import deliver, publish  # noqa: F401
