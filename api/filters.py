"""The query parameters of the API's lists: objects are named by their codes and references (a
directorate's code, a project's code, a user's login), dates as ISO dates, ranges as `_after` and
`_before`."""

from __future__ import annotations

from datetime import UTC, date

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField, IsoDateTimeRangeField, RangeField

from governance.models import Action, Committee, Decision, Meeting
from planning.models import Baseline, ChangeRequest
from portfolio.models import (
    DeliveryConfidence,
    Milestone,
    Project,
    ProjectDependency,
    ProjectPhase,
    Rag,
    StatusReport,
)
from portfolio.models.assurance import Confidence
from reporting.models import Kpi, Measurement
from reporting.periods import Frequency
from risks.models import Issue, Risk, RiskLevel, RiskPolicy

NOT_REPORTED = "none"
EARLIEST_AS_AT = date(2000, 1, 1)  # the records start after it; an earlier day is refused, not read
NO_STATUS = "none"  # the `latest_rag` of a project that never had a status


class UtcDateTimeField(IsoDateTimeField):
    """An ISO date and time, taken to UTC: PostgreSQL refuses an offset beyond ±15:59 (which Python
    parses), and a moment that does not exist in UTC (year 1 at +05:00) is not a moment."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class UtcDateTimeRangeField(IsoDateTimeRangeField):
    def __init__(self, *args, **kwargs):
        RangeField.__init__(self, (UtcDateTimeField(), UtcDateTimeField()), *args, **kwargs)


class DateTimeRangeFilter(filters.IsoDateTimeFromToRangeFilter):
    field_class = UtcDateTimeRangeField


def code(field: str, label) -> filters.CharFilter:
    return filters.CharFilter(field_name=field, label=label)


class AsAtFilterSet(filters.FilterSet):
    """A list that reads as at the end of a past day, as the dashboard's lists do (`as_at`): what it
    counted then, by the same functions. Today or a later day: the list as it stands."""

    as_at = filters.DateFilter(
        method="read_as_at",
        validators=[MinValueValidator(EARLIEST_AS_AT)],
        label=_("A past day: the list as at the end of that day, as the dashboard counts it then"),
    )

    def read_as_at(self, queryset, name, value):
        return queryset  # read by `past_day`, for the filters it changes

    def past_day(self) -> date | None:
        day = self.form.cleaned_data.get("as_at") if self.form.is_valid() else None
        return day if day is not None and day < timezone.localdate() else None

    def filter_queryset(self, queryset):
        day = self.past_day()
        if day is None:
            return super().filter_queryset(queryset)
        chosen = dict(self.form.cleaned_data)
        queryset = self.as_at_day(queryset, day, chosen)  # takes the filters it reads as at that day
        for name, value in chosen.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def as_at_day(self, queryset, day: date, chosen: dict):
        return queryset


class ConfidenceAssessmentFilter(filters.FilterSet):
    project = code("project__code", _("Project code"))
    rating = filters.ChoiceFilter(choices=Confidence.choices)
    assessed_on = filters.DateFromToRangeFilter()

    class Meta:
        model = DeliveryConfidence
        fields = ["project", "rating", "source"]


class ProjectFilter(AsAtFilterSet):
    q = filters.CharFilter(method="search", label=_("Code or name contains"))
    directorate = code("directorate__code", _("Directorate code"))
    portfolio = code("portfolio__code", _("Portfolio code"))
    project_manager = code("project_manager__username", _("Project manager's login"))
    state = filters.ChoiceFilter(choices=Project.State.choices)
    methodology = filters.ChoiceFilter(choices=Project.Methodology.choices)
    rag = filters.ChoiceFilter(
        choices=[*Rag.choices, (NOT_REPORTED, _("Not reported this week"))],
        method="filter_rag",
        label=_("This week's overall RAG"),
    )
    latest_rag = filters.ChoiceFilter(
        choices=[*Rag.choices, (NO_STATUS, _("No status"))],
        method="filter_latest_rag",
        label=_("The latest status's overall RAG, whatever its week (as the dashboard counts them)"),
    )
    confidential = filters.BooleanFilter()
    forecast_end = filters.DateFromToRangeFilter()

    class Meta:
        model = Project
        fields = [
            "q",
            "directorate",
            "portfolio",
            "project_manager",
            "state",
            "methodology",
            "rag",
            "latest_rag",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def as_at_day(self, queryset, day: date, chosen: dict):
        """The portfolio of that day (the projects active then, each with its latest rating then), from
        the snapshot the dashboard, its lists and the reports read; the fields show today's values."""
        from reporting.selectors import PortfolioFigures

        state, latest, rag = (chosen.pop(name, "") for name in ("state", "latest_rag", "rag"))
        if state and state != Project.State.ACTIVE:
            return queryset.none()  # the portfolio as at a day holds the projects active then
        rows = PortfolioFigures.for_user(self.request.user).snapshot(day).rows
        if latest:
            rows = [row for row in rows if row.rag == ("" if latest == NO_STATUS else latest)]
        if rag:
            rows = [
                row
                for row in rows
                if (row.rag if row.reported else "") == ("" if rag == NOT_REPORTED else rag)
            ]
        return queryset.filter(pk__in=[row.pk for row in rows])

    def filter_latest_rag(self, queryset, name, value):
        if value == NO_STATUS:
            return queryset.filter(last_report__isnull=True)
        return queryset.filter(last_report__overall_rag=value)

    def filter_rag(self, queryset, name, value):
        return queryset.filter(current_rag="" if value == NOT_REPORTED else value)


class StatusReportFilter(filters.FilterSet):
    project = code("project__code", _("Project code"))
    directorate = code("project__directorate__code", _("Directorate code"))
    portfolio = code("project__portfolio__code", _("Portfolio code"))
    period = filters.DateFromToRangeFilter()
    overall_rag = filters.ChoiceFilter(choices=Rag.choices)
    latest = filters.BooleanFilter(
        field_name="is_latest", label=_("Only the latest revision of each week (true) or only replaced ones")
    )

    class Meta:
        model = StatusReport
        fields = ["project", "directorate", "portfolio", "period", "overall_rag", "latest"]


class MilestoneFilter(filters.FilterSet):
    project = code("project__code", _("Project code"))
    directorate = code("project__directorate__code", _("Directorate code"))
    portfolio = code("project__portfolio__code", _("Portfolio code"))
    baseline_date = filters.DateFromToRangeFilter()
    forecast_date = filters.DateFromToRangeFilter()
    reached = filters.BooleanFilter(field_name="actual_date", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Milestone
        fields = ["project", "directorate", "portfolio", "baseline_date", "forecast_date", "reached"]


class DependencyFilter(filters.FilterSet):
    project = filters.CharFilter(method="either_end", label=_("Project code (consumer or provider)"))
    consumer = code("from_project__code", _("Consumer project code"))
    provider = code("to_project__code", _("Provider project code"))
    broken = filters.BooleanFilter(
        method="is_broken", label=_("Provider milestone expected after the needed-by date")
    )
    accepted = filters.BooleanFilter(field_name="accepted_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = ProjectDependency
        fields = ["project", "consumer", "provider", "broken", "accepted"]

    def either_end(self, queryset, name, value):
        return queryset.filter(Q(from_project__code=value) | Q(to_project__code=value))

    def is_broken(self, queryset, name, value):
        broken = ProjectDependency.objects.broken().values("pk")
        return queryset.filter(pk__in=broken) if value else queryset.exclude(pk__in=broken)


class ProjectCodeFilter(filters.FilterSet):
    project = code("project__code", _("Project code"))


class ChangeRequestFilter(ProjectCodeFilter):
    state = filters.ChoiceFilter(choices=ChangeRequest.State.choices)

    class Meta:
        model = ChangeRequest
        fields = ["project", "state"]


class BaselineFilter(ProjectCodeFilter):
    class Meta:
        model = Baseline
        fields = ["project"]


class PlannedPhaseFilter(ProjectCodeFilter):
    class Meta:
        model = ProjectPhase
        fields = ["project"]


class CommitteeFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Committee.Kind.choices)
    is_active = filters.BooleanFilter()

    class Meta:
        model = Committee
        fields = ["kind", "is_active"]


class MeetingFilter(filters.FilterSet):
    committee = code("committee__code", _("Committee code"))
    state = filters.ChoiceFilter(choices=Meeting.State.choices)
    starts_at = DateTimeRangeFilter()

    class Meta:
        model = Meeting
        fields = ["committee", "state", "starts_at"]


class DecisionFilter(filters.FilterSet):
    committee = code("committee__code", _("Committee code"))
    project = code("project__code", _("Project code"))
    outcome = filters.ChoiceFilter(choices=Decision.Outcome.choices)
    implementation = filters.ChoiceFilter(choices=Decision.Implementation.choices)
    decided_on = filters.DateFromToRangeFilter()

    class Meta:
        model = Decision
        fields = ["committee", "project", "outcome", "implementation", "decided_on"]


class ActionFilter(AsAtFilterSet):
    owner = code("owner__username", _("Owner's login"))
    committee = code("committee__code", _("Committee code"))
    project = code("project__code", _("Project code"))
    state = filters.ChoiceFilter(choices=Action.State.choices)
    origin = filters.ChoiceFilter(choices=Action.Origin.choices)
    due_date = filters.DateFromToRangeFilter()
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("Open and past its due date"))

    class Meta:
        model = Action
        fields = ["owner", "committee", "project", "state", "origin", "due_date", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue(self.past_day() or timezone.localdate())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class RiskFilter(AsAtFilterSet):
    project = code("project__code", _("Project code"))
    directorate = filters.CharFilter(method="filter_directorate", label=_("Directorate code"))
    owner = code("owner__username", _("Owner's login"))
    kind = filters.ChoiceFilter(choices=Risk.Kind.choices)
    state = filters.ChoiceFilter(choices=Risk.State.choices)
    level = filters.ChoiceFilter(choices=RiskLevel.choices, label=_("Level of the inherent score"))
    next_review_on = filters.DateFromToRangeFilter()

    class Meta:
        model = Risk
        fields = ["project", "directorate", "owner", "kind", "state", "level", "next_review_on"]

    def filter_directorate(self, queryset, name, value):
        return queryset.filter(
            Q(directorate__code=value)
            | Q(project__directorate__code=value)
            | Q(portfolio__directorate__code=value)
        )

    def as_at_day(self, queryset, day: date, chosen: dict):
        """The risks open at the end of that day, at the level their score then gave them (as the
        register and the dashboard's critical-risks tile read them then)."""
        from risks.selectors import open_on

        state, level = chosen.pop("state", ""), chosen.pop("level", "")
        if state and state != Risk.State.OPEN:
            return queryset.none()  # as at a day, the risks open then
        queryset = open_on(queryset, day=day)
        if level:
            policy = RiskPolicy.current()
            queryset = queryset.alias(level_then=policy.level_expression("score_then")).filter(
                level_then=level
            )
        return queryset


class IssueFilter(filters.FilterSet):
    project = code("project__code", _("Project code"))
    directorate = filters.CharFilter(method="filter_directorate", label=_("Directorate code"))
    owner = code("owner__username", _("Owner's login"))
    severity = filters.ChoiceFilter(choices=Issue.Severity.choices)
    state = filters.ChoiceFilter(choices=Issue.State.choices)
    due_date = filters.DateFromToRangeFilter()

    class Meta:
        model = Issue
        fields = ["project", "directorate", "owner", "severity", "state", "due_date"]

    filter_directorate = RiskFilter.filter_directorate


class KpiFilter(filters.FilterSet):
    source = filters.ChoiceFilter(choices=Kpi.Source.choices)
    frequency = filters.ChoiceFilter(choices=Frequency.choices)
    scope = filters.ChoiceFilter(choices=Kpi.Scope.choices)
    is_active = filters.BooleanFilter()

    class Meta:
        model = Kpi
        fields = ["source", "frequency", "scope", "is_active"]


class MeasurementFilter(filters.FilterSet):
    kpi = code("kpi__code", _("KPI code"))
    directorate = code("directorate__code", _("Directorate code"))
    project = code("project__code", _("Project code"))
    portfolio_wide = filters.BooleanFilter(
        method="filter_portfolio_wide", label=_("The whole portfolio's values")
    )
    period = filters.DateFromToRangeFilter()

    class Meta:
        model = Measurement
        fields = ["kpi", "directorate", "project", "portfolio_wide", "period"]

    def filter_portfolio_wide(self, queryset, name, value):
        wide = Q(directorate__isnull=True, project__isnull=True)
        return queryset.filter(wide) if value else queryset.exclude(wide)
