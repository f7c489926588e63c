"""Codes of the suppliers app, with French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JoinRequestStatus(models.TextChoices):
    EN_ATTENTE = "EN_ATTENTE", _("En attente")
    ACCEPTEE = "ACCEPTEE", _("Acceptée")
    REFUSEE = "REFUSEE", _("Refusée")
