"""The PMO configures the register here: the level thresholds and the categories. Risks and issues
themselves are kept through the application's pages, which record assessments and links; the admin
shows them read-only, so that the history cannot be bypassed."""

from django.contrib import admin

from pmo.admin_history import HistoryAdmin, register_history
from risks.models import Escalation, Issue, Risk, RiskAssessment, RiskCategory, RiskPolicy


@admin.register(RiskPolicy)
class RiskPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "medium_from", "high_from", "critical_from", "review_every_days"]

    def has_add_permission(self, request) -> bool:
        return not RiskPolicy.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RiskCategory)
class RiskCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "name_en"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AssessmentInline(admin.TabularInline):
    model = RiskAssessment
    extra = 0
    fields = ["assessed_at", "assessed_by", "probability", "impact", "score", "residual_score", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Risk)
class RiskAdmin(HistoryAdmin, ReadOnlyAdmin):
    list_display = ["reference", "title", "project", "owner", "score", "state", "next_review_on"]
    list_filter = ["state", "kind", "category"]
    search_fields = ["reference", "title"]
    inlines = [AssessmentInline]


@admin.register(Issue)
class IssueAdmin(HistoryAdmin, ReadOnlyAdmin):
    list_display = ["reference", "title", "project", "owner", "severity", "state", "due_date"]
    list_filter = ["state", "severity"]
    search_fields = ["reference", "title"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["risk", "committee", "escalated_at", "decision"]
    list_filter = ["committee"]


register_history(Risk, Issue)
