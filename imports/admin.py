from django.contrib import admin

from imports.models import ColumnMapping, Import


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "created_by", "updated_at"]
    search_fields = ["name"]
    readonly_fields = ["created_by", "updated_at"]


@admin.register(Import)
class ImportAdmin(admin.ModelAdmin):
    """Read-only: imports are made through their steps; the file itself is never offered here."""

    list_display = ["original_name", "created_by", "created_at", "state", "kind", "size"]
    list_filter = ["state", "kind"]
    search_fields = ["original_name", "created_by__username"]
    exclude = ["file", "results"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
