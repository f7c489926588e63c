"""Reading the motive catalogue: the one place that says which motive fits which action."""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rejections.enums import Outcome
from rejections.models import Motive

# Free text as existing connectors send it is recorded under this code, the text as comment.
FREE_TEXT = "AUTRE"


# The recipient's outcomes, least disruptive first, and what each costs the supplier.
BY_DISRUPTION = [Outcome.SUSPEND, Outcome.SEND_BACK, Outcome.REJECT]
OUTCOME_EFFECTS = {
    Outcome.SUSPEND: gettext_lazy(
        "Une suspension garde le délai de paiement : le fournisseur complète la facture et "
        "son traitement reprend."
    ),
    Outcome.SEND_BACK: gettext_lazy(
        "Un renvoi pour recyclage garde la facture : le fournisseur corrige seulement son "
        "acheminement."
    ),
    Outcome.REJECT: gettext_lazy(
        "Un rejet est définitif : le fournisseur doit émettre une nouvelle facture et le délai "
        "de paiement repart de zéro."
    ),
}


def least_disruptive_outcome(motive: Motive, among: Iterable[str] | None = None) -> str | None:
    """The outcome the motive allows that disrupts the supplier least (suspend, then send
    back, then reject), restricted to `among` (the moves possible now) when given."""
    possible = set(BY_DISRUPTION if among is None else among)
    return next((o for o in BY_DISRUPTION if o in possible and motive.allows(o)), None)


def motives_for(outcome: str) -> list[Motive]:
    """The active motives that may justify an outcome, in catalogue order."""
    return [m for m in Motive.objects.filter(active=True) if outcome in m.outcomes]


def motive_check(outcome: str, code: str, comment: str) -> str | None:
    """Why `code` cannot justify `outcome`, or None when it can."""
    motive = Motive.objects.filter(pk=code).first()
    if motive is None:
        return _("Le motif « %(code)s » n'existe pas dans le catalogue des motifs.") % {
            "code": code
        }
    if not motive.allows(outcome):
        return _("Le motif « %(motive)s » ne permet pas cette action.") % {"motive": motive.label}
    if motive.comment_required and not comment.strip():
        return _("Le motif « %(motive)s » demande un commentaire qui explique le problème.") % {
            "motive": motive.label
        }
    return None


def motive_from_wire(value: str) -> tuple[str, str]:
    """A motive as a connector sends it: a catalogue code, or free text recorded as AUTRE
    with the text as comment. Returns (code, comment)."""
    value = (value or "").strip()
    if not value:
        return "", ""
    if Motive.objects.filter(pk=value).exists():
        return value, ""
    return FREE_TEXT, value
