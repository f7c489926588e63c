"""A bulk operation of an agent: one move applied to a selection of invoices or to a whole
search, run by a Celery task (invoices.channels.backoffice.bulk), its progress and its result
kept here."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from chorus.models import Membership, Structure, User
from invoices.enums import InvoiceStatus
from invoices.models import Invoice


class BulkStatus(models.TextChoices):
    EN_ATTENTE = "EN_ATTENTE", _("En attente")
    EN_COURS = "EN_COURS", _("En cours")
    TERMINEE = "TERMINEE", _("Terminée")
    ECHOUEE = "ECHOUEE", _("Échouée")


class BulkOperation(models.Model):
    """One move (`action`, to `target`) on many invoices, with one motive and comment for all.

    `invoice_ids` is the agent's selection; `search` the parameters of the inbox search it
    was launched on (then `last_id_bound` caps it to the invoices there at launch). The task
    walks the invoices by id: `cursor` is the last one handled, advanced in the same
    transaction as that invoice's move, so a task run again after a crash resumes exactly.
    """

    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("lancée par")
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("en qualité de"),
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="+", verbose_name=_("structure")
    )
    action = models.CharField(_("action"), max_length=40)
    target = models.CharField(_("statut visé"), max_length=40, choices=InvoiceStatus.choices)
    motive = models.CharField(_("motif"), max_length=60, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    invoice_ids = models.JSONField(_("factures sélectionnées"), default=list, blank=True)
    search = models.JSONField(_("recherche"), null=True, blank=True)
    last_id_bound = models.BigIntegerField(null=True, blank=True)
    total = models.PositiveIntegerField(_("factures visées"), default=0)
    done = models.PositiveIntegerField(_("factures traitées"), default=0)
    refused_count = models.PositiveIntegerField(_("factures refusées"), default=0)
    cursor = models.BigIntegerField(default=0)
    status = models.CharField(
        _("état"), max_length=12, choices=BulkStatus.choices, default=BulkStatus.EN_ATTENTE
    )
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("lancée le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("traitement par lot")
        verbose_name_plural = _("traitements par lot")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.action} × {self.total} ({self.get_status_display()})"

    @property
    def handled(self) -> int:
        return self.done + self.refused_count

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.is_finished else 0
        return min(100, round(100 * self.handled / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (BulkStatus.TERMINEE, BulkStatus.ECHOUEE)


class BulkRefusal(models.Model):
    """An invoice of a bulk operation that the workflow refused to move, and why."""

    operation = models.ForeignKey(BulkOperation, on_delete=models.CASCADE, related_name="refusals")
    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, null=True, related_name="+", verbose_name=_("facture")
    )
    invoice_ref = models.BigIntegerField()  # the id selected, kept if the invoice is not found
    number = models.CharField(_("numéro de facture"), max_length=200, blank=True)
    code = models.CharField(_("code"), max_length=40)
    reason = models.TextField(_("raison"))

    class Meta:
        verbose_name = _("facture refusée")
        verbose_name_plural = _("factures refusées")
        ordering = ["invoice_ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "invoice_ref"], name="bulk_refusal_once_per_invoice"
            )
        ]

    def __str__(self):
        return f"{self.number or self.invoice_ref}: {self.reason}"
