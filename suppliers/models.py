"""A supplier's request to join a structure already registered on the platform."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chorus.models import Structure
from suppliers.enums import JoinRequestStatus


class JoinRequest(models.Model):
    """Asked by a user for a private structure; decided by one of its managers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("demandeur"),
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("structure"),
    )
    status = models.CharField(
        _("état"),
        max_length=12,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.EN_ATTENTE,
    )
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    message = models.TextField(
        _("motif du refus"),
        blank=True,
        help_text=_("Transmis au demandeur avec la décision."),
    )

    class Meta:
        verbose_name = _("demande de rattachement")
        verbose_name_plural = _("demandes de rattachement")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "structure"],
                condition=models.Q(status=JoinRequestStatus.EN_ATTENTE),
                name="join_request_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.structure.legal_name} ({self.get_status_display()})"
