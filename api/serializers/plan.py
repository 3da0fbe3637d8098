"""The plan: milestones written, dependencies between projects, planned phases; change requests and
baselines read. Writes go through the plan page's forms (portfolio.forms.plan, portfolio.forms.dependency),
so a rule says the same thing in the browser, in JSON and in an import."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from api.forms import check, form_data
from api.serializers.common import PersonField, PersonSerializer, VisibleProjectField, request_user
from planning.models import Baseline, BaselineMilestone, ChangeRequest, ChangeRequestMilestone
from portfolio.forms.dependency import DependencyForm
from portfolio.forms.plan import MilestoneForm, PhasePlanForm
from portfolio.models import Milestone, Phase, Project, ProjectDependency, ProjectPhase

MILESTONE_FIELDS = MilestoneForm.Meta.fields
DEPENDENCY_FIELDS = DependencyForm.Meta.fields

VERSION_HELP = _(
    "The milestone's version as last read: if it changed since, nothing is saved (409). Omitted: no check."
)


class MilestoneRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


# --- Milestones, written --------------------------------------------------------------------------


class MilestoneUpdateSerializer(serializers.Serializer):
    """A milestone's fields, checked by the plan's milestone form: a unique name in the project, no
    actual date in the future, the baseline date locked once the project has a baseline."""

    name = serializers.CharField(max_length=200, required=False)
    position = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False)
    deliverable = serializers.CharField(max_length=200, allow_blank=True, required=False)
    owner = PersonField(required=False, allow_null=True)
    baseline_date = serializers.DateField(required=False)
    forecast_date = serializers.DateField(
        required=False, help_text=_("Omitted on creation: the baseline date.")
    )
    actual_date = serializers.DateField(required=False, allow_null=True)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)

    def validate(self, attrs: dict) -> dict:
        instance: Milestone | None = self.instance
        project = instance.project if instance is not None else attrs["project"]
        values = {name: value for name, value in attrs.items() if name in MILESTONE_FIELDS}
        form = MilestoneForm(
            form_data(values, instance=instance, fields=MILESTONE_FIELDS),
            instance=instance,
            project=project,
            disable_locked=False,
        )
        attrs["form"] = check(form)
        return attrs


class MilestoneCreateSerializer(MilestoneUpdateSerializer):
    project = VisibleProjectField(help_text=_("The code of a project the user may change."))
    name = serializers.CharField(max_length=200)
    baseline_date = serializers.DateField()

    def validate_project(self, project: Project) -> Project:
        if not Project.objects.editable_by(request_user(self)).filter(pk=project.pk).exists():
            raise PermissionDenied
        return project


# --- Dependencies ---------------------------------------------------------------------------------


class DependencySerializer(serializers.ModelSerializer):
    consumer = serializers.SlugRelatedField(source="from_project", slug_field="code", read_only=True)
    provider = serializers.SlugRelatedField(source="to_project", slug_field="code", read_only=True)
    consumer_milestone = MilestoneRefSerializer(read_only=True, allow_null=True)
    provider_milestone = MilestoneRefSerializer(read_only=True, allow_null=True)
    description = serializers.CharField(source="note", read_only=True)
    accepted = serializers.BooleanField(source="is_accepted", read_only=True)
    accepted_by = PersonSerializer(read_only=True, allow_null=True)
    created_by = PersonSerializer(read_only=True, allow_null=True)
    broken = serializers.BooleanField(
        source="is_broken",
        read_only=True,
        help_text=_("The provider milestone is (or was) expected after the needed-by date."),
    )

    class Meta:
        model = ProjectDependency
        fields = [
            "id",
            "consumer",
            "consumer_milestone",
            "provider",
            "provider_milestone",
            "needed_by",
            "kind",
            "criticality",
            "description",
            "broken",
            "accepted",
            "accepted_by",
            "accepted_at",
            "created_by",
        ]


@extend_schema_field(OpenApiTypes.INT)
class VisibleMilestoneField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("No milestone has the id {pk_value}.")}

    def get_queryset(self):
        visible = Project.objects.visible_to(request_user(self)).order_by().values("pk")
        return Milestone.objects.filter(project__in=visible)


class DependencyUpdateSerializer(serializers.Serializer):
    """Checked by the plan's dependency form: two different projects, each milestone of its project,
    one dependency per pair of milestones. Changing the provider, its milestone or the needed-by date
    asks the provider's manager to accept it again."""

    provider = VisibleProjectField(required=False)
    consumer_milestone = VisibleMilestoneField(required=False, allow_null=True)
    provider_milestone = VisibleMilestoneField(required=False, allow_null=True)
    needed_by = serializers.DateField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=ProjectDependency.Kind.choices, required=False)
    criticality = serializers.ChoiceField(choices=ProjectDependency.Criticality.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    NAMES = {"consumer": "from_project", "provider": "to_project", "description": "note"}

    def validate(self, attrs: dict) -> dict:
        values = {self.NAMES.get(name, name): value for name, value in attrs.items()}
        instance = self.instance
        consumer = instance.from_project if instance is not None else values.pop("from_project")
        form = DependencyForm(
            form_data(values, instance=instance, fields=DEPENDENCY_FIELDS),
            instance=instance,
            project=consumer,
            user=request_user(self),
        )
        if not form.is_valid():
            names = {model: api for api, model in self.NAMES.items()}
            raise serializers.ValidationError(
                {names.get(name, name): list(messages) for name, messages in form.errors.items()}
            )
        attrs["form"] = form
        return attrs


class DependencyCreateSerializer(DependencyUpdateSerializer):
    consumer = VisibleProjectField(help_text=_("The code of a project the user may change (the consumer)."))
    provider = VisibleProjectField(help_text=_("The code of the project depended on."))

    def validate_consumer(self, project: Project) -> Project:
        if not Project.objects.editable_by(request_user(self)).filter(pk=project.pk).exists():
            raise PermissionDenied
        return project


class DeletionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=100, help_text=_("Why it is deleted: kept in the history."))
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


# --- Planned phases, change requests, baselines (read) --------------------------------------------


class PlannedPhaseSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    phase = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = ProjectPhase
        fields = ["id", "project", "phase", "planned_start", "planned_end"]


class PlannedPhaseUpdateSerializer(serializers.Serializer):
    """Checked by the plan's phase form: one row per phase of a project, the end not before the start."""

    phase = serializers.PrimaryKeyRelatedField(queryset=Phase.objects.all(), required=False)
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict) -> dict:
        instance: ProjectPhase | None = self.instance
        project = instance.project if instance is not None else attrs.pop("project")
        fields = ("phase", "planned_start", "planned_end")
        form = PhasePlanForm(
            form_data(attrs, instance=instance, fields=fields),
            phases={phase.pk: phase for phase in Phase.objects.all()},
            project=project,
            instance=instance,
        )
        attrs["form"] = check(form)
        attrs["project"] = project
        return attrs


class PlannedPhaseCreateSerializer(PlannedPhaseUpdateSerializer):
    project = VisibleProjectField(help_text=_("The code of a project the user may change."))
    phase = serializers.PrimaryKeyRelatedField(queryset=Phase.objects.all())

    def validate_project(self, project: Project) -> Project:
        if not Project.objects.editable_by(request_user(self)).filter(pk=project.pk).exists():
            raise PermissionDenied
        return project


class MilestoneChangeSerializer(serializers.ModelSerializer):
    milestone = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = ChangeRequestMilestone
        fields = ["milestone", "name", "new_date"]

    def get_name(self, change: ChangeRequestMilestone) -> str:
        return change.name or (change.milestone.name if change.milestone else "")


class ChangeRequestSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    raised_by = PersonSerializer(read_only=True, allow_null=True)
    decided_by = PersonSerializer(read_only=True, allow_null=True)
    impact = serializers.JSONField(
        read_only=True,
        help_text=_("As computed when submitted: slip, budget and EAC change, dependencies broken."),
    )
    milestones = MilestoneChangeSerializer(source="milestone_changes", many=True, read_only=True)

    class Meta:
        model = ChangeRequest
        fields = [
            "reference",
            "project",
            "title",
            "reason",
            "scope_change",
            "state",
            "route",
            "new_start",
            "new_end",
            "new_budget",
            "milestones",
            "impact",
            "decision_note",
            "raised_by",
            "raised_at",
            "decided_by",
            "decided_at",
        ]


class BaselineMilestoneSerializer(serializers.ModelSerializer):
    milestone = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("null: the milestone was deleted since.")
    )

    class Meta:
        model = BaselineMilestone
        fields = ["milestone", "name", "date", "weight"]


class BaselineSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    change_request = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    taken_by = PersonSerializer(read_only=True, allow_null=True)
    milestones = BaselineMilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Baseline
        fields = [
            "id",
            "project",
            "number",
            "origin",
            "change_request",
            "start",
            "end",
            "budget",
            "currency",
            "milestones",
            "taken_by",
            "taken_at",
        ]
