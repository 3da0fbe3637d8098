"""The plan page's forms: one milestone (a row of the table), a milestone's deletion, the phases' dates.

Once the project has a baseline (`Project.baseline_version` > 0), a milestone's baseline date changes only
through an approved change request: the milestone form shows it read-only, and a new milestone takes its
forecast date as its baseline date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo.audit import REASON_MAX_LENGTH
from pmo.models import User
from portfolio.models import Milestone, Phase, Project, ProjectPhase

BASELINE_LOCKED_HELP = _("Changes through a change request.")
DATE_INPUT = {"type": "date", "class": "form-control form-control-sm"}


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs=dict(DATE_INPUT), format="%Y-%m-%d")


class MilestoneForm(forms.ModelForm):
    """A milestone, for every surface that writes one (the plan page, the API, the import).

    On the page it is a row of the plan: its inputs are tied to a `<form>` by id (`form=` attribute),
    since a form cannot wrap a table row's cells. The rules: a name unique within the project (the
    import matches milestones by project and name), no actual date in the future, a weight not
    negative (blank: unchanged, 1 for a new one), a forecast date (blank: the baseline date), and once
    the project has a baseline its milestones' baseline dates locked (a new one's is its forecast date).

    `disable_locked`: the locked baseline date is a disabled input whose posted value is ignored (the
    page, which does not show it as an input); without it (the API), a different value is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Milestone
        fields = [
            "name",
            "position",
            "baseline_date",
            "forecast_date",
            "actual_date",
            "weight",
            "deliverable",
            "owner",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "position": forms.HiddenInput,
            "baseline_date": date_input(),
            "forecast_date": date_input(),
            "actual_date": date_input(),
            "weight": forms.NumberInput(
                attrs={"class": "form-control form-control-sm", "min": 0, "step": "0.5"}
            ),
            "deliverable": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "owner": forms.Select(attrs={"class": "form-select form-select-sm"}),
        }
        error_messages = {
            "name": {"required": _("Give the milestone a name.")},
            "baseline_date": {"required": _("A baseline date is required.")},
        }

    def __init__(
        self, *args, project: Project, disable_locked: bool = True, today: date | None = None, **kwargs
    ) -> None:
        self.project = project
        self.today = today or timezone.localdate()  # the import's day, which its tests set
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.html_id = f"milestone-form-{self.instance.pk or 'new'}"
        # The add row and a row being edited are on the page together: their inputs need their own ids.
        self.auto_id = f"{self.html_id}-%s"
        self.baseline_locked = project.baseline_version > 0
        for name in ("position", "forecast_date", "weight"):
            self.fields[name].required = False
        if self.baseline_locked:
            baseline = self.fields["baseline_date"]
            baseline.disabled = disable_locked
            baseline.required = False
            baseline.help_text = BASELINE_LOCKED_HELP
            if self.instance.pk is None:
                self.fields["forecast_date"].help_text = _(
                    "The project has a baseline: a new milestone's baseline date is its forecast date."
                )
        # The plan's table says once, under it, what the weight is: not in every row.
        self.fields["weight"].help_text = ""
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name", "username"
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            field.widget.attrs["form"] = self.html_id

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = Milestone.objects.filter(project=self.project, name__iexact=name)
        others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("The project has a milestone of this name already."))
        return name

    def clean_position(self) -> int:
        return self.cleaned_data.get("position") or self.instance.position or 0

    def clean_baseline_date(self) -> date | None:
        day = self.cleaned_data.get("baseline_date")
        if not (self.baseline_locked and self.instance.pk):
            return day
        if day is not None and day != self.instance.baseline_date:
            raise forms.ValidationError(
                _(
                    "The project has a baseline (v%(version)s): a milestone's baseline date changes only "
                    "through an approved change request."
                )
                % {"version": self.project.baseline_version}
            )
        return self.instance.baseline_date

    def clean_actual_date(self) -> date | None:
        actual = self.cleaned_data.get("actual_date")
        if actual is not None and actual > self.today:
            raise forms.ValidationError(_("A milestone cannot be reached in the future."))
        return actual

    def clean_weight(self) -> Decimal:
        weight = self.cleaned_data.get("weight")
        if weight is None:
            return self.instance.weight if self.instance.weight is not None else Decimal(1)
        if weight < 0:
            raise forms.ValidationError(_("The weight cannot be negative."))
        return weight

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("forecast_date"):
            if cleaned.get("baseline_date") and "forecast_date" not in self.errors:
                cleaned["forecast_date"] = cleaned["baseline_date"]
            elif "forecast_date" not in self.errors:
                self.add_error("forecast_date", _("A forecast date is required."))
        if self.baseline_locked and self.instance.pk is None and cleaned.get("forecast_date"):
            cleaned["baseline_date"] = cleaned["forecast_date"]
        return cleaned

    def saved_fields(self) -> list[str]:
        """What an edit writes: the form's fields, never the baseline date once it is locked, and the
        position only when it was sent (a reorder writes it alone, so an edit never undoes one)."""
        return [
            name
            for name in self.Meta.fields
            if not (name == "baseline_date" and self.baseline_locked)
            and not (name == "position" and self.add_prefix("position") not in self.data)
        ]

    def differences_from(self, current: Milestone) -> list[tuple[str, str, str]]:
        """(label, the stored value, this form's value) where they differ: what a conflict shows."""
        rows = []
        for name in self.saved_fields():
            theirs, mine = getattr(current, name), self.cleaned_data.get(name)
            if theirs != mine:
                label = str(self.fields[name].label)
                rows.append((label, _shown(theirs), _shown(mine)))
        return rows


def _shown(value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, date):
        from django.utils.formats import date_format

        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        from django.utils.formats import number_format

        return number_format(value.normalize(), use_l10n=True)
    return str(value)


class MilestoneDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for deleting"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("Kept in the project's history."),
        error_messages={
            "required": _("Say why the milestone is deleted: the reason is kept in the history.")
        },
    )

    def __init__(self, *args, milestone: Milestone, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.milestone = milestone
        self.html_id = f"milestone-delete-{milestone.pk}"
        self.fields["reason"].widget.attrs["form"] = self.html_id

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(self.fields["reason"].error_messages["required"])
        return reason


class PhasePlanForm(forms.Form):
    """A phase's planned dates on a project, for the page (a row of the phases' formset) and the API
    (one planned phase): a phase of the lifecycle, its end not before its start. Given the `project`
    (the API, where a row is written on its own), one row per phase: `instance` is the row changed."""

    phase = forms.IntegerField(widget=forms.HiddenInput)
    planned_start = forms.DateField(label=_("planned start"), required=False, widget=date_input())
    planned_end = forms.DateField(label=_("planned end"), required=False, widget=date_input())

    def __init__(
        self,
        *args,
        phases: dict[int, Phase],
        project: Project | None = None,
        instance: ProjectPhase | None = None,
        **kwargs,
    ) -> None:
        self.phases = phases
        self.project, self.instance = project, instance
        super().__init__(*args, **kwargs)

    @property
    def phase_object(self) -> Phase | None:
        try:
            return self.phases.get(int(self["phase"].value()))
        except (TypeError, ValueError):
            return None

    def clean_phase(self) -> int:
        pk = self.cleaned_data["phase"]
        if pk not in self.phases:
            raise forms.ValidationError(_("This phase is not one of the lifecycle's."))
        if self.project is not None:
            others = ProjectPhase.objects.filter(project=self.project, phase_id=pk)
            if self.instance is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(_("The project plans this phase already."))
        return pk

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The end date cannot be before the start date."))
        return cleaned


class BasePhasePlanFormSet(forms.BaseFormSet):
    """One row per phase of the lifecycle (the PMO's list, in its order), with the project's dates."""

    def __init__(self, data=None, *, phases: list[Phase], plans: list[ProjectPhase], **kwargs) -> None:
        self.phases = {phase.pk: phase for phase in phases}
        planned = {plan.phase_id: plan for plan in plans}
        initial = [
            {
                "phase": phase.pk,
                "planned_start": getattr(planned.get(phase.pk), "planned_start", None),
                "planned_end": getattr(planned.get(phase.pk), "planned_end", None),
            }
            for phase in phases
        ]
        super().__init__(data, initial=initial, prefix="phases", **kwargs)

    def get_form_kwargs(self, index):
        return {"phases": self.phases}

    def dates(self) -> dict[int, tuple[date | None, date | None]]:
        return {
            form.cleaned_data["phase"]: (form.cleaned_data["planned_start"], form.cleaned_data["planned_end"])
            for form in self.forms
            if form.cleaned_data
        }


PhasePlanFormSet = forms.formset_factory(
    PhasePlanForm, formset=BasePhasePlanFormSet, extra=0, can_delete=False, max_num=200
)
