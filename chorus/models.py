"""The platform core: users, structures and their services, memberships, engagements
juridiques, bank accounts, technical accounts, the audit trail and notifications."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus import identifiers
from chorus.enums import (
    Channel,
    EngagementStatus,
    IdentifierType,
    PublicKind,
    ReceptionChannel,
    Role,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    is_staff = models.BooleanField(
        _("administrateur"),
        default=False,
        help_text=_("Peut se connecter à l'administration de la plateforme."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    email_digest = models.BooleanField(
        _("récapitulatif quotidien"),
        default=False,
        help_text=_(
            "Recevoir un seul e-mail par jour récapitulant les événements, plutôt qu'un "
            "e-mail à chaque événement."
        ),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class StructureQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def private(self):
        return self.filter(is_public=False)

    def active(self):
        return self.filter(active=True)


class Structure(models.Model):
    """A legal entity known to the platform: a public recipient or a private supplier."""

    is_public = models.BooleanField(_("structure publique"), default=False)
    identifier_type = models.CharField(
        _("type d'identifiant"),
        max_length=20,
        choices=IdentifierType.choices,
        default=IdentifierType.SIRET,
    )
    identifier = models.CharField(_("identifiant"), max_length=80)
    legal_name = models.CharField(_("raison sociale"), max_length=250)
    address_line = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    country_code = models.CharField(_("pays"), max_length=2, default="FR")
    vat_number = models.CharField(_("numéro de TVA intracommunautaire"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail de contact"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    kind = models.CharField(_("catégorie"), max_length=30, choices=PublicKind.choices, blank=True)
    service_code_required = models.BooleanField(_("code service obligatoire"), default=False)
    ej_required = models.BooleanField(_("engagement juridique obligatoire"), default=False)
    ej_or_service_code_required = models.BooleanField(
        _("engagement juridique ou code service obligatoire"), default=False
    )
    payment_status_not_reported = models.BooleanField(
        _("statut de mise en paiement non remonté"), default=False
    )
    reception_channel = models.CharField(
        _("mode de réception des factures"),
        max_length=10,
        choices=ReceptionChannel.choices,
        default=ReceptionChannel.PORTAIL,
    )

    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_type", "identifier"], name="structure_identifier_unique"
            ),
        ]
        indexes = [models.Index(fields=["postcode"]), models.Index(fields=["city"])]

    def __str__(self):
        return f"{self.legal_name} ({self.identifier})"

    def clean(self):
        errors = {}
        try:
            self.identifier = identifiers.normalise_identifier(
                self.identifier_type, self.identifier
            )
        except ValidationError as exc:
            errors["identifier"] = exc.messages
        if self.vat_number:
            try:
                self.vat_number = identifiers.normalise_vat_number(self.vat_number)
            except ValidationError as exc:
                errors["vat_number"] = exc.messages
        if self.is_public and not self.kind:
            errors["kind"] = [_("Indiquez la catégorie de la structure publique.")]
        if not self.is_public and self.kind:
            errors["kind"] = [_("Seule une structure publique a une catégorie.")]
        if errors:
            raise ValidationError(errors)

    @property
    def required_references(self) -> str:
        """What an invoice to this recipient must carry, in words (directory, forms)."""
        if self.service_code_required and self.ej_required:
            return _("Code service et engagement juridique obligatoires")
        if self.service_code_required:
            return _("Code service obligatoire")
        if self.ej_required:
            return _("Engagement juridique obligatoire")
        if self.ej_or_service_code_required:
            return _("Engagement juridique ou code service obligatoire")
        return _("Ni code service ni engagement juridique obligatoire")


class ServiceQuerySet(models.QuerySet):
    def active_on(self, day):
        return (
            self.filter(active=True)
            .filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day))
            .filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day))
        )


class Service(models.Model):
    """A service of a structure: for a public one, the unit that receives and processes invoices."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="services", verbose_name=_("structure")
    )
    code = models.CharField(_("code service"), max_length=100)
    name = models.CharField(_("libellé"), max_length=250)
    active = models.BooleanField(_("actif"), default=True)
    valid_from = models.DateField(_("valide à partir du"), null=True, blank=True)
    valid_until = models.DateField(_("valide jusqu'au"), null=True, blank=True)
    ej_required = models.BooleanField(_("engagement juridique obligatoire"), default=False)
    payment_status_managed = models.BooleanField(
        _("gestion du statut de mise en paiement"), default=False
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["structure", "code"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "code"], name="service_code_unique"),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def clean(self):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("La fin de validité doit suivre le début de validité.")}
            )


class Membership(models.Model):
    """A user's attachment to a structure, with a role; an agent also acts for some services."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("utilisateur")
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("structure")
    )
    role = models.CharField(
        _("rôle"), max_length=30, choices=Role.choices, default=Role.UTILISATEUR
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="agents", verbose_name=_("services traités")
    )
    created_at = models.DateTimeField(_("rattaché le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rattachement")
        verbose_name_plural = _("rattachements")
        constraints = [
            models.UniqueConstraint(fields=["user", "structure"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.structure.legal_name} ({self.get_role_display()})"

    @property
    def is_manager(self) -> bool:
        return self.role in Role.managers()


class EngagementJuridique(models.Model):
    """A legal commitment (purchase order) of a public structure, referenced by invoices (BT-13)."""

    number = models.CharField(_("numéro d'engagement juridique"), max_length=50)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="engagements",
        limit_choices_to={"is_public": True},
        verbose_name=_("structure publique"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("service"),
    )
    amount = models.DecimalField(
        _("montant"), max_digits=19, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("état"), max_length=10, choices=EngagementStatus.choices, default=EngagementStatus.OUVERT
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("engagement juridique")
        verbose_name_plural = _("engagements juridiques")
        ordering = ["structure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "number"], name="ej_number_unique"),
        ]

    def __str__(self):
        return self.number

    def clean(self):
        if self.structure_id and not self.structure.is_public:
            raise ValidationError(
                {"structure": _("Un engagement juridique appartient à une structure publique.")}
            )
        if self.service_id and self.service.structure_id != self.structure_id:
            raise ValidationError({"service": _("Ce service n'appartient pas à la structure.")})


class BankAccount(models.Model):
    """Bank details of a supplier (a company, or a public structure invoicing another one),
    to be paid on (BG-17)."""

    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="bank_accounts",
        verbose_name=_("structure"),
    )
    label = models.CharField(_("libellé"), max_length=100)
    holder = models.CharField(_("titulaire du compte"), max_length=150)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11)
    active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("coordonnées bancaires")
        verbose_name_plural = _("coordonnées bancaires")
        constraints = [
            models.UniqueConstraint(fields=["structure", "iban"], name="bank_account_iban_unique"),
        ]

    def __str__(self):
        return f"{self.label} – {self.iban[:4]}…{self.iban[-4:]}"

    def clean(self):
        errors = {}
        for field, normalise in (
            ("iban", identifiers.normalise_iban),
            ("bic", identifiers.normalise_bic),
        ):
            try:
                setattr(self, field, normalise(getattr(self, field)))
            except ValidationError as exc:
                errors[field] = exc.messages
        if errors:
            raise ValidationError(errors)


class TechnicalAccount(models.Model):
    """A machine login bound to one structure, for the API (`cpro-account`) and EDI channels."""

    login = models.CharField(_("identifiant technique"), max_length=150, unique=True)
    password_hash = models.CharField(_("mot de passe (empreinte)"), max_length=128)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.CASCADE,
        related_name="technical_accounts",
        verbose_name=_("structure"),
    )
    active = models.BooleanField(_("actif"), default=True)
    ssh_public_keys = models.TextField(
        _("clés publiques SSH (EDI)"),
        blank=True,
        help_text=_(
            "Une clé par ligne, au format OpenSSH (ssh-ed25519 AAAA… commentaire) : "
            "elles ouvrent au partenaire le dépôt de flux par SFTP."
        ),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("compte technique")
        verbose_name_plural = _("comptes techniques")

    def __str__(self):
        return self.login

    def set_password(self, raw_password: str) -> None:
        self.password_hash = make_password(raw_password)

    def check_password(self, raw_password: str) -> bool:
        return check_password(raw_password, self.password_hash)

    def clean(self):
        try:
            identifiers.parse_ssh_public_keys(self.ssh_public_keys)
        except ValidationError as exc:
            raise ValidationError({"ssh_public_keys": exc.messages}) from exc


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only.")

    def delete(self):
        raise TypeError("The audit trail is append-only.")


class AuditEvent(models.Model):
    """One row per action: who did what, when, through which channel, on which object."""

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    actor_label = models.CharField(_("auteur (libellé)"), max_length=250, blank=True)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("type d'objet"), max_length=80)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64)
    object_label = models.CharField(_("objet"), max_length=250)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure concernée"),
    )
    details = models.JSONField(_("détails"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only.")


class Notification(models.Model):
    """An e-mail due to a user about one status change of a document (chorus.notifications):
    at most one per change and user, sent at once or in the user's daily digest."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("destinataire")
    )
    # The history row of the change (an InvoiceStatusChange...): any document kind's.
    change_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    change_id = models.PositiveBigIntegerField()
    subject = models.CharField(_("objet"), max_length=250)
    body = models.TextField(_("message"))
    digest = models.BooleanField(_("dans le récapitulatif quotidien"), default=False)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["change_type", "change_id", "user"], name="notification_once_per_change"
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=models.Q(sent_at__isnull=True, digest=True),
                name="notification_digest_pending",
            )
        ]

    def __str__(self):
        return f"{self.user} : {self.subject}"
