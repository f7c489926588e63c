"""Forms of the rejection dashboards."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.forms import DsfrBaseForm
from rejections.statistics import DEFAULT_MONTHS

PERIODS = [
    ("3", _("3 derniers mois")),
    ("6", _("6 derniers mois")),
    ("12", _("12 derniers mois")),
    ("24", _("24 derniers mois")),
]


class PeriodForm(DsfrBaseForm):
    mois = forms.TypedChoiceField(
        label=_("Période"),
        choices=PERIODS,
        coerce=int,
        required=False,
        empty_value=DEFAULT_MONTHS,
        error_messages={"invalid_choice": _("Choisissez une période de la liste.")},
    )

    def months(self) -> int:
        return self.cleaned_data["mois"] if self.is_valid() else DEFAULT_MONTHS
