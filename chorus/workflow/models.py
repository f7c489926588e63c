"""The history row every document kind keeps, one table per kind (see `Workflow.history`)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.enums import Channel


class StatusChange(models.Model):
    """One move of a document: never updated. A kind adds its foreign key to the document
    and whatever its own moves record (a mandate number...)."""

    at = models.DateTimeField(_("date"), default=timezone.now)
    source = models.CharField(_("statut précédent"), max_length=40, blank=True)
    target = models.CharField(_("nouveau statut"), max_length=40)
    action = models.CharField(_("action"), max_length=40, blank=True)
    actor = models.ForeignKey(
        "chorus.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    actor_label = models.CharField(_("auteur (libellé)"), max_length=250, blank=True)
    actor_role = models.CharField(_("en qualité de"), max_length=30, blank=True)
    structure = models.ForeignKey(
        "chorus.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pour la structure"),
    )
    technical_account = models.ForeignKey(
        "chorus.TechnicalAccount",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compte technique"),
    )
    channel = models.CharField(
        _("canal"), max_length=10, choices=Channel.choices, default=Channel.SYSTEME
    )
    motive = models.CharField(_("motif"), max_length=60, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    lifecycle_code = models.CharField(_("code cycle de vie (réforme)"), max_length=3, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
