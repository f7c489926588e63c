"""The platform's list of units: each a UN/ECE Recommendation 20 code (BT-130) with a stable
number and a French label.

Invoices may carry any Rec 20 code; this list names the usual ones. The portal offers them,
and the API answers a line's unit as Chorus Pro clients read it: its number
(`lignePosteUniteCode`, an integer) and its label (`lignePosteUniteLibelle`). Numbers are
never reused nor renumbered: connectors store them.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Unit:
    number: int
    code: str  # UN/ECE Recommendation 20
    label: str | Promise


UNITS = (
    Unit(1, "C62", _("unité")),
    Unit(2, "H87", _("pièce")),
    Unit(3, "HUR", _("heure")),
    Unit(4, "DAY", _("jour")),
    Unit(5, "WEE", _("semaine")),
    Unit(6, "MON", _("mois")),
    Unit(7, "ANN", _("an")),
    Unit(8, "KGM", _("kilogramme")),
    Unit(9, "TNE", _("tonne")),
    Unit(10, "LTR", _("litre")),
    Unit(11, "MTR", _("mètre")),
    Unit(12, "MTK", _("mètre carré")),
    Unit(13, "MTQ", _("mètre cube")),
    Unit(14, "KMT", _("kilomètre")),
    Unit(15, "LS", _("forfait")),
    Unit(16, "LO", _("lot")),
)
_BY_CODE = {unit.code: unit for unit in UNITS}


def unit_of(code: str | None) -> Unit | None:
    """The listed unit of a Rec 20 code, or None for a code the list does not name."""
    return _BY_CODE.get((code or "").strip().upper())


def unit_choices() -> list[tuple[str, str | Promise]]:
    """(Rec 20 code, label) of every listed unit, for a form's choices."""
    return [(unit.code, unit.label) for unit in UNITS]
