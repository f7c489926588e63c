"""Forms of the supplier accounts: they check formats and hand clean data to the services."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from chorus import identifiers
from chorus.enums import Role
from chorus.forms import DsfrBaseForm, DsfrModelForm
from chorus.models import Membership, Structure, User

french_postcode = RegexValidator(
    r"^\d{5}$", _("Le code postal compte 5 chiffres, par exemple 75001.")
)


class CompanyForm(DsfrBaseForm):
    """The company a supplier account belongs to; its details only matter when it is new."""

    company_fields = ("siret", "legal_name", "address_line", "postcode", "city", "vat_number")
    new_company_hint = _("Obligatoire si votre entreprise n'est pas encore inscrite.")

    siret = forms.CharField(
        label=_("SIRET de l'entreprise"),
        help_text=_("14 chiffres, sans espace : 9 pour le SIREN, 5 pour l'établissement."),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    legal_name = forms.CharField(
        label=_("Raison sociale"),
        help_text=new_company_hint,
        max_length=250,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    address_line = forms.CharField(
        label=_("Adresse"),
        help_text=new_company_hint,
        max_length=250,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postcode = forms.CharField(
        label=_("Code postal"),
        help_text=new_company_hint,
        max_length=5,
        required=False,
        validators=[french_postcode],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    city = forms.CharField(
        label=_("Ville"),
        help_text=new_company_hint,
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    vat_number = forms.CharField(
        label=_("Numéro de TVA intracommunautaire"),
        help_text=_("Par exemple FR44732829320."),
        max_length=20,
        required=False,
    )

    def clean_siret(self):
        return identifiers.normalise_siret(self.cleaned_data["siret"])

    def clean_vat_number(self):
        value = self.cleaned_data["vat_number"]
        return identifiers.normalise_vat_number(value) if value else ""

    def company_data(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.company_fields}


class SignupForm(CompanyForm):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Elle servira d'identifiant de connexion. Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        help_text=_("Au moins 8 caractères, pas uniquement des chiffres, ni trop courant."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        help_text=_("Saisissez le même mot de passe, pour vérification."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["email", "first_name", "last_name", "password1", "password2"]

    def clean(self):
        cleaned = super().clean()
        new_password_check(self, cleaned)
        return cleaned


def role_choices(actor_membership: Membership) -> list[tuple[str, str]]:
    """Roles the manager may give: only a principal manager may make another one."""
    if actor_membership.role == Role.GESTIONNAIRE_PRINCIPAL:
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value != Role.GESTIONNAIRE_PRINCIPAL]


class RoleForm(DsfrBaseForm):
    role = forms.ChoiceField(label=_("Rôle"))

    def __init__(self, *args, actor_membership: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(actor_membership)


class JoinRequestRefuseForm(DsfrBaseForm):
    message = forms.CharField(
        label=_("Motif du refus"),
        help_text=_("Transmis par e-mail au demandeur."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StructureForm(DsfrModelForm):
    class Meta:
        model = Structure
        fields = ["legal_name", "address_line", "postcode", "city", "vat_number"]
        help_texts = {
            "vat_number": _("Par exemple FR44732829320. Laissez vide si vous n'en avez pas.")
        }

    def clean_vat_number(self):
        value = self.cleaned_data["vat_number"]
        return identifiers.normalise_vat_number(value) if value else ""


class BankAccountForm(DsfrBaseForm):
    """Plain form: the model's own checks would repeat the IBAN and BIC errors on a blank value."""

    label = forms.CharField(
        label=_("Libellé"),
        max_length=100,
        help_text=_("Pour le reconnaître parmi vos comptes, par exemple « Compte courant »."),
    )
    holder = forms.CharField(label=_("Titulaire du compte"), max_length=150)
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=50,
        help_text=_(
            "Tel qu'il figure sur votre RIB, par exemple FR76 3000 6000 0112 3456 7890 189."
        ),
    )
    bic = forms.CharField(
        label=_("BIC"), max_length=15, help_text=_("8 ou 11 caractères, par exemple AGRIFRPP.")
    )

    def __init__(self, *args, structure: Structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure

    def clean_iban(self):
        iban = identifiers.normalise_iban(self.cleaned_data["iban"])
        existing = self.structure.bank_accounts.filter(iban=iban).first()
        if existing is not None and existing.active:
            raise ValidationError(
                _("Cet IBAN est déjà enregistré pour votre structure (« %(label)s »).")
                % {"label": existing.label}
            )
        if existing is not None:
            raise ValidationError(
                _(
                    "Cet IBAN est déjà enregistré pour votre structure (« %(label)s », "
                    "désactivé) : réactivez-le depuis la liste des comptes bancaires."
                )
                % {"label": existing.label}
            )
        return iban

    def clean_bic(self):
        return identifiers.normalise_bic(self.cleaned_data["bic"])


class PasswordResetForm(auth_forms.PasswordResetForm, DsfrBaseForm):
    pass


class SetPasswordForm(auth_forms.SetPasswordForm, DsfrBaseForm):
    pass


class PasswordChangeForm(auth_forms.PasswordChangeForm, DsfrBaseForm):
    pass


def new_password_check(form, cleaned: dict) -> None:
    """The two passwords of a new account match and pass the validators, judged against the
    account they will protect (its e-mail and names); each error on its field."""
    password1, password2 = cleaned.get("password1"), cleaned.get("password2")
    if password1 and password2 and password1 != password2:
        form.add_error(
            "password2",
            _("Les deux mots de passe ne sont pas identiques : saisissez-les à nouveau."),
        )
    elif password1:
        candidate = User(
            email=cleaned.get("email", ""),
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
        )
        try:
            password_validation.validate_password(password1, candidate)
        except ValidationError as exc:
            form.add_error("password1", exc)
