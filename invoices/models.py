"""Stored invoices: the canonical document as JSON, the columns the platform searches and
checks, and the file exactly as it was received.

Statuses and the lifecycle come with the submission work; nothing here holds a status.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from chorus.models import Service, Structure
from invoices import canonical


class DocumentSyntax(models.TextChoices):
    """The syntax the invoice was received in (see invoices.formats.detect)."""

    UBL = "ubl", _("UBL 2.1")
    CII = "cii", _("CII D16B")
    FACTURX = "facturx", _("Factur-X")


def _received_path(instance: "ReceivedFile", filename: str) -> str:
    # The received name may repeat or hold anything: a random prefix keeps paths unique.
    today = timezone.now()
    return f"invoices/received/{today:%Y/%m}/{uuid.uuid4().hex}-{get_valid_filename(filename)}"


class ReceivedFile(models.Model):
    """A file as the platform received it, byte for byte, with its SHA-256."""

    file = models.FileField(_("fichier"), upload_to=_received_path, max_length=300)
    filename = models.CharField(_("nom du fichier reçu"), max_length=255)
    content_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        verbose_name = _("fichier reçu")
        verbose_name_plural = _("fichiers reçus")

    def __str__(self):
        return self.filename


class Invoice(models.Model):
    """An invoice (or credit note) held by the platform."""

    supplier = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="issued_invoices",
        verbose_name=_("fournisseur"),
    )
    recipient = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="received_invoices",
        null=True,
        blank=True,
        verbose_name=_("destinataire"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="invoices",
        null=True,
        blank=True,
        verbose_name=_("service destinataire"),
    )
    number = models.CharField(_("numéro de facture"), max_length=200)  # BT-1
    type_code = models.CharField(_("type de document"), max_length=3)  # BT-3
    issue_date = models.DateField(_("date d'émission"))  # BT-2
    currency = models.CharField(_("devise"), max_length=3)  # BT-5
    seller_identifier = models.CharField(  # SIRET of the seller when given
        _("SIRET du vendeur"), max_length=80, blank=True, db_index=True
    )
    buyer_identifier = models.CharField(  # SIRET of the buyer when given
        _("SIRET de l'acheteur"), max_length=80, blank=True, db_index=True
    )
    buyer_reference = models.CharField(  # BT-10, the recipient's service code
        _("code service"), max_length=200, blank=True, db_index=True
    )
    order_reference = models.CharField(  # BT-13, the engagement juridique
        _("engagement juridique"), max_length=200, blank=True, db_index=True
    )
    # EN 16931 totals carry at most two decimals (BR-DEC-12 to BR-DEC-18).
    total_without_vat = models.DecimalField(  # BT-109
        _("total HT"), max_digits=19, decimal_places=2, null=True, blank=True
    )
    total_with_vat = models.DecimalField(  # BT-112
        _("total TTC"), max_digits=19, decimal_places=2, null=True, blank=True
    )
    amount_due = models.DecimalField(  # BT-115
        _("montant à payer"), max_digits=19, decimal_places=2, null=True, blank=True
    )
    syntax = models.CharField(_("syntaxe"), max_length=10, choices=DocumentSyntax.choices)
    profile = models.CharField(_("profil"), max_length=200, blank=True)
    document = models.JSONField(_("facture (modèle canonique)"))
    received_file = models.OneToOneField(
        ReceivedFile,
        on_delete=models.PROTECT,
        related_name="invoice",
        verbose_name=_("fichier reçu"),
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-created_at"]
        indexes = [
            # The duplicate rule: same supplier, same number, same issue year.
            models.Index(
                fields=["supplier", "number", "issue_date"], name="invoice_supplier_number"
            ),
            models.Index(fields=["recipient", "-created_at"], name="invoice_recipient_recent"),
            models.Index(fields=["service", "-created_at"], name="invoice_service_recent"),
        ]

    def __str__(self):
        return f"{self.number} ({self.issue_date:%d/%m/%Y})"

    @property
    def canonical(self) -> canonical.Invoice:
        """The invoice as the canonical model, rebuilt from the stored JSON."""
        return canonical.Invoice.from_dict(self.document)
