"""The administrators' view of the justice fees: the reference table of services and tariffs
(edited here), providers' profiles, court roles, and mémoires with their history (read only:
a mémoire moves through its services, never by hand)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justice_fees.models import (
    CourtRole,
    Memoire,
    MemoireAttachment,
    MemoireLine,
    MemoireStatusChange,
    ProviderProfile,
    Tariff,
)


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "label",
        "kind",
        "unit",
        "unit_price",
        "vat_applies",
        "demonstration",
        "active",
    ]
    list_filter = ["kind", "vat_applies", "demonstration", "active"]
    search_fields = ["code", "label"]


@admin.register(ProviderProfile)
class ProviderProfileAdmin(admin.ModelAdmin):
    list_display = ["structure", "kind", "speciality", "vat_regime"]
    list_filter = ["kind"]
    search_fields = ["structure__legal_name", "structure__identifier", "speciality"]
    raw_id_fields = ["structure"]


@admin.register(CourtRole)
class CourtRoleAdmin(admin.ModelAdmin):
    list_display = ["membership", "role", "assigned_by", "assigned_at"]
    list_filter = ["role"]
    raw_id_fields = ["membership"]
    readonly_fields = ["assigned_by", "assigned_at"]

    def save_model(self, request, obj, form, change):
        # Who gave the role, and when, as the court's roles page records it.
        obj.assigned_by = request.user
        obj.assigned_at = timezone.now()
        super().save_model(request, obj, form, change)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LineInline(_ReadOnlyInline):
    model = MemoireLine
    fields = [
        "position",
        "kind",
        "label",
        "quantity",
        "unit_price",
        "vat_rate",
        "claimed_net",
        "certified_net",
        "reduction_reason",
    ]


class AttachmentInline(_ReadOnlyInline):
    model = MemoireAttachment
    fields = ["kind", "upload", "change", "created_at"]


class HistoryInline(_ReadOnlyInline):
    model = MemoireStatusChange
    fields = [
        "at",
        "source",
        "target",
        "action",
        "actor_label",
        "actor_role",
        "channel",
        "motive",
        "comment",
    ]
    verbose_name_plural = _("historique")


@admin.register(Memoire)
class MemoireAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "provider",
        "juridiction",
        "status",
        "claimed_total",
        "certified_total",
        "deposited_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = [
        "number",
        "provider__legal_name",
        "juridiction__legal_name",
        "procedure_number",
    ]
    inlines = [LineInline, AttachmentInline, HistoryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
