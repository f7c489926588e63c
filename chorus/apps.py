from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChorusConfig(AppConfig):
    name = "chorus"
    verbose_name = _("Plateforme")

    def ready(self):
        # Connects the audit of lockouts to django-axes' signal.
        from chorus import lockout  # noqa: F401
