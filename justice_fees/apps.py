from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeFeesConfig(AppConfig):
    name = "justice_fees"
    verbose_name = _("Frais de justice")

    def ready(self):
        # The mémoire's workflow, declared on the core, and its notifications.
        # E3 flows: the deposit pipeline hands a mémoire's UBL to justice_fees.edi.
        from invoices.ingestion.kinds import flow_kind_register
        from justice_fees import notifications, workflow  # noqa: F401
        from justice_fees.edi import FLOW_KIND

        flow_kind_register(FLOW_KIND)
