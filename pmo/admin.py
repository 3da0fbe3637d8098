from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from pmo.models import Directorate, User


@admin.register(Directorate)
class DirectorateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "directorate", "is_active"]
    list_filter = [*BaseUserAdmin.list_filter, "directorate"]
    list_select_related = ["directorate"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Organisation"), {"fields": ["directorate", "job_title", "language"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Organisation"), {"fields": ["first_name", "last_name", "email", "directorate", "job_title"]}),
    ]
