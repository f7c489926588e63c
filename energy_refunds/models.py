"""Farmers' refunds of energy taxes (TICPE / TICGN): beneficiaries, rates, campaigns, requests."""

from decimal import Decimal

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from chorus.enums import PublicKind
from chorus.workflow.models import StatusChange
from energy_refunds.enums import AttachmentKind, BeneficiaryKind, Product, RefundStatus, Unit


class InstructionOffice(models.Model):
    """The DDFiP that instructs the requests of a département's beneficiaries."""

    departement = models.CharField(
        _("département"), max_length=3, unique=True, help_text=_("01 à 95, 2A, 2B, 971 à 976.")
    )
    structure = models.ForeignKey(
        "chorus.Structure",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"is_public": True, "kind": PublicKind.DDFIP},
        verbose_name=_("DDFiP"),
    )

    class Meta:
        verbose_name = _("service instructeur")
        verbose_name_plural = _("services instructeurs")
        ordering = ["departement"]

    def __str__(self):
        return f"{self.departement} – {self.structure.legal_name}"

    def clean(self):
        if self.structure_id and (
            not self.structure.is_public or self.structure.kind != PublicKind.DDFIP
        ):
            raise ValidationError(
                {"structure": _("Le service instructeur est une DDFiP (structure publique).")}
            )


class Beneficiary(models.Model):
    """A farm (or CUMA, ETARF, GIE) that claims refunds: a private structure with its profile."""

    structure = models.OneToOneField(
        "chorus.Structure",
        on_delete=models.PROTECT,
        related_name="energy_beneficiary",
        limit_choices_to={"is_public": False},
        verbose_name=_("structure"),
    )
    kind = models.CharField(_("catégorie"), max_length=30, choices=BeneficiaryKind.choices)
    bank_account = models.ForeignKey(
        "chorus.BankAccount",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("compte bancaire de remboursement"),
    )
    instructor_override = models.ForeignKey(
        "chorus.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"is_public": True, "kind": PublicKind.DDFIP},
        verbose_name=_("DDFiP choisie"),
        help_text=_(
            "À renseigner seulement si la demande relève d'une autre DDFiP que celle du siège "
            "(établissement secondaire qui utilise l'essentiel des produits)."
        ),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("bénéficiaire")
        verbose_name_plural = _("bénéficiaires")

    def __str__(self):
        return self.structure.legal_name

    def clean(self):
        errors = {}
        if self.structure_id and self.structure.is_public:
            errors["structure"] = _("Le bénéficiaire est une structure privée.")
        if (
            self.bank_account_id
            and self.structure_id
            and self.bank_account.structure_id != self.structure_id
        ):
            errors["bank_account"] = _("Ce compte bancaire n'appartient pas au bénéficiaire.")
        if errors:
            raise ValidationError(errors)


class Rate(models.Model):
    """The refund per unit of a product delivered in a year, as published."""

    year = models.PositiveSmallIntegerField(_("année de livraison"))
    product = models.CharField(_("produit"), max_length=20, choices=Product.choices)
    amount = models.DecimalField(
        _("taux de remboursement (€ par unité)"),
        max_digits=9,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
    )
    source = models.CharField(_("source"), max_length=250)

    class Meta:
        verbose_name = _("taux de remboursement")
        verbose_name_plural = _("taux de remboursement")
        ordering = ["-year", "product"]
        constraints = [
            models.UniqueConstraint(fields=["year", "product"], name="refund_rate_unique"),
        ]

    def __str__(self):
        return f"{self.year} {self.get_product_display()} : {self.amount}"


class Campaign(models.Model):
    """The claiming campaign of a delivery year: when it opens, until when it runs."""

    year = models.PositiveSmallIntegerField(_("année de livraison"), unique=True)
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(
        _("date limite"), help_text=_("Pour les produits sans date limite propre.")
    )
    source = models.CharField(_("source"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("La date limite doit suivre l'ouverture.")})

    def deadline(self, product: str):
        own = next((d for d in self.deadlines.all() if d.product == product), None)
        return own.closes_on if own else self.closes_on


class ProductDeadline(models.Model):
    """A product's own deadline in a campaign (GNR 2022 deliveries: 31 Dec 2024)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("campagne")
    )
    product = models.CharField(_("produit"), max_length=20, choices=Product.choices)
    closes_on = models.DateField(_("date limite"))

    class Meta:
        verbose_name = _("date limite par produit")
        verbose_name_plural = _("dates limites par produit")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "product"], name="campaign_product_unique"),
        ]

    def __str__(self):
        return f"{self.campaign.year} {self.get_product_display()} : {self.closes_on}"


class RefundRequest(models.Model):
    """A beneficiary's claim for one delivery year: its fuel invoices, options and decision."""

    reference = models.CharField(_("numéro"), max_length=30, unique=True)
    beneficiary = models.ForeignKey(
        Beneficiary,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("bénéficiaire"),
    )
    year = models.PositiveSmallIntegerField(_("année de livraison"))
    instructor = models.ForeignKey(
        "chorus.Structure",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("DDFiP instructrice"),
    )
    status = models.CharField(
        _("statut"), max_length=30, choices=RefundStatus.choices, default=RefundStatus.BROUILLON
    )
    status_at = models.DateTimeField(_("statut depuis le"), default=timezone.now)
    advance_requested = models.BooleanField(
        _("avance demandée pour l'année suivante"), default=False
    )
    advance_commitment = models.BooleanField(_("engagement pris pour l'avance"), default=False)
    de_minimis_declared = models.BooleanField(_("déclaration de minimis"), default=False)
    de_minimis_other_aid = models.DecimalField(
        _("autres aides de minimis reçues sur trois exercices (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    bank_account = models.ForeignKey(
        "chorus.BankAccount",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("compte bancaire"),
    )
    # Decided at validation (see energy_refunds.amounts).
    adjusted_amount = models.DecimalField(
        _("montant retenu par l'instructeur"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    adjustment_reason = models.TextField(_("motif de l'ajustement"), blank=True)
    validated_amount = models.DecimalField(
        _("remboursement validé"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    advance_deducted = models.DecimalField(
        _("avance déduite"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    advance_amount = models.DecimalField(
        _("avance accordée sur l'année suivante"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    advance_paid_at = models.DateTimeField(_("avance versée le"), null=True, blank=True)
    payment_reference = models.CharField(_("référence du paiement"), max_length=60, blank=True)
    deposited_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("demande de remboursement TIC")
        verbose_name_plural = _("demandes de remboursement TIC")
        ordering = ["-year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "year"], name="refund_request_one_per_year"
            ),
        ]
        indexes = [models.Index(fields=["instructor", "status"])]

    def __str__(self):
        return f"{self.reference} ({self.year})"

    @property
    def is_editable(self) -> bool:
        return self.status in RefundStatus.editable()


def _file_name(filename: str, default: str) -> str:
    """A stored file's name from what a client sent (an invoice number may hold slashes or
    dots): one safe name inside the request's folder, else `default`."""
    flat = filename.replace("/", "-").replace("\\", "-").strip(". -")
    try:
        return get_valid_filename(flat) if flat else default
    except SuspiciousFileOperation:  # nothing usable left
        return default


def _invoice_upload_to(instance, filename: str) -> str:
    name = _file_name(filename, "facture.pdf")
    return f"energy_refunds/{instance.request.year}/{instance.request.reference}/{name}"


class FuelInvoice(models.Model):
    """One supplier invoice of fuel delivered to the beneficiary, claimed in a request."""

    request = models.ForeignKey(
        RefundRequest, on_delete=models.CASCADE, related_name="invoices", verbose_name=_("demande")
    )
    # Kept beside the request so the database itself refuses an invoice claimed twice.
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.PROTECT, related_name="+", verbose_name=_("bénéficiaire")
    )
    supplier_name = models.CharField(_("fournisseur"), max_length=250)
    supplier_siret = models.CharField(_("SIRET du fournisseur"), max_length=14)
    number = models.CharField(_("numéro de facture"), max_length=60)
    invoice_date = models.DateField(_("date de facture"))
    delivery_date = models.DateField(_("date de livraison"))
    product = models.CharField(_("produit"), max_length=20, choices=Product.choices)
    quantity = models.DecimalField(_("quantité"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unité"), max_length=10, choices=Unit.choices)
    pdf = models.FileField(_("facture (PDF)"), upload_to=_invoice_upload_to, blank=True)
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("facture de carburant")
        verbose_name_plural = _("factures de carburant")
        ordering = ["delivery_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["beneficiary", "supplier_siret", "number"],
                name="fuel_invoice_claimed_once",
            ),
        ]

    def __str__(self):
        return f"{self.supplier_name} {self.number}"


def _attachment_upload_to(instance, filename: str) -> str:
    name = _file_name(filename, "piece.pdf")
    return f"energy_refunds/{instance.request.year}/{instance.request.reference}/pieces/{name}"


class RefundStatusChange(StatusChange):
    """One move of a refund request: never updated."""

    request = models.ForeignKey(
        RefundRequest, on_delete=models.CASCADE, related_name="changes", verbose_name=_("demande")
    )
    amount = models.DecimalField(
        _("montant"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    payment_reference = models.CharField(_("référence du paiement"), max_length=60, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("changement de statut d'une demande TIC")
        verbose_name_plural = _("changements de statut des demandes TIC")


class RefundAttachment(models.Model):
    """A document joined to a request: de minimis certificate, RIB, the piece an instructor
    asked for (then tied to the change that answered the suspension)."""

    request = models.ForeignKey(
        RefundRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("demande"),
    )
    kind = models.CharField(_("nature"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("fichier"), upload_to=_attachment_upload_to)
    name = models.CharField(_("nom du fichier"), max_length=200)
    change = models.ForeignKey(
        RefundStatusChange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("ajoutée avec"),
    )
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name
