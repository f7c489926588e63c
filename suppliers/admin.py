"""Join requests in the back office: read-only, since managers decide them on the portal."""

from django.contrib import admin

from suppliers.models import JoinRequest


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "user__email",
        "structure",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status"]
    search_fields = ["user__email", "structure__legal_name", "structure__identifier"]
    list_select_related = ["user", "structure", "decided_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
