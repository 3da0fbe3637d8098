"""Projects (with their latest status), status reports, milestones, and the weekly status submitted
through the API: the project manager's form, its validation and its service."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api import selectors
from api.filters import ProjectFilter, StatusReportFilter
from api.serializers.portfolio import (
    EarnedValueSerializer,
    ProjectSerializer,
    StatusReportSerializer,
    StatusSubmissionSerializer,
)
from portfolio.access import project_for
from portfolio.agile import release_of
from portfolio.models import Project, StatusReport
from portfolio.models.status import current_period
from portfolio.selectors import earned_value_of
from portfolio.services import StaleStatusError, submit_status_report

STALE = inline_serializer(
    "StaleStatus",
    fields={
        "detail": serializers.CharField(),
        "current": StatusReportSerializer(allow_null=True),
    },
)


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A list and a detail, each through the domain's read rule: what the user may not see is not
    listed and answers 404."""

    queryset_of = None  # a function of `api.selectors`

    def get_queryset(self):
        return type(self).queryset_of(self.request.user)

    def get_object(self):
        reject_nul(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        return super().get_object()


def reject_nul(value: str) -> None:
    """A code or reference with a NUL character names nothing (PostgreSQL refuses it in a query)."""
    if "\x00" in str(value):
        raise NotFound


class ProjectViewSet(ReadOnlyViewSet):
    """The projects the user may see, each with its latest status report."""

    queryset_of = selectors.projects
    queryset = Project.objects.none()  # the model, for the schema
    serializer_class = ProjectSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    filterset_class = ProjectFilter
    ordering_fields = ["code", "name", "budget", "forecast_end", "priority", "updated_at"]

    @extend_schema(summary="Earned value at the latest status", responses={200: EarnedValueSerializer})
    @action(detail=True, methods=["get"], url_path="earned-value")
    def earned_value(self, request, code: str):
        """The project's earned value at its latest status's date, the same figures as its page and the
        reports: AgileEVM for an agile project with a release plan (`method`), classic otherwise. Every
        figure null (n/a) without a budget, a baseline (or release plan), a completion or an actual cost."""
        reject_nul(code)
        project = project_for(
            request.user, code, queryset=Project.objects.select_related("last_report", "release_plan")
        )
        value = earned_value_of(project)
        names = ("bac", "pv", "ev", "ac", "cv", "sv", "cpi", "spi", "eac", "etc", "vac", "tcpi")
        body = {
            "method": "agile" if release_of(project) else "classic",
            "status_period": project.last_report.period if project.last_report else None,
            "currency": project.currency,
            **{name: getattr(value, name) if value else None for name in names},
        }
        return Response(EarnedValueSerializer(body).data)

    @extend_schema(
        summary="Submit this week's status",
        request=StatusSubmissionSerializer,
        responses={
            201: StatusReportSerializer,
            409: OpenApiResponse(STALE, description="Another status was submitted since `based_on`."),
        },
    )
    @action(detail=True, methods=["post"], url_path="status-reports")
    def submit_status(self, request, code: str):
        """This week's status of a project the user manages (or any project, for the PMO): a new
        revision when the week has one already. 404 for a project they may not see, 403 for one they
        may only read."""
        reject_nul(code)
        project = project_for(
            request.user, code, edit=True, queryset=Project.objects.select_related("last_report")
        )
        submission = StatusSubmissionSerializer(
            data=request.data, context={"request": request, "project": project}
        )
        submission.is_valid(raise_exception=True)
        values = submission.validated_data
        try:
            report = submit_status_report(
                project=project,
                author=request.user,
                period=current_period(),
                based_on=values["based_on"],
                data=values["data"],
                milestone_dates=values["milestone_dates"],
            )
        except StaleStatusError as stale:
            body = {
                "detail": _("A newer status report exists for this project: nothing was saved."),
                "current": StatusReportSerializer(stale.current).data if stale.current else None,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        report = selectors.status_reports(request.user).get(pk=report.pk)
        return Response(StatusReportSerializer(report).data, status=status.HTTP_201_CREATED)


class StatusReportViewSet(ReadOnlyViewSet):
    """Every status report of the projects the user may see, each revision of each week (`latest`
    keeps the revision in force)."""

    queryset_of = selectors.status_reports
    queryset = StatusReport.objects.none()  # the model, for the schema
    serializer_class = StatusReportSerializer
    filterset_class = StatusReportFilter
    ordering_fields = ["period", "submitted_at", "revision"]
