"""What a motive may justify."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """The outcomes a motive may justify; the first three are the recipient's actions on an
    invoice (chorus workflow action names), the fourth the platform's refusal of a deposit,
    the last two the instructor's decisions on an energy-tax refund request."""

    SUSPEND = "suspend", _("Suspendre")
    SEND_BACK = "send_back", _("Renvoyer pour recyclage")
    REJECT = "reject", _("Rejeter")
    REFUSE_INTEGRATION = "refuse_integration", _("Refuser à l'intégration")
    # The instructor's decisions on a farmer's energy-tax refund request (energy_refunds).
    TIC_SUSPEND = "tic_suspend", _("Suspendre une demande de remboursement TIC")
    TIC_REJECT = "tic_reject", _("Rejeter une demande de remboursement TIC")


class MotiveFamily(models.TextChoices):
    BUSINESS = "METIER", _("Motif métier")
    PLATFORM = "REJET_PLATEFORME", _("Rejet de la plateforme")
    INADMISSIBLE = "IRRECEVABILITE", _("Irrecevabilité")
