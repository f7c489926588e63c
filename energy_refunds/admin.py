"""The administrators keep the rates, the campaigns and the routing; requests are read here
and moved only through their pages and the API (every move goes through the workflow)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from energy_refunds.models import (
    Beneficiary,
    Campaign,
    FuelInvoice,
    InstructionOffice,
    ProductDeadline,
    Rate,
    RefundRequest,
    RefundStatusChange,
)


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = ["year", "product", "amount", "source"]
    list_filter = ["year", "product"]
    search_fields = ["source"]


class ProductDeadlineInline(admin.TabularInline):
    model = ProductDeadline
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["year", "opens_on", "closes_on", "source"]
    inlines = [ProductDeadlineInline]


@admin.register(InstructionOffice)
class InstructionOfficeAdmin(admin.ModelAdmin):
    list_display = ["departement", "structure"]
    search_fields = ["departement", "structure__legal_name"]
    autocomplete_fields = ["structure"]


@admin.register(Beneficiary)
class BeneficiaryAdmin(admin.ModelAdmin):
    """The routing is overridden here (`instructor_override`) for a beneficiary whose
    products are used mostly in another département."""

    list_display = ["structure", "kind", "instructor_override"]
    list_filter = ["kind"]
    search_fields = ["structure__legal_name", "structure__identifier"]
    autocomplete_fields = ["structure", "instructor_override"]
    raw_id_fields = ["bank_account"]


class FuelInvoiceInline(admin.TabularInline):
    model = FuelInvoice
    extra = 0
    can_delete = False
    fields = [
        "supplier_name",
        "supplier_siret",
        "number",
        "delivery_date",
        "product",
        "quantity",
        "unit",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = RefundStatusChange
    extra = 0
    can_delete = False
    fields = ["at", "source", "target", "actor_label", "actor_role", "motive", "comment", "amount"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RefundRequest)
class RefundRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "beneficiary", "year", "status", "instructor", "validated_amount"]
    list_filter = ["status", "year"]
    search_fields = [
        "reference",
        "beneficiary__structure__legal_name",
        "beneficiary__structure__identifier",
    ]
    inlines = [FuelInvoiceInline, StatusChangeInline]
    readonly_fields = [
        "reference", "beneficiary", "year", "status", "status_at", "validated_amount",
        "adjusted_amount", "adjustment_reason", "advance_deducted", "advance_amount",
        "advance_paid_at", "payment_reference", "deposited_at",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["reference", "beneficiary", "year", "status", "status_at", "deposited_at"]}),
        (_("Routage"), {"fields": ["instructor", "bank_account"]}),
        (_("Options"), {"fields": ["advance_requested", "advance_commitment", "de_minimis_declared", "de_minimis_other_aid"]}),
        (_("Décision et paiement"), {"fields": ["validated_amount", "adjusted_amount", "adjustment_reason",
                                                 "advance_deducted", "advance_amount", "advance_paid_at",
                                                 "payment_reference"]}),
    ]  # fmt: skip
    raw_id_fields = ["instructor", "bank_account"]

    def has_add_permission(self, request):
        return False
