"""Whether a project's forecast breaks its tolerance (PRINCE2): the one function that says so, `breaches`,
read by the detection after a status, a plan change or an approved change request, and by nothing else.

The band is the project's methodology's (standards.selectors.tolerances_of). Each dimension is judged
only when both its limit and its figures are known (unknown stays unknown: no breach is guessed):

- **cost**: the forecast cost above the budget by more than `cost_percent` of it. The forecast cost is
  the latest status's forecast at completion. Finance keeps a fiscal year's forecast, not one at
  completion, so there is nothing else to read: without it the cost is not judged;
- **schedule**: the project's forecast end later than its baseline end by more than `schedule_days`;
- **scope**: an agile project's release scope on its latest status (`release_points`) above its release
  plan's planned points by more than `scope_percent`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portfolio.models import Project, ReleasePlan, StatusReport
from standards.selectors import tolerances_of

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Breach:
    """What a project's forecast measures against its tolerance, and which limits it breaks."""

    budget: Decimal | None = None
    forecast_cost: Decimal | None = None
    cost_tolerance_percent: Decimal | None = None
    slip_days: int | None = None
    schedule_tolerance_days: int | None = None
    scope_growth_percent: Decimal | None = None
    scope_tolerance_percent: Decimal | None = None
    cost_breached: bool = False
    schedule_breached: bool = False
    scope_breached: bool = False

    @property
    def any(self) -> bool:
        return self.cost_breached or self.schedule_breached or self.scope_breached

    @property
    def overrun_percent(self) -> Decimal | None:
        """The forecast cost above the budget, in % of it (negative: under)."""
        if self.forecast_cost is None or not self.budget:
            return None
        return (self.forecast_cost - self.budget) * HUNDRED / self.budget

    def fields(self) -> dict:
        """The exception report's figures (standards.ExceptionReport)."""
        growth = self.scope_growth_percent
        return {
            "budget": self.budget,
            "forecast_cost": self.forecast_cost,
            "cost_tolerance_percent": self.cost_tolerance_percent,
            "slip_days": self.slip_days,
            "schedule_tolerance_days": self.schedule_tolerance_days,
            "scope_growth_percent": growth.quantize(Decimal("0.01")) if growth is not None else None,
            "scope_tolerance_percent": self.scope_tolerance_percent,
            "cost_breached": self.cost_breached,
            "schedule_breached": self.schedule_breached,
            "scope_breached": self.scope_breached,
        }


def breaches(projects: Iterable[Project], *, on: date) -> dict[int, Breach | None]:
    """{project id: its measured breach, or None when no tolerance applies to it}: the figures of each
    dimension and whether they break the band (`Breach.any`: at least one does). The latest status is the
    latest reported for a period up to `on`. Five queries, whatever the number of projects: the
    methodologies and bands (3), the latest statuses, the agile projects' release plans."""
    projects = list(projects)
    bands = tolerances_of(projects)
    judged = [p for p in projects if bands[p.pk] is not None]
    reports = _latest_reports(judged, on=on)
    agile = [p.pk for p in judged if p.methodology == Project.Methodology.AGILE]
    plans = {plan.project_id: plan for plan in ReleasePlan.objects.filter(project__in=agile)} if agile else {}
    result: dict[int, Breach | None] = {}
    for project in projects:
        band = bands[project.pk]
        if band is None:
            result[project.pk] = None
            continue
        report = reports.get(project.pk)
        forecast = report.forecast_at_completion if report is not None else None
        budget = project.budget
        cost_breached = (
            band.cost_percent is not None
            and forecast is not None
            and bool(budget)
            and (forecast - budget) * HUNDRED / budget > band.cost_percent
        )
        slip = project.slip_days
        schedule_breached = band.schedule_days is not None and slip is not None and slip > band.schedule_days
        growth = None
        plan = plans.get(project.pk)
        if plan is not None and report is not None and report.release_points is not None:
            growth = (report.release_points - plan.planned_points) * HUNDRED / plan.planned_points
        scope_breached = band.scope_percent is not None and growth is not None and growth > band.scope_percent
        result[project.pk] = Breach(
            budget=budget,
            forecast_cost=forecast,
            cost_tolerance_percent=band.cost_percent,
            slip_days=slip,
            schedule_tolerance_days=band.schedule_days,
            scope_growth_percent=growth,
            scope_tolerance_percent=band.scope_percent,
            cost_breached=cost_breached,
            schedule_breached=schedule_breached,
            scope_breached=scope_breached,
        )
    return result


def breach_of(project: Project, *, on: date) -> Breach | None:
    return breaches([project], on=on)[project.pk]


def _latest_reports(projects: list[Project], *, on: date) -> dict[int, StatusReport]:
    """Each project's latest status revision for a period up to `on`. One query (none without projects)."""
    if not projects:
        return {}
    latest: dict[int, StatusReport] = {}
    rows = (
        StatusReport.objects.filter(project__in=[p.pk for p in projects], is_latest=True, period__lte=on)
        .only("pk", "project_id", "period", "forecast_at_completion", "release_points")
        .order_by("project_id", "-period")
    )
    for report in rows:
        latest.setdefault(report.project_id, report)
    return latest
