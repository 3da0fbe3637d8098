from django.contrib import admin

from pmo.admin_history import HistoryAdmin, register_history
from portfolio.models import (
    ExchangeRate,
    Milestone,
    Phase,
    Portfolio,
    Project,
    ProjectDependency,
    StatusPolicy,
    StatusReport,
)


@admin.register(StatusPolicy)
class StatusPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "grace_days"]

    def has_add_permission(self, request) -> bool:
        return not StatusPolicy.objects.exists() and super().has_add_permission(request)


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "order"]
    list_editable = ["order"]


@admin.register(Portfolio)
class PortfolioAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "directorate", "owner"]
    list_filter = ["kind", "directorate"]
    search_fields = ["code", "name"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class DependencyInline(admin.TabularInline):
    model = ProjectDependency
    fk_name = "from_project"
    extra = 0
    autocomplete_fields = ["to_project"]


@admin.register(Project)
class ProjectAdmin(HistoryAdmin):
    list_display = [
        "code",
        "name",
        "directorate",
        "portfolio",
        "project_manager",
        "phase",
        "state",
        "confidential",
    ]
    list_filter = ["state", "phase", "methodology", "directorate", "portfolio", "confidential"]
    list_select_related = ["directorate", "portfolio", "project_manager", "phase"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["sponsor", "project_manager", "team_members"]
    inlines = [MilestoneInline, DependencyInline]


@admin.register(StatusReport)
class StatusReportAdmin(HistoryAdmin):
    """Read-only: a status is corrected by a new revision from the status form, never edited in place."""

    list_display = [
        "project",
        "period",
        "revision",
        "is_latest",
        "overall_rag",
        "percent_complete",
        "submitted_by",
    ]
    list_filter = ["is_latest", "overall_rag"]
    list_select_related = ["project", "submitted_by"]
    search_fields = ["project__code", "project__name"]
    date_hierarchy = "period"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


register_history(Project, StatusReport, Milestone)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "valid_from", "rate", "reporting_currency", "updated_at"]
    list_filter = ["currency", "reporting_currency"]
    search_fields = ["currency"]
    date_hierarchy = "valid_from"
