from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.extensions import criterion_scope_choices, gate_check_choices
from governance.models import (
    Action,
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    GateCheck,
    GateCriterion,
    GateReview,
    Meeting,
    Membership,
)
from pmo.admin_history import HistoryAdmin, register_history


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Committee)
class CommitteeAdmin(HistoryAdmin):
    list_display = ["name", "code", "kind", "chair", "secretary", "cadence", "is_active"]
    list_filter = ["kind", "cadence", "is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    autocomplete_fields = ["chair", "secretary", "scope_projects"]
    inlines = [MembershipInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "kind", "title", "planned_minutes", "presenter", "project"]
    autocomplete_fields = ["presenter", "project"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ["__str__", "committee", "starts_at", "state"]
    list_filter = ["state", "committee"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, AttendanceInline]
    # A video link typed without a scheme is https, as in the meeting form (and Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Decision)
class DecisionAdmin(HistoryAdmin):
    """Read-only: the decision log is written through the meeting, and corrected by superseding; its
    history is read-only too (no revert, no change or deletion of a historical decision)."""

    list_display = ["reference", "title", "committee", "decided_on", "outcome", "implementation"]
    list_filter = ["outcome", "implementation", "committee"]
    search_fields = ["reference", "title"]
    date_hierarchy = "decided_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(HistoryAdmin):
    list_display = ["reference", "title", "owner", "due_date", "state", "committee"]
    list_filter = ["state", "origin", "committee"]
    search_fields = ["reference", "title"]
    autocomplete_fields = ["owner", "project"]
    raw_id_fields = ["meeting", "agenda_item", "decision"]


class GateCriterionForm(forms.ModelForm):
    """The automatic check is chosen among the ones other apps registered (governance.extensions)."""

    automatic_check = forms.ChoiceField(
        label=_("checked automatically"),
        required=False,
        help_text=_(
            "Blank: the committee judges the criterion; otherwise the project is checked when reviewed."
        ),
    )

    scope = forms.ChoiceField(label=_("applies to"), required=False)

    class Meta:
        model = GateCriterion
        fields = ["phase", "text", "text_en", "order", "is_active", "automatic_check", "scope"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["automatic_check"].choices = gate_check_choices()
        self.fields["scope"].choices = criterion_scope_choices()


@admin.register(GateCriterion)
class GateCriterionAdmin(admin.ModelAdmin):
    form = GateCriterionForm
    list_display = ["text", "text_en", "phase", "order", "is_active", "automatic_check", "scope"]
    list_filter = ["phase", "is_active", "scope"]
    list_editable = ["order", "is_active"]


class GateCheckInline(admin.TabularInline):
    model = GateCheck
    extra = 0


@admin.register(GateReview)
class GateReviewAdmin(admin.ModelAdmin):
    list_display = ["__str__", "committee", "state", "outcome", "requested_at"]
    list_filter = ["state", "outcome"]
    inlines = [GateCheckInline]


register_history(Committee, Meeting, Decision, Action)
