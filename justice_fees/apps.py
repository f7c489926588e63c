from django.apps import AppConfig


class JusticeFeesConfig(AppConfig):
    name = "justice_fees"
