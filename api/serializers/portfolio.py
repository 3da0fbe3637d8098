"""Projects, their status reports and milestones."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.forms import check, form_data
from api.serializers.common import CodeNameSerializer, PersonSerializer
from portfolio.agile import is_agile, release_of
from portfolio.exchange import Rates
from portfolio.forms.status import SPRINT_FIELDS, MilestoneDatesForm, StatusReportForm
from portfolio.models import Milestone, Project, Rag, ReleasePlan, StatusReport
from portfolio.models.assurance import Confidence

RAG_FIELDS = ("overall_rag", *StatusReport.DIMENSIONS)
TEXT_FIELDS = ("summary", "achievements", "next_steps", "help_needed", "explanation")


class DimensionRagField(serializers.ChoiceField):
    """A dimension's RAG, null when it was not assessed (an imported status may rate only the whole)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", _("null: not assessed."))
        super().__init__(choices=Rag.choices, allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


UNKNOWN_HELP = _("null: unknown (not given); the earned-value figures derived from it are n/a.")


class StatusReadFields(serializers.ModelSerializer):
    """What every read of a status says about values that may be unknown."""

    schedule_rag = DimensionRagField()
    cost_rag = DimensionRagField()
    scope_rag = DimensionRagField()
    resources_rag = DimensionRagField()
    percent_complete = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, read_only=True, help_text=UNKNOWN_HELP
    )
    actual_cost = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, read_only=True, help_text=UNKNOWN_HELP
    )


class StatusSummarySerializer(StatusReadFields):
    """A project's latest status, as the project list shows it."""

    week = serializers.CharField(source="period_label", read_only=True)

    class Meta:
        model = StatusReport
        fields = [
            "id",
            "period",
            "week",
            "revision",
            *RAG_FIELDS,
            "percent_complete",
            "actual_cost",
            "forecast_at_completion",
            *SPRINT_FIELDS,
            "submitted_at",
        ]


class ConvertedSerializer(serializers.Serializer):
    """A project's amounts in the reporting currency, as every total converts them (`portfolio.exchange`)."""

    currency = serializers.CharField(help_text=_("The reporting currency (REPORTING_CURRENCY)."))
    converted = serializers.BooleanField(
        help_text=_(
            "False: no exchange rate for the project's currency is in force today; the amounts are null."
        )
    )
    rate_date = serializers.DateField(
        allow_null=True,
        help_text=_("The date of the rate used; null when no rate was needed or none was in force."),
    )
    budget = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    actual_cost = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    forecast_at_completion = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)


class ReleasePlanSerializer(serializers.ModelSerializer):
    """An agile project's release plan, AgileEVM's baseline (read-only: set on the release plan page)."""

    class Meta:
        model = ReleasePlan
        fields = ["start", "sprint_length_days", "planned_sprints", "planned_points"]
        read_only_fields = fields


class EarnedValueSerializer(serializers.Serializer):
    """A project's earned value at its latest status's date, as its page, the reports and the signals
    compute it (`portfolio.earned_value`): money to the cent, indices to three decimals, null: n/a."""

    method = serializers.ChoiceField(
        choices=[("classic", "classic"), ("agile", "agile")],
        help_text=_("agile: AgileEVM, from the release plan's sprints and the release points done."),
    )
    status_period = serializers.DateField(
        allow_null=True, help_text=_("The Monday of the latest status's week; null: no status yet.")
    )
    currency = serializers.CharField()
    bac = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    pv = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    ev = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    ac = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    cv = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    sv = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    cpi = serializers.DecimalField(max_digits=8, decimal_places=3, allow_null=True)
    spi = serializers.DecimalField(max_digits=8, decimal_places=3, allow_null=True)
    eac = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    etc = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    vac = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    tcpi = serializers.DecimalField(max_digits=8, decimal_places=3, allow_null=True)


class ProjectSerializer(serializers.ModelSerializer):
    directorate = CodeNameSerializer(read_only=True)
    portfolio = CodeNameSerializer(read_only=True, allow_null=True)
    phase = serializers.StringRelatedField(read_only=True, allow_null=True)
    project_manager = PersonSerializer(read_only=True, allow_null=True)
    sponsor = PersonSerializer(read_only=True, allow_null=True)
    slip_days = serializers.IntegerField(read_only=True, allow_null=True)
    current_rag = serializers.SerializerMethodField(
        help_text=_("The latest status's overall RAG if it covers this week; null: not reported this week.")
    )
    latest_status = StatusSummarySerializer(source="last_report", read_only=True, allow_null=True)
    in_reporting_currency = serializers.SerializerMethodField(
        help_text=_(
            "The budget and the latest status's actual cost and forecast in the reporting currency, at the "
            "rate in force today (the amounts above stay in the project's currency)."
        )
    )
    # Delivery confidence (issue 21), annotated by `portfolio.assurance.with_confidence` as at today.
    delivery_confidence = serializers.ChoiceField(
        source="confidence",
        choices=Confidence.choices,
        read_only=True,
        allow_null=True,
        help_text=_("The PMO's latest delivery confidence assessment as at today; null: not assessed."),
    )
    delivery_confidence_on = serializers.DateField(
        source="confidence_on", read_only=True, allow_null=True, help_text=_("The date of that assessment.")
    )
    release_plan = serializers.SerializerMethodField(
        help_text=_("An agile project's release plan (AgileEVM's baseline); null: none, or not agile.")
    )

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
            "state",
            "strategic_objective",
            "project_manager",
            "sponsor",
            "confidential",
            "baseline_start",
            "baseline_end",
            "forecast_start",
            "forecast_end",
            "slip_days",
            "budget",
            "currency",
            "current_rag",
            "latest_status",
            "in_reporting_currency",
            "delivery_confidence",
            "delivery_confidence_on",
            "release_plan",
            "version",
            "updated_at",
        ]

    @extend_schema_field(ConvertedSerializer)
    def get_in_reporting_currency(self, project: Project) -> dict:
        # One set of rates for the whole page (read once, and only if a currency needs one).
        rates = self.context.setdefault("rates", Rates())
        today = timezone.localdate()
        report = project.last_report
        amounts = {
            "budget": project.budget,
            "actual_cost": report.actual_cost if report else None,
            "forecast_at_completion": report.forecast_at_completion if report else None,
        }
        rate = rates.convert(None, project.currency, on=today)
        result = {"currency": rates.currency, "converted": rate.converted, "rate_date": rate.rate_date}
        for name, amount in amounts.items():
            result[name] = rates.convert(amount, project.currency, on=today).amount
        # Through the serializer its schema documents: amounts as decimal strings, like every other amount.
        return ConvertedSerializer(result).data

    @extend_schema_field(ReleasePlanSerializer(allow_null=True))
    def get_release_plan(self, project: Project) -> dict | None:
        # Joined with the project by the API's selector: no query.
        try:
            plan = project.release_plan
        except ReleasePlan.DoesNotExist:
            return None
        return ReleasePlanSerializer(plan).data

    @extend_schema_field(serializers.ChoiceField(choices=Rag.choices, allow_null=True))
    def get_current_rag(self, project: Project) -> str | None:
        return project.current_rag or None


class StatusReportSerializer(StatusReadFields):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    week = serializers.CharField(source="period_label", read_only=True)
    submitted_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StatusReport
        fields = [
            "id",
            "project",
            "period",
            "week",
            "revision",
            "is_latest",
            *RAG_FIELDS,
            "percent_complete",
            "actual_cost",
            "forecast_at_completion",
            *SPRINT_FIELDS,
            *TEXT_FIELDS,
            "submitted_by",
            "submitted_at",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = PersonSerializer(read_only=True, allow_null=True)
    slip_days = serializers.IntegerField(read_only=True)
    overdue = serializers.SerializerMethodField(help_text=_("Not reached and its forecast date has passed."))

    class Meta:
        model = Milestone
        fields = [
            "id",
            "project",
            "name",
            "position",
            "deliverable",
            "owner",
            "baseline_date",
            "forecast_date",
            "actual_date",
            "weight",
            "slip_days",
            "overdue",
            "version",
        ]

    def get_overdue(self, milestone: Milestone) -> bool:
        return milestone.is_overdue(timezone.localdate())


# --- The weekly status, submitted ----------------------------------------------------------------


class MilestoneDatesSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("One of the project's milestones."))
    forecast_date = serializers.DateField()
    actual_date = serializers.DateField(required=False, allow_null=True)


def points_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=8, decimal_places=1, min_value=0, required=False, allow_null=True, **kwargs
    )


class StatusSubmissionSerializer(serializers.Serializer):
    """The weekly status form: this week's status of the project, a new revision if the week already
    has one (a status is never overwritten). Validated by the form the project manager's page uses:
    an amber or red rating, a changed rating or a lower completion needs an explanation."""

    overall_rag = serializers.ChoiceField(choices=Rag.choices)
    schedule_rag = serializers.ChoiceField(choices=Rag.choices)
    cost_rag = serializers.ChoiceField(choices=Rag.choices)
    scope_rag = serializers.ChoiceField(choices=Rag.choices)
    resources_rag = serializers.ChoiceField(choices=Rag.choices)
    percent_complete = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text=_(
            "Required, except for an agile project that gives its release points: derived from them then."
        ),
    )
    actual_cost = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    # An agile project's sprint (ignored for other projects): see the weekly form's sprint fieldset.
    iteration = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    iteration_planned_points = points_field()
    iteration_completed_points = points_field()
    scope_added_points = points_field()
    release_points_done = points_field(help_text=_("Omitted: the last status's plus the points completed."))
    release_points = points_field(
        help_text=_("The release's scope; omitted: the last status's plus the points added.")
    )
    forecast_at_completion = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    achievements = serializers.CharField(required=False, allow_blank=True, default="")
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")
    help_needed = serializers.CharField(required=False, allow_blank=True, default="")
    explanation = serializers.CharField(required=False, allow_blank=True, default="")
    based_on = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_(
            "The id of the latest status report this one was written from. If another report was "
            "submitted since, nothing is saved (409). Omitted: the project's latest report."
        ),
    )
    milestones = MilestoneDatesSerializer(
        many=True, required=False, help_text=_("New forecast and actual dates of the project's milestones.")
    )

    def validate(self, attrs: dict) -> dict:
        project: Project = self.context["project"]
        previous = project.last_report
        values = {name: value for name, value in attrs.items() if name not in ("based_on", "milestones")}
        form = check(
            StatusReportForm(
                form_data(values), previous=previous, agile=is_agile(project), release=release_of(project)
            )
        )
        attrs["data"] = {name: value for name, value in form.cleaned_data.items() if name != "based_on"}
        attrs["based_on"] = attrs.get("based_on", project.last_report_id)
        attrs["milestone_dates"] = self._milestone_dates(project, attrs.pop("milestones", []))
        return attrs

    def _milestone_dates(self, project: Project, rows: list[dict]) -> dict[int, tuple[date, date | None]]:
        """Each row checked by the page's milestone form: one of the project's, not reached in the future."""
        milestones = {milestone.pk: milestone for milestone in project.milestones.all()}
        dates, errors = {}, []
        for row in rows:
            form = MilestoneDatesForm(form_data({**row, "milestone": row["id"]}), milestones=milestones)
            if form.is_valid():
                dates[form.cleaned_data["milestone"]] = (
                    form.cleaned_data["forecast_date"],
                    form.cleaned_data["actual_date"],
                )
                errors.append({})
            else:
                errors.append(
                    {("id" if name == "milestone" else name): list(m) for name, m in form.errors.items()}
                )
        if any(errors):
            raise serializers.ValidationError({"milestones": errors})
        return dates
