"""What a motive may justify."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """The outcomes a motive may justify: the recipient's actions on an invoice (chorus
    workflow action names), the platform's refusal of a deposit, a court's actions on a
    mémoire de frais de justice and the instructor's on an energy-tax refund request."""

    SUSPEND = "suspend", _("Suspendre")
    SEND_BACK = "send_back", _("Renvoyer pour recyclage")
    REJECT = "reject", _("Rejeter")
    REFUSE_INTEGRATION = "refuse_integration", _("Refuser à l'intégration")
    # A court's moves on a mémoire de frais de justice (justice_fees.workflow).
    SUSPEND_MEMOIRE = "memoire_suspend", _("Suspendre un mémoire de frais de justice")
    REJECT_MEMOIRE = "memoire_reject", _("Rejeter un mémoire de frais de justice")
    # The instructor's decisions on a farmer's energy-tax refund request (energy_refunds).
    TIC_SUSPEND = "tic_suspend", _("Suspendre une demande de remboursement TIC")
    TIC_REJECT = "tic_reject", _("Rejeter une demande de remboursement TIC")


class MotiveFamily(models.TextChoices):
    BUSINESS = "METIER", _("Motif métier")
    PLATFORM = "REJET_PLATEFORME", _("Rejet de la plateforme")
    INADMISSIBLE = "IRRECEVABILITE", _("Irrecevabilité")
