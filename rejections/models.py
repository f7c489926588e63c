"""The catalogue of coded motives (the reform's reason codes, BR-FR-CDV-CL-09)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rejections.enums import MotiveFamily, Outcome


class Motive(models.Model):
    """A reason an invoice is suspended, sent back, rejected or refused at integration."""

    code = models.CharField(_("code"), max_length=30, primary_key=True)
    family = models.CharField(_("famille"), max_length=20, choices=MotiveFamily.choices)
    label_fr = models.CharField(_("libellé (français)"), max_length=200)
    label_en = models.CharField(_("libellé (anglais)"), max_length=200)
    explanation_fr = models.TextField(
        _("explication (français)"),
        blank=True,
        help_text=_("Ce qui ne va pas, dit simplement au fournisseur."),
    )
    explanation_en = models.TextField(_("explication (anglais)"), blank=True)
    fix_fr = models.TextField(
        _("correction (français)"),
        blank=True,
        help_text=_("Ce que le fournisseur doit faire pour que sa facture soit payée."),
    )
    fix_en = models.TextField(_("correction (anglais)"), blank=True)
    outcomes = models.JSONField(
        _("issues possibles"),
        default=list,
        blank=True,
        help_text=_("Parmi : %(outcomes)s.")
        % {"outcomes": ", ".join(value for value, _label in Outcome.choices)},
    )
    comment_required = models.BooleanField(_("commentaire obligatoire"), default=False)
    lifecycle_code = models.CharField(
        _("code cycle de vie (réforme)"),
        max_length=3,
        blank=True,
        help_text=_("Le statut de la réforme que ce motif accompagne (208, 210, 213...)."),
    )
    active = models.BooleanField(_("actif"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("motif")
        verbose_name_plural = _("motifs")
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code} – {self.label}"

    def _in_language(self, field: str) -> str:
        english = (get_language() or "fr").startswith("en")
        return getattr(self, f"{field}_{'en' if english else 'fr'}")

    @property
    def label(self) -> str:
        return self._in_language("label")

    @property
    def explanation(self) -> str:
        return self._in_language("explanation")

    @property
    def fix(self) -> str:
        return self._in_language("fix")

    def allows(self, outcome: str) -> bool:
        return self.active and outcome in self.outcomes


class WeeklySummary(models.Model):
    """A week's rejection summary sent to a public structure's managers: one per structure
    and week, so that a task run twice sends it once."""

    structure = models.ForeignKey(
        "chorus.Structure", on_delete=models.CASCADE, related_name="+", verbose_name=_("structure")
    )
    week_start = models.DateField(_("semaine du"))
    recipients = models.PositiveSmallIntegerField(_("destinataires"), default=0)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("synthèse hebdomadaire des rejets")
        verbose_name_plural = _("synthèses hebdomadaires des rejets")
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "week_start"], name="weekly_summary_once_a_week"
            )
        ]

    def __str__(self):
        return f"{self.structure} {self.week_start}"
