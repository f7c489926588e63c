from django.apps import AppConfig


class EnergyRefundsConfig(AppConfig):
    name = "energy_refunds"
