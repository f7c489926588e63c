"""Forms of the mémoire pages: they check what was typed and hand clean data over; the
rules (juridiction, duplicate number, forclusion...) are the services', placed on the fields."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chorus.forms import DsfrBaseForm
from chorus.models import Membership, Service
from invoices.channels.portal.forms import (
    attachment_content_error,
    attachment_errors,
    mime_type_of,
)
from justice_fees.enums import (
    AttachmentKind,
    CourtRoleKind,
    DecisionKind,
    ProviderKind,
    VatRegime,
)
from justice_fees.selectors import juridictions_open, tariffs_active
from rejections.catalogue import motives_for
from suppliers.forms import SignupForm, french_postcode, new_password_check

VAT_RATES = [("20", _("20 %")), ("10", _("10 %")), ("5.5", _("5,5 %")), ("0", _("0 %"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProcedureForm(DsfrBaseForm):
    """Step 1: the juridiction and the procedure."""

    juridiction = forms.ModelChoiceField(
        label=_("Juridiction"),
        queryset=juridictions_open(),
        help_text=_("Celle qui est nommée sur la décision de désignation."),
        empty_label=_("Choisissez la juridiction"),
    )
    service = forms.ModelChoiceField(
        label=_("Service de la juridiction"),
        queryset=Service.objects.filter(structure__in=juridictions_open(), active=True),
        required=False,
        help_text=_("Le service centralisateur des frais de justice, s'il est connu."),
    )
    number = forms.CharField(
        label=_("Numéro du mémoire"),
        max_length=40,
        help_text=_("Votre numéro, unique parmi vos mémoires."),
    )
    decision_kind = forms.ChoiceField(
        label=_("Décision de désignation"), choices=DecisionKind.choices
    )
    decision_date = forms.DateField(label=_("Date de la décision"), widget=DATE)
    procedure_number = forms.CharField(
        label=_("Numéro de procédure"),
        max_length=60,
        help_text=_("Numéro de parquet, numéro RG ou de procès-verbal."),
    )
    requester = forms.CharField(
        label=_("Magistrat ou officier requérant"),
        max_length=150,
        help_text=_("Nom et qualité, tels qu'ils figurent sur la décision."),
    )
    mission_end_date = forms.DateField(
        label=_("Fin de la mission"),
        widget=DATE,
        help_text=_("Le mémoire doit être présenté dans l'année qui suit (article 800 du CPP)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["juridiction"].label_from_instance = lambda court: (
            f"{court.legal_name} ({court.city})" if court.city else court.legal_name
        )
        self.fields["service"].label_from_instance = lambda service: (
            f"{service.structure.legal_name} — {service.name} ({service.code})"
        )

    def clean(self):
        cleaned = super().clean()
        service, juridiction = cleaned.get("service"), cleaned.get("juridiction")
        if service and juridiction and service.structure_id != juridiction.pk:
            self.add_error(
                "service",
                _("Ce service n'appartient pas à %(name)s.") % {"name": juridiction.legal_name},
            )
        return cleaned


class LineForm(DsfrBaseForm):
    """One line of step 2 (services) or step 3 (costs); all blank, the row is unused."""

    tariff = forms.ModelChoiceField(
        label=_("Prestation du référentiel"), queryset=None, required=False
    )
    label = forms.CharField(
        label=_("Libellé"),
        max_length=200,
        required=False,
        help_text=_("Facultatif pour une prestation du référentiel."),
    )
    quantity = forms.DecimalField(
        label=_("Quantité"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        localize=True,
    )
    unit_price = forms.DecimalField(
        label=_("Prix unitaire HT (€)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        localize=True,
        help_text=_("Pour un montant libre ; sinon le tarif du référentiel s'applique."),
    )
    vat_rate = forms.ChoiceField(
        label=_("Taux de TVA"), choices=VAT_RATES, initial="20", required=False
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tariff"].queryset = tariffs_active(kinds)
        self.fields["tariff"].label_from_instance = _tariff_label

    def clean(self):
        cleaned = super().clean()
        tariff, label, quantity = (
            cleaned.get("tariff"),
            cleaned.get("label"),
            cleaned.get("quantity"),
        )
        if self.errors:
            return cleaned
        cleaned["vat_rate"] = cleaned.get("vat_rate") or "20"
        cleaned["empty"] = not tariff and not label and quantity is None
        if cleaned["empty"]:
            return cleaned
        if quantity is None:
            self.add_error("quantity", _("Indiquez la quantité."))
        if not tariff and not label:
            self.add_error("label", _("Choisissez une prestation du référentiel ou décrivez-la."))
        if (tariff is None or tariff.is_free_amount) and cleaned.get("unit_price") is None:
            self.add_error("unit_price", _("Indiquez le prix unitaire de ce montant libre."))
        return cleaned


def _tariff_label(tariff) -> str:
    if tariff.is_free_amount:
        return f"{tariff.label} — {_('montant libre')}"
    note = f" ({_('valeur de démonstration')})" if tariff.demonstration else ""
    return f"{tariff.label} — {tariff.unit_price} € / {tariff.get_unit_display()}{note}"


LINE_ROWS = 6


MAX_LINE_ROWS = 200


def posted_rows(data, prefix: str) -> int:
    """How many rows a posted lines step holds (as many as the page showed)."""
    indexes = [
        int(match.group(1))
        for key in data
        if (match := re.match(rf"^{re.escape(prefix)}-(\d+)-", key))
    ]
    return min(max(indexes, default=-1) + 1, MAX_LINE_ROWS)


def line_forms(data, *, kinds, lines, prefix: str) -> list[LineForm]:
    """The rows of a lines step: the draft's lines of these kinds then blank rows, or as many
    rows as were posted."""
    forms_ = []
    existing = list(lines)
    count = posted_rows(data, prefix) if data is not None else len(existing) + 2
    for index in range(max(LINE_ROWS, count)):
        initial = {}
        if index < len(existing):
            line = existing[index]
            initial = {
                "tariff": line.tariff_id,
                "label": "" if line.tariff and line.label == line.tariff.label else line.label,
                "quantity": line.quantity,
                "unit_price": line.unit_price
                if not line.tariff or line.tariff.is_free_amount
                else None,
                "vat_rate": _rate_key(line.vat_rate),
            }
        forms_.append(LineForm(data, kinds=kinds, initial=initial, prefix=f"{prefix}-{index}"))
    return forms_


def _rate_key(rate: Decimal) -> str:
    return f"{Decimal(rate).normalize():f}" if rate else "0"


class VatRegimeForm(DsfrBaseForm):
    vat_regime = forms.ChoiceField(
        label=_("Régime de TVA"),
        choices=VatRegime.choices,
        help_text=_("Pré-rempli depuis votre profil. En franchise, aucune TVA n'est due."),
    )


class AttachmentForm(DsfrBaseForm):
    kind = forms.ChoiceField(label=_("Nature de la pièce"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, PNG, JPEG, CSV, XLSX ou ODS, 10 Mo au plus."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        errors = attachment_errors(upload.name, upload.size)
        if errors:
            raise ValidationError(errors)
        data = upload.read()
        content_error = attachment_content_error(upload.name, data)
        if content_error:
            raise ValidationError(content_error)
        self.cleaned_data["data"] = data
        self.cleaned_data["mime_type"] = mime_type_of(upload.name)
        return upload


class CompleteForm(AttachmentForm):
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(DsfrBaseForm):
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MotiveForm(DsfrBaseForm):
    """Suspending or rejecting: a motive of the catalogue that fits the outcome."""

    motive = forms.ChoiceField(label=_("Motif"))
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que le prestataire doit savoir ou fournir."),
    )

    def __init__(self, *args, outcome: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motive"].choices = [("", _("Choisissez un motif"))] + [
            (m.code, m.label) for m in motives_for(outcome)
        ]


class ProfileForm(DsfrBaseForm):
    kind = forms.ChoiceField(label=_("Qualité"), choices=ProviderKind.choices)
    speciality = forms.CharField(
        label=_("Spécialité"),
        max_length=150,
        required=False,
        help_text=_("Par exemple : médecine légale, automobile, russe et ukrainien."),
    )
    vat_regime = forms.ChoiceField(label=_("Régime de TVA habituel"), choices=VatRegime.choices)


class PersonSignupForm(DsfrBaseForm):
    """A prestataire de justice without SIRET, identified by identity."""

    email = SignupForm.base_fields["email"]
    first_name = SignupForm.base_fields["first_name"]
    last_name = SignupForm.base_fields["last_name"]
    birth_date = forms.DateField(label=_("Date de naissance"), widget=DATE)
    address_line = forms.CharField(label=_("Adresse"), max_length=250)
    postcode = forms.CharField(label=_("Code postal"), max_length=5, validators=[french_postcode])
    city = forms.CharField(label=_("Ville"), max_length=100)
    kind = forms.ChoiceField(label=_("Qualité"), choices=ProviderKind.choices)
    speciality = ProfileForm.base_fields["speciality"]
    password1 = SignupForm.base_fields["password1"]
    password2 = SignupForm.base_fields["password2"]

    def clean(self):
        cleaned = super().clean()
        new_password_check(self, cleaned)
        return cleaned


class CourtRoleForm(DsfrBaseForm):
    role = forms.ChoiceField(
        label=_("Rôle pour les mémoires"),
        choices=[("", _("Aucun"))] + list(CourtRoleKind.choices),
        required=False,
    )


def court_members(structure):
    return (
        Membership.objects.filter(structure=structure)
        .select_related("user")
        .order_by("user__last_name", "user__email")
    )
