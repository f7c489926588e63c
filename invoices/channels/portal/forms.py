"""Forms of the supplier portal: keying an invoice, its lines, uploading a flow, searching.

They check what was typed and hand clean data over; they store nothing. What an invoice to a
recipient must carry (service code, engagement juridique), the duplicate number and the
credit note's reference are the platform's rules (`invoices.rules`), shared with the API and
the deposit pipeline: the form shows them and places their problems on its fields.
"""

import mimetypes
from decimal import Decimal
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from chorus import identifiers
from chorus.enums import IdentifierType
from chorus.forms import DsfrBaseForm
from chorus.models import Service, Structure
from invoices import canonical as c
from invoices import rules
from invoices.channels.portal.computations import VAT_CHOICES, KeyedLine
from invoices.dates import implausible_date
from invoices.enums import FlowStatus, InvoiceStatus
from invoices.formats.pdfsafety import pdf_active_content
from invoices.ingestion.archive import FLOW_EXTENSIONS
from invoices.rules import EJ_MAX_LENGTH, active_recipient
from invoices.units import unit_choices
from invoices.validation.codelists import official_code_lists
from invoices.validation.platform_rules import (
    ALLOWED_ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_NAME_MAX_LENGTH,
    ATTACHMENTS_TOTAL_MAX_BYTES,
)
from invoices.validation.reading import MAX_FILE_BYTES

NUMBER_MAX_LENGTH = 20  # numeroFacture on Chorus Pro

INVOICE_TYPES = [(c.TYPE_INVOICE, _("Facture")), (c.TYPE_CREDIT_NOTE, _("Avoir"))]
# The platform's unit list (invoices.units), the ones a small business invoices in.
UNITS = unit_choices()


def attachment_errors(name: str, size: int) -> list[str]:
    """Why a supporting document cannot go with an invoice, if it can't: the Chorus Pro limits
    (size, name, extension), and the formats an EN 16931 invoice can embed (BR-CL-24), a
    subset of the extensions Chorus Pro accepts."""
    errors = []
    extension = PurePath(name).suffix.lower().lstrip(".")
    if len(name) > ATTACHMENT_NAME_MAX_LENGTH:
        errors.append(
            _(
                "Le nom « %(name)s » fait %(length)s caractères : renommez le fichier en "
                "%(max)s caractères au plus, extension comprise."
            )
            % {"name": name, "length": len(name), "max": ATTACHMENT_NAME_MAX_LENGTH}
        )
    if extension not in ALLOWED_ATTACHMENT_EXTENSIONS:
        errors.append(
            _(
                "Le fichier « %(name)s » n'a pas une extension acceptée : joignez un PDF, une "
                "image PNG ou JPEG, ou un tableur CSV, XLSX ou ODS."
            )
            % {"name": name}
        )
    elif mime_type_of(name) not in _embeddable_mime_types():
        errors.append(
            _(
                "Le fichier « %(name)s » ne peut pas être joint à une facture électronique, qui "
                "n'accepte que les PDF, images PNG ou JPEG et tableurs CSV, XLSX ou ODS : "
                "enregistrez-le en PDF."
            )
            % {"name": name}
        )
    if size > ATTACHMENT_MAX_BYTES:
        errors.append(
            _(
                "Le fichier « %(name)s » pèse %(size)s, au-delà de 10 Mo : compressez-le ou "
                "découpez-le."
            )
            % {"name": name, "size": filesizeformat(size)}
        )
    if size == 0:
        errors.append(
            _("Le fichier « %(name)s » est vide : choisissez un autre fichier.") % {"name": name}
        )
    return errors


def attachment_content_error(name: str, data: bytes) -> str | None:
    """A PDF carrying active content (JavaScript, launch actions, programs) is refused."""
    found = pdf_active_content(data)
    if not found:
        return None
    return _(
        "Le fichier « %(name)s » contient du contenu actif (%(found)s) : JavaScript, actions "
        "de lancement et fichiers exécutables sont interdits dans un PDF joint à une facture. "
        "Enregistrez-le à nouveau en PDF/A."
    ) % {"name": name, "found": ", ".join(found)}


def _embeddable_mime_types() -> frozenset[str]:
    """The MIME types EN 16931 lets an invoice embed (BR-CL-24), read from the official rules."""
    return official_code_lists()["BR-CL-24"].codes


def attachments_total_error(total: int) -> str | None:
    if total <= ATTACHMENTS_TOTAL_MAX_BYTES:
        return None
    return _(
        "Les pièces jointes totalisent %(size)s, au-delà de 120 Mo par facture : retirez-en "
        "ou allégez-les."
    ) % {"size": filesizeformat(total)}


def mime_type_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


class RecipientReferencesForm(DsfrBaseForm):
    """The recipient and the references it requires (service code, engagement juridique):
    the keying form's first part, and the whole of recycling an invoice sent back."""

    recipient_siret = forms.CharField(
        label=_("SIRET du destinataire"),
        help_text=_(
            "14 chiffres. Cherchez la structure publique par son nom, sa ville ou son SIRET."
        ),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": _("Choisissez le destinataire dans l'annuaire ou indiquez son SIRET.")
        },
    )
    service_code = forms.ChoiceField(label=_("Service destinataire (code service)"), required=False)
    engagement = forms.CharField(
        label=_("Numéro d'engagement juridique"),
        help_text=_("Le numéro du bon de commande communiqué par l'acheteur public."),
        max_length=EJ_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        siret = self._value("recipient_siret")
        self.recipient = active_recipient(siret)
        self.requirements = rules.recipient_requirements(self.recipient) if self.recipient else None
        services = self.requirements.services if self.requirements else []
        self.fields["service_code"].choices = [("", _("Choisissez un service"))] + [
            (s.code, f"{s.code} – {s.name}") for s in services
        ]
        if self.requirements:
            code = self._value("service_code")
            self.fields["service_code"].required = self.requirements.service_required
            self.fields["engagement"].required = (
                self.requirements.engagement_required
                or code in self.requirements.engagement_services
            )
        self.fields["service_code"].error_messages["required"] = _(
            "Ce destinataire exige un code service : choisissez le service destinataire."
        )
        self.fields["engagement"].error_messages["required"] = _(
            "Ce destinataire ou ce service exige un numéro d'engagement juridique : indiquez "
            "celui du bon de commande."
        )

    def _value(self, name: str) -> str:
        """A field's value as typed (bound form) or as resumed (initial)."""
        if self.is_bound:
            return self.data.get(self.add_prefix(name)) or ""
        return self.initial.get(name) or ""

    @property
    def service(self) -> Service | None:
        code = self.cleaned_data.get("service_code")
        services = self.requirements.services if self.requirements else []
        return next((s for s in services if s.code == code), None)

    def clean_recipient_siret(self):
        value = self.cleaned_data["recipient_siret"]
        try:
            siret = identifiers.normalise_identifier(IdentifierType.SIRET, value)
        except ValidationError as exc:
            raise ValidationError(
                _("%(error)s Cherchez le destinataire dans l'annuaire.")
                % {"error": " ".join(exc.messages)}
            ) from exc
        if self.recipient is None or self.recipient.identifier != siret:
            raise ValidationError(
                _(
                    "Aucune structure publique active de l'annuaire n'a le SIRET %(siret)s : "
                    "cherchez le destinataire dans l'annuaire par son nom ou sa ville."
                )
                % {"siret": siret}
            )
        return siret

    def clean(self):
        data = super().clean()
        if self.recipient is not None:
            _service, problems = rules.routing_problems(
                recipient=self.recipient,
                service_code=data.get("service_code"),
                engagement=data.get("engagement"),
            )
            self._add_problems(problems)
        return data

    # The form field of each field the shared rules (invoices.rules) speak of.
    _FIELD_OF_RULE = {
        rules.RECIPIENT: "recipient_siret",
        rules.SERVICE_CODE: "service_code",
        rules.ENGAGEMENT: "engagement",
        rules.NUMBER: "number",
        rules.PRECEDING_NUMBER: "preceding_number",
    }

    def _add_problems(self, problems) -> None:
        """Each problem on its field, unless the field has an error already."""
        for problem in problems:
            field = problem and self._FIELD_OF_RULE[problem.field]
            if problem and field not in self.errors:
                self.add_error(field, problem.message())


class InvoiceForm(RecipientReferencesForm):
    """The invoice's header: recipient, references, dates, payment. Lines are a formset."""

    type_code = forms.ChoiceField(
        label=_("Type de document"), choices=INVOICE_TYPES, initial=c.TYPE_INVOICE
    )
    preceding_number = forms.CharField(
        label=_("Numéro de la facture d'origine"),
        help_text=_("Obligatoire pour un avoir : la facture qu'il corrige."),
        max_length=NUMBER_MAX_LENGTH,
        required=False,
    )
    number = forms.CharField(
        label=_("Numéro de facture"),
        help_text=format_lazy(
            _("{max} caractères au plus, unique pour votre structure sur l'année."),
            max=NUMBER_MAX_LENGTH,
        ),
        max_length=NUMBER_MAX_LENGTH,
        error_messages={"required": _("Indiquez le numéro de la facture.")},
    )
    issue_date = forms.DateField(
        label=_("Date d'émission"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Indiquez la date d'émission de la facture."),
            "invalid": _("Indiquez une date valide, par exemple 14/03/2025."),
        },
    )
    due_date = forms.DateField(
        label=_("Date d'échéance"),
        help_text=_(
            "Sans date d'échéance, la facture renvoie au délai légal de paiement de la commande "
            "publique."
        ),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Indiquez une date valide, par exemple 13/04/2025.")},
    )
    delivery_date = forms.DateField(
        label=_("Date de livraison ou d'exécution"),
        help_text=_(
            "Si elle diffère de la date d'émission : la date de la livraison ou de la fin de "
            "la prestation (mention légale)."
        ),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Indiquez une date valide, par exemple 10/03/2025.")},
    )
    vat_exemption_reason = forms.CharField(
        label=_("Motif d'exonération de TVA"),
        help_text=_(
            "Obligatoire si une ligne est exonérée : l'article du code général des impôts, "
            "par exemple « Exonération de TVA, article 261-4-4° a du CGI »."
        ),
        max_length=300,
        required=False,
    )
    payment_terms = forms.CharField(
        label=_("Conditions de paiement"),
        help_text=_("Délai, pénalités de retard, escompte."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bank_account = forms.ChoiceField(label=_("Compte bancaire à créditer"), required=False)
    attachment_ids = forms.CharField(required=False, widget=forms.HiddenInput)
    pdf_token = forms.CharField(required=False, widget=forms.HiddenInput)
    # The rejected invoice being corrected ("corriger et renvoyer"), by id.
    replaces = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, structure: Structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.bank_accounts = {
            str(account.pk): account for account in structure.bank_accounts.filter(active=True)
        }
        self.fields["bank_account"].choices = [("", _("Aucun (paiement hors virement)"))] + [
            (pk, f"{account.label} – {account.iban}") for pk, account in self.bank_accounts.items()
        ]

    def clean_bank_account(self):
        value = self.cleaned_data["bank_account"]
        return self.bank_accounts.get(value) if value else None

    def clean(self):
        data = super().clean()
        for name in ("issue_date", "due_date", "delivery_date"):
            if data.get(name) and (reason := implausible_date(data[name])):
                self.add_error(name, capfirst(reason))
        issue = data.get("issue_date")
        self._add_problems(
            [
                rules.credit_note_problem(
                    is_credit_note=data.get("type_code") == c.TYPE_CREDIT_NOTE,
                    preceding_number=data.get("preceding_number"),
                ),
                issue
                and rules.duplicate_problem(
                    supplier=self.structure, number=data.get("number"), year=issue.year
                ),
            ]
        )
        due = data.get("due_date")
        if issue and due and due < issue:
            self.add_error(
                "due_date",
                _("La date d'échéance précède la date d'émission : corrigez l'une des deux."),
            )
        return data

    def check_lines(self, totals) -> None:
        """The rules that depend on the lines: exemption motive, the seller's VAT number."""
        if totals.has_exempt_line and not self.cleaned_data.get("vat_exemption_reason"):
            self.add_error("vat_exemption_reason", exemption_reason_missing())
        if totals.has_taxed_line and not self.structure.vat_number:
            self.add_error(
                None,
                _(
                    "Votre structure n'a pas de numéro de TVA intracommunautaire, exigé sur une "
                    "facture avec TVA : ajoutez-le dans les informations de la structure, ou "
                    "choisissez l'exonération avec son motif."
                ),
            )


def exemption_reason_missing() -> str:
    return _(
        "Une ligne est exonérée de TVA : indiquez le motif d'exonération (l'article du code "
        "général des impôts qui s'applique)."
    )


class LineForm(DsfrBaseForm):
    description = forms.CharField(
        label=_("Désignation"),
        max_length=200,
        error_messages={"required": _("Indiquez ce que facture la ligne.")},
    )
    quantity = forms.DecimalField(
        label=_("Quantité"),
        max_digits=19,
        decimal_places=4,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": _("Indiquez la quantité."),
            "invalid": _("Indiquez la quantité en chiffres, par exemple 3 ou 2,5."),
        },
    )
    unit = forms.ChoiceField(label=_("Unité"), choices=UNITS, initial="C62")
    unit_price = forms.DecimalField(
        label=_("Prix unitaire HT (€)"),
        max_digits=19,
        decimal_places=6,
        min_value=Decimal(0),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": _("Indiquez le prix unitaire hors TVA."),
            "invalid": _("Indiquez le prix en chiffres, par exemple 450 ou 8,35."),
        },
    )
    vat = forms.ChoiceField(
        label=_("TVA"),
        choices=[(code, label) for code, (_cat, _rate, label) in VAT_CHOICES.items()],
        initial="20",
    )

    # Fields a user types in: a row with none of them filled is an unused row.
    typed_fields = ("description", "quantity", "unit_price")

    @classmethod
    def defaults(cls) -> dict:
        """A blank row as the page shows it: its unit and VAT rate preselected."""
        return {name: f.initial for name, f in cls.base_fields.items() if f.initial is not None}

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity == 0:
            raise ValidationError(_("Indiquez une quantité différente de zéro."))
        return quantity

    @property
    def is_blank(self) -> bool:
        return not any((self[name].value() or "").strip() for name in self.typed_fields)

    def keyed_line(self) -> KeyedLine:
        data = self.cleaned_data
        return KeyedLine(
            description=data["description"],
            quantity=data["quantity"],
            unit=data["unit"],
            unit_price=data["unit_price"],
            vat=data["vat"],
        )


def line_formset_class(extra: int):
    return forms.formset_factory(LineForm, extra=extra)


LINES_PREFIX = "lines"


class UploadForm(DsfrBaseForm):
    file = forms.FileField(
        label=_("Fichier à déposer"),
        help_text=_(
            "Une facture Factur-X (.pdf), UBL ou CII (.xml), ou un lot de 500 factures au plus "
            "compressé en .zip ou .tar.gz."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.xml,.zip,.tar.gz,.tgz,application/pdf,application/xml"}
        ),
    )

    def __init__(self, *args, too_large: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Set when the upload was cut off at FLOW_MAX_BYTES (chorus.uploads): no file arrived.
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False

    def clean_file(self):
        if self.too_large:
            raise ValidationError(
                _(
                    "Le fichier envoyé pèse %(size)s, au-delà de la limite de %(max)s par dépôt : "
                    "il n'a pas été reçu. Découpez le lot en plusieurs dépôts."
                )
                % {
                    "size": filesizeformat(self.too_large),
                    "max": filesizeformat(settings.FLOW_MAX_BYTES),
                }
            )
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith(FLOW_EXTENSIONS):
            raise ValidationError(
                _(
                    "Le fichier « %(name)s » n'est pas d'un format accepté : déposez un PDF "
                    "Factur-X (.pdf), un XML UBL ou CII (.xml) ou un lot compressé (.zip, "
                    ".tar.gz, .tgz)."
                )
                % {"name": upload.name}
            )
        if upload.size > settings.FLOW_MAX_BYTES:
            raise ValidationError(
                _(
                    "Le fichier « %(name)s » pèse %(size)s, au-delà de la limite de %(max)s par "
                    "dépôt : découpez le lot en plusieurs dépôts."
                )
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(settings.FLOW_MAX_BYTES),
                }
            )
        if upload.size == 0:
            raise ValidationError(
                _("Le fichier « %(name)s » est vide : choisissez le bon fichier.")
                % {"name": upload.name}
            )
        return upload


class CheckForm(UploadForm):
    """One invoice to check without depositing it: the upload's checks, archives apart."""

    file = forms.FileField(
        label=_("Facture à vérifier"),
        help_text=_("Une facture Factur-X (.pdf), UBL ou CII (.xml)."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.xml,application/pdf,application/xml"}
        ),
    )

    def clean_file(self):
        upload = super().clean_file()
        if not upload.name.lower().endswith((".pdf", ".xml")):
            raise ValidationError(
                _(
                    "Le fichier « %(name)s » est un lot : vérifiez ses factures une à une, en "
                    "PDF Factur-X (.pdf) ou en XML UBL ou CII (.xml)."
                )
                % {"name": upload.name}
            )
        # Read into memory to be checked: a single invoice's limit, not a batch's.
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                _(
                    "Le fichier « %(name)s » pèse %(size)s, au-delà de la limite de %(max)s par "
                    "facture, pièces jointes comprises : allégez ses pièces jointes."
                )
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(MAX_FILE_BYTES),
                }
            )
        return upload


class _SearchForm(DsfrBaseForm):
    date_from = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class InvoiceSearchForm(_SearchForm):
    number = forms.CharField(label=_("Numéro de facture"), max_length=200, required=False)
    recipient = forms.CharField(
        label=_("Destinataire"),
        help_text=_("Nom ou SIRET"),
        max_length=250,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[("", _("Tous les statuts"))] + InvoiceStatus.choices,
        required=False,
    )
    field_order = ["number", "recipient", "status", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_from"].label = _("Émise à partir du")
        self.fields["date_to"].label = _("Émise jusqu'au")


class FlowSearchForm(_SearchForm):
    number = forms.CharField(
        label=_("Numéro de flux ou nom du fichier"), max_length=255, required=False
    )
    status = forms.ChoiceField(
        label=_("État"),
        choices=[("", _("Tous les états"))] + FlowStatus.choices,
        required=False,
    )
    field_order = ["number", "status", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_from"].label = _("Déposé à partir du")
        self.fields["date_to"].label = _("Déposé jusqu'au")


# The supplier's moves on an invoice (chorus.workflow): complete, recycle --------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several supporting documents at once, each checked against the portal's rules."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        errors = [
            error for upload in files for error in attachment_errors(upload.name, upload.size)
        ]
        if not errors and (error := attachments_total_error(sum(u.size for u in files))):
            errors.append(error)
        if errors:
            raise ValidationError(errors)
        return list(files)


class CompleteForm(DsfrBaseForm):
    """Answering a suspension: what was missing, explained, with the documents asked for."""

    comment = forms.CharField(
        label=_("Votre réponse au destinataire"),
        help_text=_("Ce que vous corrigez ou apportez, en réponse au motif de la suspension."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Expliquez au destinataire ce que vous apportez.")},
    )
    attachments = AttachmentsField(
        label=_("Pièces justificatives"),
        help_text=_(
            "PDF, images PNG ou JPEG, tableurs CSV, XLSX ou ODS ; 10 Mo au plus par fichier. "
            "Vous pouvez en choisir plusieurs."
        ),
        required=False,
    )


class RecycleForm(RecipientReferencesForm):
    """Correcting the routing of an invoice sent back: only the recipient, its service code
    and the engagement juridique change; the number stays."""

    comment = forms.CharField(
        label=_("Commentaire"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
