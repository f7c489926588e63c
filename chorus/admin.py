"""The platform administrators' back office: structures, users, accounts and the audit trail.

Every save goes through the model's full_clean (the ModelForm calls it, so an invalid SIRET, VAT
number or IBAN is shown on its field) and appends a row to the audit trail.
"""

import dsfr.admin
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.models import DsfrConfig, DsfrSocialMedia
from oauth2_provider.models import get_application_admin_class, get_application_model

from chorus.directory_csv import COLUMNS, directory_export, directory_import
from chorus.enums import Channel
from chorus.models import (
    AuditEvent,
    BankAccount,
    EngagementJuridique,
    Membership,
    Notification,
    Service,
    Structure,
    TechnicalAccount,
    User,
)
from chorus.services import audit_record

admin.site.site_header = _("Administration de Chorus libre")
admin.site.site_title = _("Chorus libre")
admin.site.index_title = _("Administration de la plateforme")
# The pages keep their whole width at 1280 px (lists with their filters, the structure page
# with its services inline); the index and breadcrumbs lead everywhere the sidebar did.
admin.site.enable_nav_sidebar = False
# The portal overrides registration/password_change_*.html; the admin keeps pages of its own.
admin.site.password_change_template = "admin/password_change.html"
admin.site.password_change_done_template = "admin/password_change_done.html"


def _action_name(obj, verb: str) -> str:
    return f"{obj._meta.model_name}_{verb}"


class AuditedAdmin(admin.ModelAdmin):
    """Records every change made in the admin, in the same transaction as the change."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=_action_name(obj, "admin_change" if change else "admin_add"),
            target=obj,
            channel=Channel.ADMIN,
            details={"fields": form.changed_data},
        )

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user,
            action=_action_name(obj, "admin_delete"),
            target=obj,
            channel=Channel.ADMIN,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(
                actor=request.user,
                action=_action_name(obj, "admin_delete"),
                target=obj,
                channel=Channel.ADMIN,
            )
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        for deleted in formset.deleted_forms:
            if deleted.instance.pk is not None:
                audit_record(
                    actor=request.user,
                    action=_action_name(deleted.instance, "admin_delete"),
                    target=deleted.instance,
                    channel=Channel.ADMIN,
                )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_record(
                actor=request.user,
                action=_action_name(obj, "admin_add"),
                target=obj,
                channel=Channel.ADMIN,
            )
        for obj, fields in formset.changed_objects:
            audit_record(
                actor=request.user,
                action=_action_name(obj, "admin_change"),
                target=obj,
                channel=Channel.ADMIN,
                details={"fields": fields},
            )


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline names its fields in column headers only, which assistive technologies
    do not tie to the inputs: each input also carries its label."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for field in formset.form.base_fields.values():
            field.widget.attrs["aria-label"] = str(field.label)
        return formset


class ServiceInline(LabelledTabularInline):
    model = Service
    extra = 1
    fields = (
        "code",
        "name",
        "active",
        "valid_from",
        "valid_until",
        "ej_required",
        "payment_status_managed",
    )


class DirectoryImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV de l'annuaire"),
        help_text=_("Encodé en UTF-8, séparateur « ; » ou « , », ligne d'en-tête obligatoire."),
    )


@admin.register(Structure)
class StructureAdmin(AuditedAdmin):
    inlines = [ServiceInline]
    list_display = (
        "legal_name",
        "identifier",
        "is_public",
        "kind",
        "city",
        "reception_channel",
        "active",
    )
    list_filter = (
        "is_public",
        "kind",
        "active",
        "service_code_required",
        "ej_required",
        "ej_or_service_code_required",
        "payment_status_not_reported",
        "reception_channel",
    )
    search_fields = ("identifier", "legal_name", "city", "postcode")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (
            _("Identification"),
            {"fields": ("is_public", "kind", "identifier_type", "identifier", "legal_name")},
        ),
        (
            _("Coordonnées"),
            {
                "fields": (
                    "address_line",
                    "postcode",
                    "city",
                    "country_code",
                    "vat_number",
                    "email",
                )
            },
        ),
        (
            _("Paramètres de réception des factures"),
            {
                "fields": (
                    "service_code_required",
                    "ej_required",
                    "ej_or_service_code_required",
                    "payment_status_not_reported",
                    "reception_channel",
                )
            },
        ),
        (_("État"), {"fields": ("active", "created_at", "updated_at")}),
    )

    def get_urls(self):
        return [
            path(
                "importer/",
                self.admin_site.admin_view(self.import_view),
                name="chorus_structure_import",
            ),
            path(
                "exporter/",
                self.admin_site.admin_view(self.export_view),
                name="chorus_structure_export",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        report = None
        if request.method == "POST":
            form = DirectoryImportForm(request.POST, request.FILES)
            if form.is_valid():
                report = directory_import(
                    file=form.cleaned_data["file"], actor=request.user, channel=Channel.ADMIN
                )
                if report.file_error:
                    form.add_error("file", report.file_error)
                elif report.errors:
                    self.message_user(
                        request,
                        _(
                            "Import terminé avec des lignes refusées : corrigez-les puis réimportez."
                        ),
                        messages.WARNING,
                    )
                else:
                    self.message_user(request, _("Import terminé sans erreur."), messages.SUCCESS)
        else:
            form = DirectoryImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Importer l'annuaire des structures publiques"),
            "form": form,
            "report": report,
            "columns": COLUMNS,
            "changelist_url": reverse("admin:chorus_structure_changelist"),
        }
        return TemplateResponse(request, "admin/chorus/structure/import.html", context)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"annuaire-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        directory_export(stream=response)
        return response


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    list_display = ("code", "name", "structure", "active", "ej_required")
    list_filter = ("active", "ej_required", "payment_status_managed")
    search_fields = ("code", "name", "structure__identifier", "structure__legal_name")
    autocomplete_fields = ("structure",)
    list_select_related = ("structure",)


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "structure", "role", "services")

    def clean(self):
        cleaned = super().clean()
        structure, services = cleaned.get("structure"), cleaned.get("services")
        if structure and services:
            foreign = [service.code for service in services if service.structure_id != structure.pk]
            if foreign:
                self.add_error(
                    "services",
                    _(
                        "Ces services n'appartiennent pas à %(structure)s : %(codes)s. "
                        "Retirez-les, ou choisissez leur structure."
                    )
                    % {"structure": structure.legal_name, "codes": ", ".join(foreign)},
                )
        return cleaned


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    form = MembershipForm
    list_display = ("user", "structure", "role", "created_at")
    list_filter = ("role", "structure__is_public")
    search_fields = ("user__email", "structure__identifier", "structure__legal_name")
    autocomplete_fields = ("user", "structure", "services")
    list_select_related = ("user", "structure")


@admin.register(EngagementJuridique)
class EngagementJuridiqueAdmin(AuditedAdmin):
    list_display = ("number", "structure", "service", "amount", "status")
    list_filter = ("status",)
    search_fields = ("number", "structure__identifier", "structure__legal_name")
    autocomplete_fields = ("structure", "service")
    list_select_related = ("structure", "service")


@admin.register(BankAccount)
class BankAccountAdmin(AuditedAdmin):
    list_display = ("label", "structure", "holder", "iban", "bic", "active")
    list_filter = ("active",)
    search_fields = ("iban", "holder", "structure__identifier", "structure__legal_name")
    autocomplete_fields = ("structure",)
    list_select_related = ("structure",)


class TechnicalAccountForm(forms.ModelForm):
    """Sets or resets the password; the stored hash is never shown."""

    password = forms.CharField(
        label=_("Nouveau mot de passe"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        strip=False,
        help_text=_("Laissez vide pour conserver le mot de passe actuel."),
    )

    class Meta:
        model = TechnicalAccount
        # The SSH keys open the EDI channel (SFTP) to the partner; checked by the model.
        fields = ("login", "structure", "active", "ssh_public_keys")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("password"):
            self.add_error(
                "password", _("Choisissez le mot de passe du compte technique à sa création.")
            )
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("password"):
            self.instance.set_password(self.cleaned_data["password"])
        return super().save(commit)


@admin.register(TechnicalAccount)
class TechnicalAccountAdmin(AuditedAdmin):
    form = TechnicalAccountForm
    list_display = ("login", "structure", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("login", "structure__identifier", "structure__legal_name")
    autocomplete_fields = ("structure",)
    list_select_related = ("structure",)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    # Plain multiple selects: the dual "filter" widget's search icons break ARIA rules.
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "phone")}),
        (_("Notifications"), {"fields": ("email_digest",)}),
        (
            _("Droits"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail is append-only: readable here, never added, changed or deleted."""

    list_display = ("at", "actor_label", "channel", "action", "object_type", "object_label")
    list_filter = ("channel", "object_type")
    search_fields = ("object_label", "object_id", "actor_label", "actor__email", "action")
    date_hierarchy = "at"
    list_select_related = ("actor",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What was (or is still to be) e-mailed to whom: read-only, for support."""

    list_display = ("created_at", "user", "subject", "digest", "sent_at")
    list_filter = ("digest", ("sent_at", admin.EmptyFieldListFilter))
    search_fields = ("user__email", "subject")
    date_hierarchy = "created_at"
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Libraries' admin pages -------------------------------------------------------------------
# Re-registered so that they meet the same rules as the platform's: labelled inline fields,
# plain selects, no link to a page the platform does not serve.


class GroupAdmin(DjangoGroupAdmin):
    filter_horizontal = ()


class ApplicationAdmin(get_application_admin_class()):
    # The model's "view on site" names a django-oauth-toolkit page the platform does not serve.
    view_on_site = False


class DsfrSocialMediaInline(LabelledTabularInline):
    model = DsfrSocialMedia
    readonly_fields = ("id",)
    extra = 1


class DsfrConfigAdmin(dsfr.admin.DsfrConfigAdmin):
    inlines = [DsfrSocialMediaInline]


for model, model_admin in (
    (Group, GroupAdmin),
    (get_application_model(), ApplicationAdmin),
    (DsfrConfig, DsfrConfigAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
