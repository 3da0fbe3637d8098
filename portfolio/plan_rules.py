"""The rules of a plan's writes, for every surface that writes milestones and dependencies (the API
today; the plan page's forms should bind the same ones): the forms that validate, and the services
that save with a version bump and a reason kept in the history.

- A milestone's baseline date is locked once the project has a baseline (`baseline_version` > 0):
  only an approved change request moves it (planning).
- A milestone is not reached in the future; its name is unique within its project (the import
  matches milestones by project and name).
- A dependency links two different projects; its milestones belong to their projects; changing the
  provider milestone or the needed-by date asks the provider's manager to accept it again.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.models import Milestone, Project, ProjectDependency, ProjectPhase

MILESTONE_FIELDS = (
    "name",
    "position",
    "deliverable",
    "owner",
    "baseline_date",
    "forecast_date",
    "actual_date",
    "weight",
)
DEPENDENCY_FIELDS = (
    "from_project",
    "to_project",
    "consumer_milestone",
    "provider_milestone",
    "needed_by",
    "kind",
    "criticality",
    "note",
)
# What the provider accepted: changing it asks for their acceptance again.
ACCEPTED_TERMS = ("to_project", "provider_milestone", "needed_by")


class StaleVersionError(Exception):
    """The record changed since the version the writer read; `current` is what it holds now."""

    def __init__(self, current) -> None:
        super().__init__("stale version")
        self.current = current


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = MILESTONE_FIELDS

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["position"].required = False
        self.fields["weight"].required = False
        self.fields["forecast_date"].required = False

    def clean_position(self):
        return self.cleaned_data.get("position") or self.instance.position or 0

    def clean_weight(self):
        weight = self.cleaned_data.get("weight")
        return self.instance.weight if weight is None else weight

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = self.project.milestones.exclude(pk=self.instance.pk).filter(name__iexact=name)
        if others.exists():
            raise forms.ValidationError(_("The project has a milestone of this name already."))
        return name

    def clean_baseline_date(self):
        day = self.cleaned_data.get("baseline_date")
        if (
            self.instance.pk
            and self.project.baseline_version > 0
            and day is not None
            and day != self.instance.baseline_date
        ):
            raise forms.ValidationError(
                _(
                    "The project has a baseline (v%(version)s): a milestone's baseline date changes only "
                    "through an approved change request."
                )
                % {"version": self.project.baseline_version}
            )
        return day

    def clean_actual_date(self):
        day = self.cleaned_data.get("actual_date")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("A milestone cannot be reached in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("forecast_date") and cleaned.get("baseline_date"):
            cleaned["forecast_date"] = cleaned["baseline_date"]
        return cleaned


class DependencyForm(forms.ModelForm):
    class Meta:
        model = ProjectDependency
        fields = DEPENDENCY_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kind", "criticality"):
            self.fields[name].required = False

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or self.instance.kind

    def clean_criticality(self) -> str:
        return self.cleaned_data.get("criticality") or self.instance.criticality

    def clean(self):
        cleaned = super().clean()
        consumer, provider = cleaned.get("from_project"), cleaned.get("to_project")
        if consumer and provider and consumer == provider:
            self.add_error("to_project", _("A project cannot depend on itself."))
        for name, project in (("consumer_milestone", consumer), ("provider_milestone", provider)):
            milestone = cleaned.get(name)
            if milestone is not None and project is not None and milestone.project_id != project.pk:
                self.add_error(name, _("This milestone is not one of %(code)s's.") % {"code": project.code})
        return cleaned


class PlannedPhaseForm(forms.ModelForm):
    """A phase's planned start and end on one project: one row per phase, the end not before the start."""

    class Meta:
        model = ProjectPhase
        fields = ("phase", "planned_start", "planned_end")

    def __init__(self, *args, project: Project, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.project = self.instance.project = project

    def clean_phase(self):
        phase = self.cleaned_data["phase"]
        others = ProjectPhase.objects.filter(project=self.project, phase=phase).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("The project plans this phase already."))
        return phase

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The end cannot be before the start."))
        return cleaned


def _locked(model, pk: int, version: int | None):
    row = model.objects.select_for_update().get(pk=pk)
    if version is not None and row.version != version:
        raise StaleVersionError(row)
    return row


@transaction.atomic
def milestone_save(*, form: MilestoneForm, by, version: int | None = None, reason: str = "") -> Milestone:
    """Create or change the milestone; a change bumps its version (StaleVersionError when `version`,
    the one the writer read, is no longer the milestone's)."""
    milestone = form.save(commit=False)
    milestone.project = form.project
    if milestone.pk is None:
        if not form.cleaned_data.get("position"):
            last = form.project.milestones.aggregate(last=Max("position"))["last"]
            milestone.position = (last or 0) + 1
    else:
        current = _locked(Milestone, milestone.pk, version)
        milestone.version = current.version + 1
    milestone._change_reason = reason
    milestone._history_user = by
    milestone.save()
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, by, reason: str, version: int | None = None) -> None:
    """Delete the milestone, the reason kept in its history (the dependencies on it lose their milestone)."""
    current = _locked(Milestone, milestone.pk, version)
    current._change_reason = reason
    current._history_user = by
    current.delete()


@transaction.atomic
def dependency_save(*, form: DependencyForm, by) -> ProjectDependency:
    dependency = form.save(commit=False)
    if dependency.pk is None:
        dependency.created_by = by
    elif dependency.is_accepted and any(name in form.changed_data for name in ACCEPTED_TERMS):
        dependency.accepted_by = dependency.accepted_at = None
    dependency._history_user = by
    dependency.save()
    return dependency


def planned_phase_save(*, form: PlannedPhaseForm, by) -> ProjectPhase:
    planned = form.save(commit=False)
    planned.project = form.project
    planned._history_user = by
    planned.save()
    return planned


def dependency_accept(*, dependency: ProjectDependency, by) -> ProjectDependency:
    """The provider's manager (or the PMO) accepts to deliver by the needed-by date."""
    dependency.accepted_by, dependency.accepted_at = by, timezone.now()
    dependency._history_user = by
    dependency.save(update_fields=["accepted_by", "accepted_at"])
    return dependency


def dependency_delete(*, dependency: ProjectDependency, by, reason: str = "") -> None:
    dependency._change_reason = reason
    dependency._history_user = by
    dependency.delete()


def may_accept(user, dependency: ProjectDependency) -> bool:
    return Project.objects.editable_by(user).filter(pk=dependency.to_project_id).exists()


def may_change(user, dependency: ProjectDependency) -> bool:
    return Project.objects.editable_by(user).filter(pk=dependency.from_project_id).exists()
