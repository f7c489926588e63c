"""Stored invoices: the canonical document as JSON, the columns the platform searches and
checks, and the file exactly as it was received.

Deposits (flows) carry invoices in: each flow and each invoice has a status, and every change
of status is a history row.
"""

import datetime
import uuid

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from chorus.models import Membership, Service, Structure, TechnicalAccount, User
from chorus.workflow.models import StatusChange
from invoices import canonical
from invoices.enums import (
    INVOICE_STAGES,
    DepositChannel,
    FlowItemStatus,
    FlowStatus,
    FlowSyntax,
    InvoiceStatus,
)


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

    def read_bytes(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()


def invoice_stage() -> models.Case:
    """The stage of an invoice's processing (enums.INVOICE_STAGES), as an SQL expression of
    its status: the inbox's tabs filter on it and two indexes hold it."""
    return models.Case(
        *(
            models.When(status__in=list(statuses), then=models.Value(stage))
            for stage, statuses in INVOICE_STAGES.items()
        ),
        default=models.Value(""),
        output_field=models.CharField(),
    )


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
    issue_year = models.PositiveSmallIntegerField(_("année d'émission"))  # the duplicate rule's key
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
    # Copied from the document at deposit so that list pages sort and filter on columns and
    # never read `document` (issue 8): the seller's name (BT-27), the due date (BT-9, or the
    # legal 30 days after the deposit when the invoice states none), whether attachments came
    # with it (BG-24, or added later), and the channel it was deposited through.
    supplier_name = models.CharField(_("nom du fournisseur"), max_length=250, blank=True)
    due_date = models.DateField(_("échéance"))
    has_attachments = models.BooleanField(_("avec pièces jointes"), default=False)
    channel = models.CharField(
        _("canal de dépôt"), max_length=10, choices=DepositChannel.choices, blank=True
    )
    syntax = models.CharField(_("syntaxe"), max_length=10, choices=DocumentSyntax.choices)
    profile = models.CharField(_("profil"), max_length=200, blank=True)
    document = models.JSONField(_("facture (modèle canonique)"))
    status = models.CharField(
        _("statut"), max_length=40, choices=InvoiceStatus.choices, default=InvoiceStatus.DEPOSEE
    )
    status_at = models.DateTimeField(_("statut au"), default=timezone.now)
    rejection_acknowledged_at = models.DateTimeField(_("rejet traité le"), null=True, blank=True)
    # The rejected invoice this one corrects ("corriger et renvoyer"): previous and next
    # document, read both ways (`corrections` on the rejected one).
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("remplace la facture rejetée"),
    )
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
        constraints = [
            # The duplicate rule (CPP-011) held by the database too: concurrent deposits of
            # the same number cannot both get in.
            models.UniqueConstraint(
                fields=["supplier", "number", "issue_year"], name="invoice_number_once_a_year"
            ),
        ]
        # The inbox (invoices.channels.backoffice.search) and the supplier's list read pages
        # by keyset (chorus.pagination): each sort is (key, id) within the recipient, the
        # status tab or the service; an index serves both directions.
        indexes = [
            models.Index(fields=["recipient", "created_at", "id"], name="invoice_inbox_deposit"),
            # A tab (several statuses) read in order needs one value to range over: the
            # stage, an expression of the status (`invoice_stage`).
            models.Index(
                F("recipient"),
                invoice_stage(),
                F("created_at"),
                F("id"),
                name="invoice_inbox_stage",
            ),
            models.Index(
                F("recipient"),
                invoice_stage(),
                F("due_date"),
                F("id"),
                name="invoice_inbox_stage_due",
            ),
            models.Index(fields=["recipient", "due_date", "id"], name="invoice_inbox_due"),
            models.Index(fields=["recipient", "total_with_vat", "id"], name="invoice_inbox_amount"),
            models.Index(
                fields=["recipient", "supplier_name", "id"], name="invoice_inbox_supplier"
            ),
            models.Index(fields=["service", "created_at", "id"], name="invoice_service"),
            # What waits for the agents, by how long (the dashboard): each status's invoices
            # by date of their status, with the service and the deposit date at hand.
            models.Index(
                fields=["recipient", "status", "status_at"],
                include=["service", "created_at", "id"],
                name="invoice_waiting",
            ),
            models.Index(fields=["supplier", "created_at", "id"], name="invoice_supplier_recent"),
            # A supplier's invoices in one status over some dates: the inbox's search by supplier,
            # the supplier's own list by status.
            models.Index(
                fields=["supplier", "status", "created_at", "id"], name="invoice_supplier_status"
            ),
        ]

    def __str__(self):
        return f"{self.number} ({self.issue_date:%d/%m/%Y})"

    @property
    def canonical(self) -> canonical.Invoice:
        """The invoice as the canonical model, rebuilt from the stored JSON."""
        return canonical.Invoice.from_dict(self.document)


def default_due_date(document: canonical.Invoice, deposited: datetime.date) -> datetime.date:
    """The invoice's due date (BT-9), or the legal payment delay of 30 days from its deposit."""
    return document.due_date or deposited + datetime.timedelta(days=LEGAL_PAYMENT_DAYS)


# The public buyer's legal payment delay (code de la commande publique, R. 2192-10).
LEGAL_PAYMENT_DAYS = 30


class InvoiceCount(models.Model):
    """How many invoices a recipient holds in each status, per service (`service_key`, the
    service's id, 0 for none): kept in the transaction of every move and deposit
    (invoices.counts), so the inbox's tabs never count the invoices table."""

    recipient = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+")
    service_key = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=40, choices=InvoiceStatus.choices)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "service_key", "status"], name="invoice_count_once"
            )
        ]

    def __str__(self):
        return f"{self.recipient_id}/{self.service_key}/{self.status}: {self.count}"


class InboxView(models.Model):
    """An agent's default view of the inbox: the search (query string) shown when they open
    it without one."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="inbox_view"
    )
    query = models.CharField(_("recherche"), max_length=2000)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("vue par défaut des factures reçues")
        verbose_name_plural = _("vues par défaut des factures reçues")

    def __str__(self):
        return f"{self.membership_id}: {self.query}"


class InvoiceStatusChange(StatusChange):
    """One move of an invoice (chorus.workflow), never updated."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="history")
    target = models.CharField(_("nouveau statut"), max_length=40, choices=InvoiceStatus.choices)
    mandate_number = models.CharField(_("numéro de mandat"), max_length=50, blank=True)
    lines = models.JSONField(
        _("lignes concernées"),
        default=list,
        blank=True,
        help_text=_("Les identifiants (BT-126) des lignes de la facture visées par le motif."),
    )
    disputed_amount = models.DecimalField(
        _("montant contesté"), max_digits=19, decimal_places=2, null=True, blank=True
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("changement de statut de facture")
        verbose_name_plural = _("historique des statuts de factures")
        indexes = [models.Index(fields=["target", "at"], name="invoice_change_target_at")]

    def __str__(self):
        return f"{self.invoice} {self.source or '∅'} → {self.target}"


class Flow(models.Model):
    """A deposit (flux): one file received through a channel, holding one invoice or a batch."""

    number = models.CharField(_("numéro de flux"), max_length=30, unique=True)
    channel = models.CharField(_("canal de dépôt"), max_length=10, choices=DepositChannel.choices)
    syntax = models.CharField(
        _("syntaxe du flux"), max_length=40, choices=FlowSyntax.choices, blank=True
    )
    filename = models.CharField(_("nom du fichier"), max_length=255)
    received_file = models.OneToOneField(
        ReceivedFile, on_delete=models.PROTECT, related_name="flow", verbose_name=_("fichier reçu")
    )
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="flows",
        verbose_name=_("structure déposante"),
    )
    submitted_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flows",
        verbose_name=_("déposé par"),
    )
    technical_account = models.ForeignKey(
        TechnicalAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flows",
        verbose_name=_("compte technique"),
    )
    # The account whose byte-identical re-sends are recognised: "user:<id>" or "account:<id>".
    depositor_key = models.CharField(max_length=40)
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    status = models.CharField(
        _("état"), max_length=40, choices=FlowStatus.choices, default=FlowStatus.RECU
    )
    status_at = models.DateTimeField(_("état au"), default=timezone.now)
    errors = models.JSONField(_("erreurs du flux"), default=list, blank=True)
    # A keyed correction of a rejected invoice: the invoice this deposit makes replaces it.
    replaces = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrige la facture rejetée"),
    )
    created_at = models.DateTimeField(_("déposé le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("flux")
        verbose_name_plural = _("flux")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["depositor_key", "sha256"], name="flow_resent_once"),
        ]
        indexes = [
            models.Index(fields=["structure", "created_at", "id"], name="flow_structure_keyset"),
            models.Index(fields=["status", "status_at"], name="flow_status"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_final(self) -> bool:
        return self.status in FlowStatus.final()


class FlowStatusChange(StatusChange):
    """One move of a flow (chorus.workflow), never updated."""

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="history")
    target = models.CharField(_("nouvel état"), max_length=40, choices=FlowStatus.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("changement d'état de flux")
        verbose_name_plural = _("historique des états de flux")

    def __str__(self):
        return f"{self.flow} {self.source or '∅'} → {self.target}"


class FlowItem(models.Model):
    """One invoice of a flow: the file it came in, its result and what was found."""

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("rang dans le flux"))
    name = models.CharField(_("nom du fichier"), max_length=255)
    received_file = models.ForeignKey(
        ReceivedFile,
        on_delete=models.PROTECT,
        related_name="flow_items",
        verbose_name=_("fichier reçu"),
    )
    status = models.CharField(
        _("résultat"),
        max_length=12,
        choices=FlowItemStatus.choices,
        default=FlowItemStatus.EN_ATTENTE,
    )
    format = models.CharField(_("format"), max_length=10, blank=True)
    profile = models.CharField(_("profil"), max_length=200, blank=True)
    findings = models.JSONField(_("constats"), default=list, blank=True)
    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="flow_item"
    )
    processed_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    # Tries so far, counted as each begins: bounds a message that keeps failing.
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)

    class Meta:
        verbose_name = _("facture du flux")
        verbose_name_plural = _("factures du flux")
        ordering = ["flow", "position"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "position"], name="flow_item_position_unique"),
        ]
        indexes = [models.Index(fields=["flow", "status"], name="flow_item_status")]

    def __str__(self):
        return f"{self.flow.number} #{self.position} {self.name}"


class AttachmentUpload(models.Model):
    """A supporting document uploaded before the invoice that carries it (`ajouter/fichier`,
    portal attachments); the invoice then embeds it (BG-24)."""

    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="attachment_uploads",
        verbose_name=_("structure"),
    )
    uploaded_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    technical_account = models.ForeignKey(
        TechnicalAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_file = models.OneToOneField(
        ReceivedFile, on_delete=models.PROTECT, related_name="attachment_upload"
    )
    name = models.CharField(_("nom"), max_length=50)
    mime_type = models.CharField(_("type MIME"), max_length=100)
    created_at = models.DateTimeField(_("déposée le"), default=timezone.now)

    class Meta:
        verbose_name = _("pièce jointe déposée")
        verbose_name_plural = _("pièces jointes déposées")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name


class InvoiceAttachment(models.Model):
    """A supporting document added to an invoice after its deposit (completing a suspended
    invoice), with the move it came with."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="added_attachments")
    upload = models.OneToOneField(
        AttachmentUpload, on_delete=models.PROTECT, related_name="invoice_attachment"
    )
    change = models.ForeignKey(
        InvoiceStatusChange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("avec le changement de statut"),
    )
    created_at = models.DateTimeField(_("ajoutée le"), default=timezone.now)

    class Meta:
        verbose_name = _("pièce complémentaire")
        verbose_name_plural = _("pièces complémentaires")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.upload.name


class InvoiceDraft(models.Model):
    """An invoice being keyed in the portal, saved as the form holds it until submitted."""

    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="invoice_drafts",
        verbose_name=_("structure"),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="invoice_drafts", verbose_name=_("créé par")
    )
    data = models.JSONField(_("saisie"), default=dict)
    flow = models.OneToOneField(
        Flow,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="draft",
        verbose_name=_("flux déposé"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("brouillon de facture")
        verbose_name_plural = _("brouillons de factures")
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return f"{self.data.get('number') or _('Brouillon')} ({self.structure.legal_name})"


class StatusFile(models.Model):
    """A file of invoice statuses a recipient's systems deposited on the EDI server's in/
    (invoices.channels.edi.status_files), with the result of each of its lines."""

    technical_account = models.ForeignKey(
        TechnicalAccount,
        on_delete=models.PROTECT,
        related_name="status_files",
        verbose_name=_("compte technique"),
    )
    received_file = models.OneToOneField(
        ReceivedFile,
        on_delete=models.PROTECT,
        related_name="status_file",
        verbose_name=_("fichier reçu"),
    )
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    # The names it was uploaded under: a byte-identical re-send gets the same report again.
    uploaded_names = models.JSONField(_("noms déposés"), default=list)
    # One entry per line processed, written with the line's move: a task run again after a
    # crash resumes after the last line recorded.
    results = models.JSONField(_("résultats par ligne"), default=list, blank=True)
    error = models.TextField(_("erreur du fichier"), blank=True)
    processed_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    created_at = models.DateTimeField(_("reçu le"), default=timezone.now)

    class Meta:
        verbose_name = _("fichier de statuts")
        verbose_name_plural = _("fichiers de statuts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["technical_account", "sha256"], name="status_file_resent_once"
            ),
        ]

    def __str__(self):
        return self.uploaded_names[0] if self.uploaded_names else str(self.pk)


class CheckCount(models.Model):
    """How many invoices a structure checked without depositing them on one day (issue 9 §5),
    and how many of those would have been refused: the only trace a check leaves."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    checks = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["structure", "day"], name="check_count_once_a_day")
        ]

    def __str__(self):
        return f"{self.structure} {self.day}: {self.checks} ({self.refused})"
