"""Forms of the public structure's self-management pages (structure.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.forms import DsfrBaseForm
from chorus.models import Membership, Service
from suppliers.forms import RoleForm


def _services_field(structure) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Services pour lesquels il agit"),
        help_text=_(
            "Il voit et traite les factures de ces services, et celles sans service. Un "
            "gestionnaire voit toutes les factures de la structure."
        ),
        queryset=structure.services.filter(active=True).order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AgentForm(RoleForm):
    """An agent's role (the roles the manager may grant, as for suppliers) and services."""

    def __init__(self, *args, actor_membership: Membership, **kwargs):
        super().__init__(*args, actor_membership=actor_membership, **kwargs)
        self.fields["services"] = _services_field(actor_membership.structure)


class InviteForm(AgentForm):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("L'invitation y est envoyée ; son compte est créé s'il n'en a pas."),
        error_messages={
            "required": _("Indiquez l'adresse e-mail de l'agent."),
            "invalid": _("Indiquez une adresse e-mail valide, par exemple prenom.nom@ville.fr."),
        },
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    field_order = ["email", "first_name", "last_name", "role", "services"]


class ServiceForm(DsfrBaseForm):
    code = forms.CharField(
        label=_("Code service"),
        help_text=_("Communiqué aux fournisseurs, porté par les factures : il ne change plus."),
        max_length=100,
        error_messages={"required": _("Indiquez le code du service.")},
    )
    name = forms.CharField(
        label=_("Libellé"),
        max_length=250,
        error_messages={"required": _("Indiquez le libellé du service.")},
    )
    ej_required = forms.BooleanField(
        label=_("Engagement juridique obligatoire sur les factures de ce service"),
        required=False,
    )

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["code"]


class EngagementForm(DsfrBaseForm):
    number = forms.CharField(
        label=_("Numéro d'engagement juridique"),
        max_length=50,
        error_messages={"required": _("Indiquez le numéro d'engagement juridique.")},
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("Aucun service"),
    )
    amount = forms.DecimalField(
        label=_("Montant"),
        help_text=_("En euros, par exemple 12500,00."),
        required=False,
        min_value=0,
        max_digits=19,
        decimal_places=2,
        localize=True,
        error_messages={"invalid": _("Indiquez un montant, par exemple 12500,00.")},
    )

    def __init__(self, *args, structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = structure.services.order_by("code")
