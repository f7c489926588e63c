"""The names people read for the codes an invoice carries: its lines' units (UN/ECE
Recommendation 20) and VAT categories (UNTDID 5305). Pages, PDFs, reports and e-mails show
`code_label(...)`, never the bare code; a code without a name here is shown as it is.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from invoices.units import UNITS

UNIT = "unit"
VAT_CATEGORY = "vat_category"

VAT_CATEGORIES = {
    "S": _("Taux normal"),
    "Z": _("Taux zéro"),
    "E": _("Exonération de TVA"),
    "AE": _("Autoliquidation"),
    "K": _("Livraison intracommunautaire"),
    "G": _("Exportation hors de l'Union européenne"),
    "O": _("Hors du champ de la TVA"),
    "L": _("IGIC (îles Canaries)"),
    "M": _("IPSI (Ceuta et Melilla)"),
}

# Units come from the platform's unit list (invoices.units), with the numbers the API gives.
_LISTS = {UNIT: {unit.code: unit.label for unit in UNITS}, VAT_CATEGORY: VAT_CATEGORIES}


def code_label(code_list: str, code: str) -> str:
    """The name of `code` in `code_list` (UNIT or VAT_CATEGORY), in the active language."""
    label = _LISTS[code_list].get(code)
    return str(label) if label is not None else code


def vat_label(category: str, rate: Decimal | None) -> str:
    """A VAT category and rate as people read them: "20 %" for the standard rate, the
    category's name otherwise ("Exonération de TVA")."""
    if category == "S" and rate is not None:
        return f"{rate.normalize():f} %".replace(".", ",")
    return code_label(VAT_CATEGORY, category)
