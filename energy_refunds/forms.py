"""The forms of the refund pages: they check the input's shape; the rules live in
energy_refunds.checks and the writes in energy_refunds.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chorus.enums import PublicKind
from chorus.forms import DsfrBaseForm
from chorus.identifiers import normalise_bic, normalise_iban
from chorus.models import Structure
from energy_refunds.enums import AttachmentKind, BeneficiaryKind, Product, RefundStatus, Unit
from energy_refunds.models import Campaign
from rejections.catalogue import motives_for

PDF_MAX_BYTES = 10 * 1024 * 1024


def _pdf(file):
    """A PDF, under 10 MB: what an instructor can open."""
    if file is None:
        return file
    if file.size > PDF_MAX_BYTES:
        raise ValidationError(
            _("Le fichier dépasse 10 Mo : réduisez-le (numérisation moins fine).")
        )
    head = file.read(5)
    file.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("Le fichier n'est pas un PDF : enregistrez la facture en PDF."))
    return file


class BeneficiaryForm(DsfrBaseForm):
    kind = forms.ChoiceField(label=_("Vous êtes"), choices=BeneficiaryKind.choices)
    iban = forms.CharField(
        label=_("IBAN du compte de remboursement"),
        max_length=40,
        help_text=_(
            "Le compte doit être au nom du demandeur. Exemple : FR76 3000 6000 0112 3456 7890 189"
        ),
    )
    bic = forms.CharField(label=_("BIC"), max_length=11, help_text=_("8 ou 11 caractères."))
    holder = forms.CharField(label=_("Titulaire du compte"), max_length=150)
    instructor_override = forms.ModelChoiceField(
        label=_("DDFiP d'un autre département (facultatif)"),
        queryset=Structure.objects.filter(is_public=True, kind=PublicKind.DDFIP, active=True),
        required=False,
        empty_label=_("Celle du département du siège"),
        help_text=_(
            "Seulement si un établissement secondaire d'un autre département utilise "
            "l'essentiel des produits."
        ),
    )

    def clean_iban(self):
        return normalise_iban(self.cleaned_data["iban"])

    def clean_bic(self):
        return normalise_bic(self.cleaned_data["bic"])


class RequestOptionsForm(DsfrBaseForm):
    advance_requested = forms.BooleanField(
        label=_("Je demande le versement de l'avance sur les livraisons de l'année suivante"),
        help_text=_(
            "50 % du remboursement de cette demande (décret n° 2024-76), déduits du remboursement suivant."
        ),
        required=False,
    )
    advance_commitment = forms.BooleanField(
        label=_(
            "Je m'engage à demander le remboursement des livraisons de l'année suivante dans "
            "les délais de sa campagne"
        ),
        required=False,
    )
    de_minimis_declared = forms.BooleanField(
        label=_(
            "Je déclare que les aides de minimis reçues sur les trois derniers exercices, "
            "remboursement compris, restent sous le plafond applicable"
        ),
        help_text=_("Obligatoire pour le fioul lourd et le gaz naturel."),
        required=False,
    )
    de_minimis_other_aid = forms.DecimalField(
        label=_("Autres aides de minimis reçues sur trois exercices (€)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )

    def clean(self):
        data = super().clean()
        if data.get("advance_requested") and not data.get("advance_commitment"):
            self.add_error(
                "advance_commitment",
                _("Pour recevoir l'avance, prenez l'engagement de déposer la demande suivante."),
            )
        return data


class RequestCreateForm(RequestOptionsForm):
    year = forms.TypedChoiceField(label=_("Année des livraisons"), coerce=int)

    field_order = ["year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [
            (year, str(year)) for year in Campaign.objects.values_list("year", flat=True)
        ]


class FuelInvoiceForm(DsfrBaseForm):
    supplier_name = forms.CharField(label=_("Fournisseur"), max_length=250)
    supplier_siret = forms.CharField(
        label=_("SIRET du fournisseur"), max_length=20, help_text=_("14 chiffres, sur la facture.")
    )
    number = forms.CharField(label=_("Numéro de facture"), max_length=60)
    invoice_date = forms.DateField(
        label=_("Date de facture"), widget=forms.DateInput(attrs={"type": "date"})
    )
    delivery_date = forms.DateField(
        label=_("Date de livraison"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("C'est elle qui rattache la facture à l'année de la demande."),
    )
    product = forms.ChoiceField(label=_("Produit"), choices=Product.choices)
    quantity = forms.DecimalField(
        label=_("Quantité"),
        max_digits=12,
        decimal_places=3,
        help_text=_(
            "Gazole non routier en hectolitres, fioul lourd et GPL en 100 kg, gaz naturel en MWh."
        ),
    )
    unit = forms.ChoiceField(label=_("Unité"), choices=Unit.choices)
    pdf = forms.FileField(label=_("Facture (PDF)"), help_text=_("PDF, 10 Mo au plus."))

    def clean_pdf(self):
        return _pdf(self.cleaned_data.get("pdf"))


class CompleteForm(DsfrBaseForm):
    document = forms.FileField(label=_("Pièce demandée (PDF)"))
    comment = forms.CharField(
        label=_("Commentaire pour l'instructeur"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean_document(self):
        return _pdf(self.cleaned_data.get("document"))


class AttachmentForm(DsfrBaseForm):
    kind = forms.ChoiceField(
        label=_("Nature de la pièce"),
        choices=[
            (k, label) for k, label in AttachmentKind.choices if k != AttachmentKind.COMPLEMENT
        ],
    )
    document = forms.FileField(label=_("Pièce (PDF)"))

    def clean_document(self):
        return _pdf(self.cleaned_data.get("document"))


class ValidateForm(DsfrBaseForm):
    adjusted_amount = forms.DecimalField(
        label=_("Montant retenu (€), s'il diffère du montant calculé"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    reason = forms.CharField(
        label=_("Motif de l'ajustement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Obligatoire si le montant est ajusté : il figure sur la lettre de décision."),
    )


class MotiveForm(DsfrBaseForm):
    motive = forms.ChoiceField(label=_("Motif"))
    comment = forms.CharField(
        label=_("Commentaire pour le bénéficiaire"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, outcome: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motive"].choices = [("", _("Choisissez un motif"))] + [
            (m.code, m.label) for m in motives_for(outcome)
        ]


class PaymentForm(DsfrBaseForm):
    payment_reference = forms.CharField(label=_("Référence du virement"), max_length=60)


class QueueFilterForm(DsfrBaseForm):
    """The instructors' filters, for the queue, the statistics and the payment export."""

    year = forms.TypedChoiceField(
        label=_("Année des livraisons"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[("", _("Tous les statuts"))]
        + [(s, label) for s, label in RefundStatus.choices if s != RefundStatus.BROUILLON],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Toutes les années"))] + [
            (year, str(year)) for year in Campaign.objects.values_list("year", flat=True)
        ]

    def filter(self, requests):
        if not self.is_valid():
            return requests
        if self.cleaned_data.get("year"):
            requests = requests.filter(year=self.cleaned_data["year"])
        if self.cleaned_data.get("status"):
            requests = requests.filter(status=self.cleaned_data["status"])
        return requests
