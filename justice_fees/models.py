"""Mémoires de frais de justice: who files them (providers' profiles), who processes them
(court roles), the reference table of services and tariffs, the mémoire with its lines and
attachments, and its history on the workflow core."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.enums import Channel
from chorus.models import Membership, Service, Structure, TechnicalAccount, User
from chorus.workflow.models import StatusChange
from invoices.models import AttachmentUpload, FlowItem
from justice_fees.enums import (
    AttachmentKind,
    CourtRoleKind,
    DecisionKind,
    LineKind,
    MemoireStatus,
    ProviderKind,
    TariffUnit,
    VatRegime,
)

MONEY = {"max_digits": 19, "decimal_places": 2}


class ProviderProfile(models.Model):
    """What kind of prestataire de justice a supplier structure is."""

    structure = models.OneToOneField(
        Structure,
        on_delete=models.CASCADE,
        related_name="justice_profile",
        limit_choices_to={"is_public": False},
        verbose_name=_("structure"),
    )
    kind = models.CharField(_("qualité"), max_length=20, choices=ProviderKind.choices)
    speciality = models.CharField(
        _("spécialité"),
        max_length=150,
        blank=True,
        help_text=_("Par exemple : médecine légale, automobile, russe et ukrainien."),
    )
    vat_regime = models.CharField(
        _("régime de TVA habituel"),
        max_length=20,
        choices=VatRegime.choices,
        default=VatRegime.FRANCHISE,
        help_text=_("Pré-rempli dans chaque mémoire, qui peut le modifier."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("profil de prestataire de justice")
        verbose_name_plural = _("profils de prestataires de justice")

    def __str__(self):
        return f"{self.structure.legal_name} – {self.get_kind_display()}"


class CourtRole(models.Model):
    """A court member's role for mémoires (agent or certifying magistrate), assigned by the
    court's manager; kept beside the membership rather than in it, as only courts need it."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="court_role", verbose_name=_("membre")
    )
    role = models.CharField(_("rôle"), max_length=20, choices=CourtRoleKind.choices)
    assigned_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attribué par"),
    )
    assigned_at = models.DateTimeField(_("attribué le"), default=timezone.now)

    class Meta:
        verbose_name = _("rôle en juridiction")
        verbose_name_plural = _("rôles en juridiction")

    def __str__(self):
        return f"{self.membership.user} – {self.get_role_display()}"


class Tariff(models.Model):
    """One entry of the reference table of services and tariffs."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("libellé"), max_length=200)
    kind = models.CharField(
        _("nature"), max_length=20, choices=LineKind.choices, default=LineKind.PRESTATION
    )
    unit = models.CharField(_("unité"), max_length=10, choices=TariffUnit.choices)
    unit_price = models.DecimalField(
        _("prix unitaire (HT)"),
        null=True,
        blank=True,
        help_text=_("Vide : montant libre, saisi par le prestataire."),
        **MONEY,
    )
    vat_applies = models.BooleanField(
        _("soumis à TVA"), default=True, help_text=_("Les débours sont exonérés de TVA.")
    )
    reference = models.CharField(
        _("référence"),
        max_length=200,
        blank=True,
        help_text=_("Le texte qui fixe le tarif (article R. du code de procédure pénale...)."),
    )
    demonstration = models.BooleanField(
        _("valeur de démonstration"),
        default=False,
        help_text=_("Tarif fictif de démonstration, qui ne reprend pas un tarif légal."),
    )
    active = models.BooleanField(_("actif"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("tarif de frais de justice")
        verbose_name_plural = _("référentiel des prestations et tarifs")
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code} – {self.label}"

    @property
    def is_free_amount(self) -> bool:
        return self.unit_price is None


class Memoire(models.Model):
    """A mémoire de frais de justice: kept as a draft (BROUILLON) while it is keyed in."""

    provider = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="memoires",
        verbose_name=_("prestataire"),
    )
    juridiction = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="memoires_received",
        limit_choices_to={"is_public": True},
        verbose_name=_("juridiction"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memoires",
        verbose_name=_("service"),
    )
    number = models.CharField(_("numéro du mémoire"), max_length=40)
    status = models.CharField(
        _("statut"), max_length=40, choices=MemoireStatus.choices, default=MemoireStatus.BROUILLON
    )
    status_at = models.DateTimeField(_("statut depuis le"), default=timezone.now)
    decision_kind = models.CharField(
        _("décision de désignation"), max_length=30, choices=DecisionKind.choices
    )
    decision_date = models.DateField(_("date de la décision"))
    procedure_number = models.CharField(
        _("numéro de procédure"), max_length=60, help_text=_("Numéro de parquet, RG ou PV.")
    )
    requester = models.CharField(
        _("magistrat ou officier requérant"),
        max_length=150,
        help_text=_("Nom et qualité, tels qu'ils figurent sur la décision."),
    )
    mission_end_date = models.DateField(_("fin de la mission"))
    vat_regime = models.CharField(
        _("régime de TVA"), max_length=20, choices=VatRegime.choices, default=VatRegime.FRANCHISE
    )
    step = models.PositiveSmallIntegerField(_("étape atteinte"), default=1)
    claimed_net = models.DecimalField(_("montant demandé HT"), default=0, **MONEY)
    claimed_vat = models.DecimalField(_("TVA demandée"), default=0, **MONEY)
    claimed_total = models.DecimalField(_("montant demandé TTC"), default=0, **MONEY)
    certified_net = models.DecimalField(_("montant certifié HT"), null=True, blank=True, **MONEY)
    certified_vat = models.DecimalField(_("TVA certifiée"), null=True, blank=True, **MONEY)
    certified_total = models.DecimalField(_("montant certifié TTC"), null=True, blank=True, **MONEY)
    channel = models.CharField(
        _("canal de dépôt"), max_length=10, choices=Channel.choices, default=Channel.PORTAIL
    )
    created_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    technical_account = models.ForeignKey(
        TechnicalAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Deposited by an E3 flow (justice_fees.edi): the flow's item it came in, once.
    flow_item = models.OneToOneField(
        FlowItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memoire",
        verbose_name=_("reçu dans le flux"),
    )
    created_at = models.DateTimeField(_("saisie commencée le"), default=timezone.now)
    deposited_at = models.DateTimeField(_("déposé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("mémoire de frais de justice")
        verbose_name_plural = _("mémoires de frais de justice")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "number"], name="memoire_number_unique_per_provider"
            ),
        ]
        indexes = [models.Index(fields=["juridiction", "status", "deposited_at"])]

    def __str__(self):
        return self.number

    @property
    def is_draft(self) -> bool:
        return self.status == MemoireStatus.BROUILLON


class MemoireStatusChange(StatusChange):
    """One move of a mémoire (chorus.workflow), never updated."""

    memoire = models.ForeignKey(Memoire, on_delete=models.CASCADE, related_name="history")
    target = models.CharField(_("nouveau statut"), max_length=40, choices=MemoireStatus.choices)
    certified_total = models.DecimalField(_("montant certifié TTC"), null=True, blank=True, **MONEY)

    class Meta(StatusChange.Meta):
        verbose_name = _("changement de statut de mémoire")
        verbose_name_plural = _("historique des statuts de mémoires")

    def __str__(self):
        return f"{self.memoire} {self.source or '∅'} → {self.target}"


class MemoireLine(models.Model):
    """One service, cost or disbursement claimed; the magistrate may certify less, with a
    reason."""

    memoire = models.ForeignKey(Memoire, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("rang"))
    kind = models.CharField(_("nature"), max_length=20, choices=LineKind.choices)
    tariff = models.ForeignKey(
        Tariff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tarif"),
    )
    label = models.CharField(_("libellé"), max_length=200)
    quantity = models.DecimalField(_("quantité"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unité"), max_length=10, choices=TariffUnit.choices)
    unit_price = models.DecimalField(_("prix unitaire HT"), **MONEY)
    vat_rate = models.DecimalField(_("taux de TVA"), max_digits=5, decimal_places=2, default=0)
    claimed_net = models.DecimalField(_("montant demandé HT"), **MONEY)
    certified_net = models.DecimalField(_("montant certifié HT"), null=True, blank=True, **MONEY)
    reduction_reason = models.TextField(_("motif de la réduction"), blank=True)

    class Meta:
        verbose_name = _("ligne de mémoire")
        verbose_name_plural = _("lignes de mémoire")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["memoire", "position"], name="memoire_line_position")
        ]

    def __str__(self):
        return f"{self.memoire} #{self.position} {self.label}"

    @property
    def is_reduced(self) -> bool:
        return self.certified_net is not None and self.certified_net < self.claimed_net


class MemoireAttachment(models.Model):
    """A document of the mémoire, kept through the platform's uploads (the bytes as sent)."""

    memoire = models.ForeignKey(Memoire, on_delete=models.CASCADE, related_name="attachments")
    upload = models.OneToOneField(
        AttachmentUpload, on_delete=models.PROTECT, related_name="memoire_attachment"
    )
    kind = models.CharField(_("nature de la pièce"), max_length=20, choices=AttachmentKind.choices)
    change = models.ForeignKey(
        MemoireStatusChange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("avec le changement de statut"),
    )
    created_at = models.DateTimeField(_("ajoutée le"), default=timezone.now)

    class Meta:
        verbose_name = _("pièce jointe de mémoire")
        verbose_name_plural = _("pièces jointes de mémoires")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.upload.name
