from django.contrib import admin

from rejections.models import Motive


@admin.register(Motive)
class MotiveAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "family", "outcomes", "comment_required", "active"]
    list_filter = ["family", "active", "comment_required"]
    search_fields = ["code", "label_fr", "label_en"]
    ordering = ["position", "code"]
