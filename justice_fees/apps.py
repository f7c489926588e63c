from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JusticeFeesConfig(AppConfig):
    name = "justice_fees"
    verbose_name = _("Frais de justice")

    def ready(self):
        # The mémoire's workflow, declared on the core, and its notifications.
        from justice_fees import notifications, workflow  # noqa: F401
