"""The plan through the API: milestones, dependencies and planned phases read and written with the
plan page's forms and services (portfolio.forms.plan, portfolio.forms.dependency,
portfolio.plan_services); change requests and baselines read.

Access is the project's: what the user may not see is not listed and answers 404; the project's
manager and the PMO write, a reader who writes gets 403. A dependency is listed only when the user
may see both its projects (its other end would name a confidential one). A dependency is accepted
by the provider's manager or the PMO.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from api import selectors
from api.filters import (
    BaselineFilter,
    ChangeRequestFilter,
    DependencyFilter,
    MilestoneFilter,
    PlannedPhaseFilter,
)
from api.serializers.plan import (
    BaselineSerializer,
    ChangeRequestSerializer,
    DeletionSerializer,
    DependencyCreateSerializer,
    DependencySerializer,
    DependencyUpdateSerializer,
    MilestoneCreateSerializer,
    MilestoneUpdateSerializer,
    PlannedPhaseCreateSerializer,
    PlannedPhaseSerializer,
    PlannedPhaseUpdateSerializer,
)
from api.serializers.portfolio import MilestoneSerializer
from api.views.portfolio import ReadOnlyViewSet
from planning.models import Baseline, ChangeRequest
from portfolio import plan_services as services
from portfolio.models import Milestone, Project, ProjectDependency, ProjectPhase

STALE = inline_serializer(
    "StaleMilestone",
    fields={"detail": serializers.CharField(), "current": MilestoneSerializer()},
)
CHANGED = OpenApiResponse(STALE, description="Changed since `version`.")
REASON = OpenApiParameter(
    "reason", str, required=False, description="Why it is deleted (or in the body): kept in the history."
)
VERSION = OpenApiParameter("version", int, required=False, description="The version read (409 if changed).")


def _editable(user, project_id: int) -> bool:
    return Project.objects.editable_by(user).filter(pk=project_id).exists()


class PlanWriter(ReadOnlyViewSet):
    """What the plan's viewsets share: the record written, if the user may change its project (403),
    and the writer's checked values (400 otherwise)."""

    def _changed(self, project_field: str = "project_id"):
        record = self.get_object()
        if not _editable(self.request.user, getattr(record, project_field)):
            raise PermissionDenied
        return record

    def _answer(self, record, code: int) -> Response:
        """The record as the list shows it (read again, with what its serializer joins)."""
        return Response(self.serializer_class(self.get_queryset().get(pk=record.pk)).data, status=code)

    def _checked(self, writer_class, instance=None) -> dict:
        """A creation's values, or with `instance` a partial update's."""
        context = self.get_serializer_context()
        partial = instance is not None
        writer = writer_class(instance, data=self.request.data, partial=partial, context=context)
        writer.is_valid(raise_exception=True)
        return writer.validated_data


class MilestoneViewSet(PlanWriter):
    """The milestones of the projects the user may see; their project's manager and the PMO add,
    change and delete them."""

    queryset_of = selectors.milestones
    queryset = Milestone.objects.none()  # the model, for the schema
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    ordering_fields = ["position", "baseline_date", "forecast_date", "actual_date"]

    def _stale(self, stale: services.StaleVersionError) -> Response:
        current = self.get_queryset().get(pk=stale.current.pk)
        body = {
            "detail": _("The milestone was changed since you read it: nothing was saved."),
            "current": MilestoneSerializer(current).data,
        }
        return Response(body, status=status.HTTP_409_CONFLICT)

    @extend_schema(request=MilestoneCreateSerializer, responses={201: MilestoneSerializer})
    def create(self, request, *args, **kwargs):
        """Add a milestone to a project the user may change (403 for one they may only read)."""
        checked = self._checked(MilestoneCreateSerializer)
        form = checked["form"]
        milestone = services.milestone_add(
            project=form.project, milestone=form.save(commit=False), by=request.user
        )
        return self._answer(milestone, status.HTTP_201_CREATED)

    @extend_schema(
        request=MilestoneUpdateSerializer,
        responses={200: MilestoneSerializer, 409: CHANGED},
    )
    def partial_update(self, request, *args, **kwargs):
        """Change a milestone (only the fields sent); its baseline date is locked once the project has a
        baseline: it moves through an approved change request."""
        milestone = self._changed()
        checked = self._checked(MilestoneUpdateSerializer, milestone)
        try:
            form = checked["form"]
            saved = services.milestone_update(
                milestone=form.save(commit=False),
                version=checked.get("version"),
                fields=form.saved_fields(),
                by=request.user,
            )
        except services.StaleVersionError as stale:
            return self._stale(stale)
        return self._answer(saved, status.HTTP_200_OK)

    @extend_schema(
        parameters=[REASON, VERSION],
        request=DeletionSerializer,
        responses={204: None, 409: CHANGED},
    )
    def destroy(self, request, *args, **kwargs):
        """Delete a milestone, with the reason (kept in its history)."""
        milestone = self._changed()
        deletion = DeletionSerializer(data=_deletion_data(request))
        deletion.is_valid(raise_exception=True)
        try:
            services.milestone_delete(
                milestone=milestone,
                by=request.user,
                reason=deletion.validated_data["reason"],
                version=deletion.validated_data.get("version"),
            )
        except services.StaleVersionError as stale:
            return self._stale(stale)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _deletion_data(request) -> dict:
    data = {}
    body = request.data if isinstance(request.data, dict) else {}
    for name in ("reason", "version"):
        value = request.query_params.get(name, body.get(name))
        if value not in (None, ""):
            data[name] = value
    return data


class DependencyViewSet(PlanWriter):
    """Dependencies between two projects the user may both see. The consumer's manager and the PMO
    record, change and delete them; the provider's manager (or the PMO) accepts them."""

    queryset_of = selectors.dependencies
    queryset = ProjectDependency.objects.none()  # the model, for the schema
    serializer_class = DependencySerializer
    filterset_class = DependencyFilter
    ordering_fields = ["needed_by"]

    @extend_schema(request=DependencyCreateSerializer, responses={201: DependencySerializer})
    def create(self, request, *args, **kwargs):
        """Record that a project the user may change (the consumer) depends on another (the provider)."""
        checked = self._checked(DependencyCreateSerializer)
        dependency = services.dependency_save(form=checked["form"], by=request.user)
        return self._answer(dependency, status.HTTP_201_CREATED)

    @extend_schema(request=DependencyUpdateSerializer, responses={200: DependencySerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change a dependency; a new provider, provider milestone or needed-by date needs accepting again."""
        dependency = self._changed("from_project_id")
        checked = self._checked(DependencyUpdateSerializer, dependency)
        saved = services.dependency_save(form=checked["form"], by=request.user)
        return self._answer(saved, status.HTTP_200_OK)

    @extend_schema(parameters=[REASON], request=None, responses={204: None})
    def destroy(self, request, *args, **kwargs):
        """Delete a dependency (the consumer's manager or the PMO); `reason` is kept in the history."""
        dependency = self._changed("from_project_id")
        reason = str(_deletion_data(request).get("reason", ""))[:100]
        services.dependency_delete(dependency=dependency, by=request.user, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: DependencySerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The provider's manager (or the PMO) accepts to deliver by the needed-by date."""
        dependency = self._changed("to_project_id")
        services.dependency_accept(dependency=dependency, by=request.user)
        return self._answer(dependency, status.HTTP_200_OK)


class PlannedPhaseViewSet(PlanWriter):
    """Each project's planned phases (start and end), for the projects the user may see; the project's
    manager and the PMO plan them."""

    queryset_of = selectors.planned_phases
    queryset = ProjectPhase.objects.none()
    serializer_class = PlannedPhaseSerializer
    filterset_class = PlannedPhaseFilter
    ordering_fields = ["planned_start", "planned_end"]

    @extend_schema(request=PlannedPhaseCreateSerializer, responses={201: PlannedPhaseSerializer})
    def create(self, request, *args, **kwargs):
        """Plan a phase (its id) of a project the user may change."""
        checked = self._checked(PlannedPhaseCreateSerializer)
        planned = _plan_phase(checked, None, request.user)
        return self._answer(planned, status.HTTP_201_CREATED)

    @extend_schema(request=PlannedPhaseUpdateSerializer, responses={200: PlannedPhaseSerializer})
    def partial_update(self, request, *args, **kwargs):
        """Change a planned phase's dates."""
        planned = self._changed()
        checked = self._checked(PlannedPhaseUpdateSerializer, planned)
        saved = _plan_phase(checked, planned, request.user)
        return self._answer(saved, status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, *args, **kwargs):
        """Take a phase off the project's plan."""
        planned = self._changed()
        services.planned_phase_delete(plan=planned, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _plan_phase(checked: dict, planned: ProjectPhase | None, user) -> ProjectPhase:
    return services.planned_phase_save(
        project=checked["project"], plan=planned, dates=checked["form"].cleaned_data, by=user
    )


class ChangeRequestViewSet(ReadOnlyViewSet):
    """Change requests to projects' baselines (read-only), with their impact as computed when submitted."""

    queryset_of = selectors.change_requests
    queryset = ChangeRequest.objects.none()
    serializer_class = ChangeRequestSerializer
    filterset_class = ChangeRequestFilter
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    ordering_fields = ["raised_at", "decided_at", "reference"]


class BaselineViewSet(ReadOnlyViewSet):
    """Projects' baselines, v1 onwards, each with its frozen milestones (read-only)."""

    queryset_of = selectors.baselines
    queryset = Baseline.objects.none()
    serializer_class = BaselineSerializer
    filterset_class = BaselineFilter
    ordering_fields = ["number", "taken_at"]
