from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from rejections.models import Motive


@admin.register(Motive)
class MotiveAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "family", "outcomes", "comment_required", "active"]
    list_filter = ["family", "active", "comment_required"]
    search_fields = ["code", "label_fr", "label_en", "explanation_fr", "explanation_en"]
    ordering = ["position", "code"]
    fieldsets = [
        (None, {"fields": ["code", "family", "active", "position"]}),
        (_("Libellés"), {"fields": ["label_fr", "label_en"]}),
        (
            _("Pour le fournisseur"),
            {"fields": ["explanation_fr", "fix_fr", "explanation_en", "fix_en"]},
        ),
        (_("Usage"), {"fields": ["outcomes", "comment_required", "lifecycle_code"]}),
    ]
