from django.contrib import admin

from portfolio.models import Portfolio, Project


@admin.register(Portfolio)
class PortfolioAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "directorate", "owner"]
    search_fields = ["code", "name"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "directorate", "portfolio", "project_manager", "state", "confidential"]
    list_filter = ["state", "directorate", "portfolio", "confidential"]
    list_select_related = ["directorate", "portfolio", "project_manager"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["sponsor", "project_manager"]
