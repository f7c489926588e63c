from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ChorusConfig(AppConfig):
    name = "chorus"
    verbose_name = _("Plateforme")

    def ready(self):
        # Connects the audit of lockouts to django-axes' signal.
        from chorus import lockout  # noqa: F401

        _name_library_models()


# Names of the libraries' apps and models that the libraries leave untranslatable (a hard-coded
# string, or one derived from the class name): the admin shows them in French like the rest.
LIBRARY_NAMES = {
    "oauth2_provider": (
        _("Accès à l'API (OAuth2)"),
        {
            "application": (_("application cliente"), _("applications clientes")),
            "accesstoken": (_("jeton d'accès"), _("jetons d'accès")),
            "refreshtoken": (_("jeton de rafraîchissement"), _("jetons de rafraîchissement")),
            "grant": (_("autorisation"), _("autorisations")),
            "idtoken": (_("jeton d'identité"), _("jetons d'identité")),
            "devicegrant": (_("autorisation d'appareil"), _("autorisations d'appareil")),
        },
    ),
    "dsfr": (_("Système de design de l'État (DSFR)"), {}),
}


def _name_library_models() -> None:
    for label, (app_name, models) in LIBRARY_NAMES.items():
        app_config = apps.get_app_config(label)
        app_config.verbose_name = app_name
        for model_name, (singular, plural) in models.items():
            meta = app_config.get_model(model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural
