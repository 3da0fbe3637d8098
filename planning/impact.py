"""The impact of a change request, as the application computes it (never typed in by its author).

Against the project's current baseline (its own baseline fields and its milestones' baseline dates, which
mirror the latest `Baseline`), the request's new values give:

- the **slip** in days: of the end (go-live), and the largest of the milestones it moves;
- the **budget change**, as an amount and a share of the current BAC;
- the **EAC** before and after, at the latest status's CPI (EAC = BAC / CPI), "n/a" without a CPI;
- the **earned-value effect**: PV, SV and SPI at the latest status's date under the current baseline and
  under the proposed one (a later plan earns less by then, so SPI rises);
- the **dependencies it breaks**: the other projects' dependencies on the milestones it moves whose
  needed-by date the new date passes, and which are not broken already.

`impact_of` computes it live for a pending request; `Impact.as_json` is what is frozen on the request when
it is submitted and again when it is decided. Routing (`needs_committee`) compares it with the PMO's
tolerance (`PlanPolicy`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from planning.models import ChangeRequest, PlanPolicy
from portfolio.agile import release_of
from portfolio.earned_value import earned_value_at_status, phased_budgets
from portfolio.models import Milestone, ProjectDependency, StatusReport


@dataclass(frozen=True)
class BrokenLink:
    dependency: int
    consumer: int  # the consumer project's pk: its code and name are shown only to who may see it
    milestone: str  # the provider milestone (of the changing project)
    needed_by: str
    new_date: str


@dataclass(frozen=True)
class Impact:
    end_slip_days: int | None = None
    milestone_slip_days: int | None = None
    budget_change: str | None = None  # Decimal as text (JSON)
    budget_change_percent: str | None = None
    eac_before: str | None = None
    eac_after: str | None = None
    pv_before: str | None = None
    pv_after: str | None = None
    spi_before: str | None = None
    spi_after: str | None = None
    status_period: str | None = None
    breaks: list[BrokenLink] = field(default_factory=list)

    @property
    def slip_days(self) -> int:
        """The largest slip, end or milestone (0 when nothing moves later)."""
        return max(self.end_slip_days or 0, self.milestone_slip_days or 0, 0)

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Impact:
        data = dict(data or {})
        data["breaks"] = [BrokenLink(**link) for link in data.get("breaks", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in known})


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def new_milestone_dates(change_request: ChangeRequest) -> dict[int, date]:
    return {
        line.milestone_id: line.new_date
        for line in change_request.milestone_changes.all()
        if line.milestone_id is not None
    }


def impact_of(change_request: ChangeRequest) -> Impact:
    """The request's impact against the project's current baseline. Queries: the milestones, the moves, the
    latest status, the phased budget, an agile project's release plan, the dependencies on the moved
    milestones."""
    project = change_request.project
    milestones = list(Milestone.objects.filter(project=project))
    moves = new_milestone_dates(change_request)
    moved = [m for m in milestones if m.pk in moves]

    end_slip = None
    if change_request.new_end and project.baseline_end:
        end_slip = (change_request.new_end - project.baseline_end).days
    milestone_slip = max(((moves[m.pk] - m.baseline_date).days for m in moved), default=None)

    budget_change = percent = None
    new_bac = project.budget
    if change_request.new_budget is not None:
        new_bac = change_request.new_budget
        if project.budget is not None:
            budget_change = change_request.new_budget - project.budget
            if project.budget:
                percent = (budget_change * 100 / project.budget).quantize(Decimal("0.1"))

    report = project.last_report or StatusReport.objects.filter(project=project).order_by("-period").first()
    before = after = None
    if report is not None:
        plan_before = [(m.baseline_date, m.weight) for m in milestones]
        plan_after = [(moves.get(m.pk, m.baseline_date), m.weight) for m in milestones]
        # PV follows the phased budget when the project has one (its shape, scaled to each BAC).
        phased = phased_budgets([project.pk]).get(project.pk, [])
        # An agile project's release plan makes both AgileEVM's (a change of dates leaves its PV as is).
        common = {
            "period": report.period,
            "percent_complete": report.percent_complete,
            "phased": phased,
            "release": release_of(project),
            "points_done": report.release_points_done,
            "release_points": report.release_points,
        }
        before = earned_value_at_status(
            bac=project.budget,
            actual_cost=report.actual_cost,
            start=project.baseline_start,
            end=project.baseline_end,
            milestones=plan_before,
            **common,
        )
        after = earned_value_at_status(
            bac=new_bac,
            actual_cost=report.actual_cost,
            start=change_request.new_start or project.baseline_start,
            end=change_request.new_end or project.baseline_end,
            milestones=plan_after,
            **common,
        )

    breaks = []
    if moved:
        dependencies = (
            ProjectDependency.objects.filter(provider_milestone__in=moved, needed_by__isnull=False)
            .exclude(from_project=project)
            .select_related("provider_milestone")
            .order_by("needed_by", "pk")
        )
        for dependency in dependencies:
            provider = dependency.provider_milestone
            # Met already: its actual date stands, whatever its baseline becomes.
            new_date = provider.actual_date or max(moves[provider.pk], provider.forecast_date)
            if new_date > dependency.needed_by and not dependency.is_broken:
                breaks.append(
                    BrokenLink(
                        dependency=dependency.pk,
                        consumer=dependency.from_project_id,
                        milestone=dependency.provider_milestone.name,
                        needed_by=dependency.needed_by.isoformat(),
                        new_date=new_date.isoformat(),
                    )
                )
    return Impact(
        end_slip_days=end_slip,
        milestone_slip_days=milestone_slip,
        budget_change=_text(budget_change),
        budget_change_percent=_text(percent),
        eac_before=_text(before.eac if before else None),
        eac_after=_text(after.eac if after else None),
        pv_before=_text(before.pv if before else None),
        pv_after=_text(after.pv if after else None),
        spi_before=_text(before.spi if before else None),
        spi_after=_text(after.spi if after else None),
        status_period=report.period.isoformat() if report else None,
        breaks=breaks,
    )


def needs_committee(impact: Impact, *, policy: PlanPolicy) -> bool:
    """Beyond the PMO's tolerance: a slip longer than its days, or a budget change (either way) larger than
    its share of the budget. A budget change with no current budget to compare is beyond it."""
    if impact.slip_days > policy.schedule_tolerance_days:
        return True
    if impact.budget_change is not None and impact.budget_change_percent is None:
        return Decimal(impact.budget_change) != 0
    if impact.budget_change_percent is not None:
        return abs(Decimal(impact.budget_change_percent)) > policy.budget_tolerance_percent
    return False
