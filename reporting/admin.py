"""KPI definitions and their measurements in the admin. The PMO defines KPIs on the application's
pages (with the same rules); here administrators see everything. A KPI is deactivated, not deleted,
so its history stays; a measurement entered on the wrong scope may be deleted here."""

from django.contrib import admin

from reporting.models import Kpi, Measurement


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "name_en",
        "source",
        "function",
        "unit",
        "frequency",
        "scope",
        "target",
        "on_dashboard",
        "is_active",
    ]
    list_filter = ["source", "frequency", "scope", "unit", "on_dashboard", "is_active"]
    search_fields = ["code", "name", "name_en"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = [
        "kpi",
        "period",
        "directorate",
        "project",
        "value",
        "computed",
        "entered_by",
        "entered_at",
    ]
    list_filter = ["kpi", "computed", "directorate", ("period", admin.DateFieldListFilter)]
    list_select_related = ["kpi", "directorate", "project", "entered_by"]
    search_fields = ["kpi__code", "project__code", "comment"]
    date_hierarchy = "period"

    # Values are entered and corrected on the KPI's page, which checks them and asks why.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
