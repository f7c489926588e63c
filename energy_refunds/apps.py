from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnergyRefundsConfig(AppConfig):
    name = "energy_refunds"
    verbose_name = _("Remboursements TIC agricoles")

    def ready(self):
        # The request's workflow, declared on the core, and its notifications.
        from energy_refunds import notifications, workflow  # noqa: F401
