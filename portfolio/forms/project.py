from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo.forms import ModelMultipleChoiceField
from pmo.models import User
from pmo.roles import Role
from portfolio.models import Project

DATE_FIELDS = ("baseline_start", "baseline_end", "forecast_start", "forecast_end")
# What the project's baseline holds: once it has one (baseline_version > 0), they change only through an
# approved change request, never on the sheet.
BASELINE_FIELDS = ("baseline_start", "baseline_end", "budget")


class ProjectForm(forms.ModelForm):
    """The PMO's project sheet.

    When editing, every field also posts the value it was loaded with
    (`initial-<name>`), so that a conflicting save can name what someone else changed.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "description",
            "directorate",
            "portfolio",
            "phase",
            "methodology",
            "priority",
            "strategic_objective",
            "state",
            "project_manager",
            "sponsor",
            "team_members",
            *DATE_FIELDS,
            "budget",
            "currency",
            "confidential",
        ]
        widgets = {
            **{name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in DATE_FIELDS},
            "description": forms.Textarea(attrs={"rows": 3}),
            "team_members": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {"code": _("PRJ- followed by digits, for example PRJ-0042.")}
        field_classes = {"team_members": ModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
        managers = User.objects.with_role(Role.PROJECT_MANAGER)
        if self.instance.project_manager_id:
            # A manager who has since lost the role must not make the sheet unsavable.
            managers = User.objects.filter(pk__in=managers.values("pk")) | User.objects.filter(
                pk=self.instance.project_manager_id
            )
        self.fields["project_manager"].queryset = managers.order_by("last_name", "first_name", "username")
        self.fields["sponsor"].queryset = people
        self.fields["team_members"].queryset = people
        self.fields["code"].widget.attrs["placeholder"] = "PRJ-0042"
        if self.instance.pk and self.instance.baseline_version > 0:
            for name in BASELINE_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Changes through a change request.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            for name, field in self.fields.items():
                if name != "version":
                    field.show_hidden_initial = True

    def clean(self):
        cleaned = super().clean()
        for start, end in (("baseline_start", "baseline_end"), ("forecast_start", "forecast_end")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[end] < cleaned[start]:
                self.add_error(end, _("The end date cannot be before the start date."))
        return cleaned

    def changed_since_loaded(self, current: Project) -> list[str]:
        """Labels of the fields whose value in `current` differs from the one this form was loaded with."""
        fresh = type(self)(instance=current)
        changed = []
        for name, field in self.fields.items():
            if not field.show_hidden_initial:
                continue
            loaded = self._widget_data_value(field.hidden_widget(), self.add_initial_prefix(name))
            if field.has_changed(fresh.get_initial_for_field(field, name), loaded):
                changed.append(str(field.label))
        return changed


class CloseProjectForm(forms.Form):
    final_state = forms.ChoiceField(
        label=_("Final state"),
        choices=[
            (Project.State.CLOSED, Project.State.CLOSED.label),
            (Project.State.CANCELLED, Project.State.CANCELLED.label),
        ],
        widget=forms.RadioSelect,
        initial=Project.State.CLOSED,
    )
    note = forms.CharField(
        label=_("Closing note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: why and how the project ends."),
    )
