from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import Milestone, Project, ProjectDependency

# What the provider accepted: a change to any of these by the consumer asks for a new acceptance.
ACCEPTED_TERMS = ("to_project", "provider_milestone", "consumer_milestone", "needed_by")


class ProviderMilestoneField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Milestone) -> str:
        return f"{obj.project.code} · {obj.name}"


class DependencyForm(forms.ModelForm):
    """A dependency of the consumer `project` on a project `user` may see (any directorate), for the page
    and the API: a provider other than the project, each milestone of its project, the needed-by date
    the consumer milestone's forecast when left blank; a change of what the provider accepted (provider,
    milestones, needed-by date) asks for their acceptance again."""

    class Meta:
        model = ProjectDependency
        fields = [
            "to_project",
            "provider_milestone",
            "consumer_milestone",
            "needed_by",
            "kind",
            "criticality",
            "note",
        ]
        field_classes = {"provider_milestone": ProviderMilestoneField}
        labels = {"to_project": _("Provider project")}
        help_texts = {
            "needed_by": _("Left blank: the consumer milestone's forecast date."),
            "provider_milestone": _("The provider project's milestone this project waits for."),
        }
        widgets = {
            "needed_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project: Project, user, milestones_required: bool = True, **kwargs) -> None:
        """`user` None: the import's command, run by the administrator (every project). The import
        takes a dependency between two projects without their milestones (`milestones_required`)."""
        super().__init__(*args, **kwargs)
        self.project = project
        self.instance.from_project = project  # the constraints are checked with it
        everyone = Project.objects.all() if user is None else Project.objects.visible_to(user)
        visible = everyone.exclude(pk=project.pk)
        self.fields["to_project"].queryset = visible.order_by("code")
        self.fields["to_project"].label_from_instance = lambda p: f"{p.code} · {p.name}"
        # The provider's milestones once the provider is known (the page asks again when it is chosen);
        # without it, those of every project the user sees (a browser without script).
        chosen = self._chosen_provider()
        provider = self.fields["provider_milestone"]
        provider.queryset = (
            Milestone.objects.filter(project__in=visible.values("pk"))
            .filter(**({"project": chosen} if chosen else {}))
            .select_related("project")
            .order_by("project__code", "position", "forecast_date", "pk")
        )
        provider.required = milestones_required
        consumer = self.fields["consumer_milestone"]
        consumer.queryset = project.milestones.order_by("position", "forecast_date", "pk")
        consumer.required = milestones_required
        for name in ("kind", "criticality"):  # the API may leave them out: as they are (or the default)
            self.fields[name].required = False

    def _chosen_provider(self) -> int | None:
        value = self.data.get("to_project") if self.is_bound else self.initial.get("to_project")
        if value in (None, "") and self.instance.pk:
            value = self.instance.to_project_id
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or self.instance.kind

    def clean_criticality(self) -> str:
        return self.cleaned_data.get("criticality") or self.instance.criticality

    def clean(self) -> dict:
        data = super().clean()
        provider, milestone = data.get("to_project"), data.get("provider_milestone")
        if str(self.data.get(self.add_prefix("to_project"), "")) == str(self.project.pk):
            # Not offered (nor its milestones), so refused as an unknown choice: say why instead.
            self.errors.pop("to_project", None)
            self.errors.pop("provider_milestone", None)
            self.add_error("to_project", _("A project cannot depend on itself."))
        if provider is not None and milestone is not None and milestone.project_id != provider.pk:
            self.add_error("provider_milestone", _("Choose a milestone of the provider project."))
        consumer = data.get("consumer_milestone")
        if consumer is not None and consumer.project_id != self.project.pk:
            self.add_error("consumer_milestone", _("Choose a milestone of this project."))
        if consumer is not None and not data.get("needed_by"):
            data["needed_by"] = consumer.forecast_date
        return data

    def terms_changed(self) -> bool:
        """Whether the consumer changed what the provider accepted (then the acceptance no longer holds)."""
        return any(name in self.changed_data for name in ACCEPTED_TERMS)

    def save(self, commit: bool = True) -> ProjectDependency:
        dependency = super().save(commit=False)
        dependency.from_project = self.project
        if self.instance.pk and self.terms_changed():
            dependency.accepted_by = None
            dependency.accepted_at = None
        if commit:
            dependency.save()
        return dependency
