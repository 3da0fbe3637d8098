"""The quarterly report: an exception summary first, then the monthly report's content over the quarter,
the trends over the last four quarters, budget consumption, KPIs against their targets, the stage gates
passed in the quarter, the lessons learned in the quarter, and the full portfolio table as an appendix.

A section with nothing to show says so in the reader's terms ("No stage-gate review was decided this
quarter")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from benefits.models import Lesson
from benefits.selectors import value_realisation
from governance.models.gate import GateReview
from reporting.models import Kpi, Report
from reporting.pdf.content import common, monthly
from reporting.periods import Frequency, Period
from reporting.selectors import PortfolioFigures, Snapshot
from reporting.tiles import Tile, dashboard_kpis, tiles
from reporting.views.dashboard import rag_counts

QUARTERS = 4


@dataclass
class QuarterPoint:
    """The portfolio at the end of one quarter (or today for the quarter still running)."""

    period: Period
    on: date
    snapshot: Snapshot
    overdue_actions: int
    exposure: int

    @property
    def counts(self) -> dict[str, int]:
        return rag_counts(self.snapshot)


@dataclass
class KpiLine:
    """A KPI's value at the end of each of the last quarters, and where the latest stands to its target."""

    kpi: Kpi
    values: list[Tile]  # one per quarter, oldest first

    @property
    def latest(self) -> Tile:
        return self.values[-1]

    @property
    def gap(self) -> Decimal | None:
        """The latest value minus the target (a positive gap is good only for a KPI where higher is
        better; the RAG says which)."""
        value, target = self.latest.value, self.kpi.target
        return None if value is None or target is None else value - target


@dataclass
class Consumption:
    """Budget consumption of a group of projects: actual cost against budget and forecast."""

    label: str
    snapshot: Snapshot  # the group's projects only: its totals are the selectors' own

    @property
    def consumed(self) -> Decimal | None:
        budget = self.snapshot.budget_at_completion
        return (100 * self.snapshot.actual_cost / budget) if budget else None


def trends(figures: PortfolioFigures, period: Period, *, today: date) -> list[QuarterPoint]:
    """The portfolio at the end of each of the last four quarters (snapshots in three queries, then two
    counts a quarter)."""
    quarters = period.last(QUARTERS)
    days = [quarter.until(today) for quarter in quarters]
    snapshots = figures.snapshots(days)
    return [
        QuarterPoint(
            period=quarter,
            on=day,
            snapshot=snapshots[day],
            overdue_actions=figures.overdue_actions(day),
            exposure=figures.risk_exposure(day)[0],
        )
        for quarter, day in zip(quarters, days, strict=True)
    ]


def kpi_lines(figures: PortfolioFigures, points: list[QuarterPoint]) -> list[KpiLine]:
    """The dashboard's tiles as at each quarter's end: the same KPI values the dashboard showed then."""
    kpis = dashboard_kpis()
    by_quarter = [tiles(kpis, figures=figures, as_at=point.on, today=figures.today) for point in points]
    lines = []
    for n, tile in enumerate(by_quarter[-1]):
        values = [next((t for t in quarter if t.kpi.pk == tile.kpi.pk), None) for quarter in by_quarter]
        if all(value is not None for value in values):
            lines.append(KpiLine(kpi=by_quarter[-1][n].kpi, values=values))
    return lines


def consumption(snapshot: Snapshot) -> tuple[list[Consumption], Consumption]:
    """Budget consumption per portfolio, and for the whole scope."""
    groups = snapshot.by("portfolio_id")
    lines = [
        Consumption(
            label=rows[0].portfolio_name or "",
            snapshot=Snapshot(on=snapshot.on, period=snapshot.period, rows=rows, rates=snapshot.rates),
        )
        for rows in groups.values()
    ]
    lines.sort(key=lambda line: (line.label == "", line.label))
    return lines, Consumption(label="", snapshot=snapshot)


def gates(figures: PortfolioFigures, start: date, end: date) -> list[GateReview]:
    """The stage-gate reviews of the scope's projects decided in the quarter (one query)."""
    return list(
        GateReview.objects.filter(
            project__in=figures.projects.values("pk"),
            state=GateReview.State.DECIDED,
            decided_at__date__range=(start, end),
        )
        .select_related("project", "committee", "from_phase", "to_phase")
        .order_by("decided_at", "project__code")
    )


@dataclass
class LessonGroup:
    category: str
    lessons: list[Lesson]


def lessons(figures: PortfolioFigures, start: date, end: date) -> list[LessonGroup]:
    """The lessons the scope's projects recorded in the quarter, by category in the choices' order, as the
    stage gates are: the scope's projects, the report's audience's (one query)."""
    recorded = (
        Lesson.objects.filter(
            project__in=figures.projects.values("pk"), recorded_at__date__range=(start, end)
        )
        .select_related("project", "phase")
        .order_by("project__code", "recorded_at", "pk")
    )
    by_category: dict[str, list[Lesson]] = {}
    for lesson in recorded:
        by_category.setdefault(lesson.category, []).append(lesson)
    return [
        LessonGroup(category=str(label), lessons=by_category[value])
        for value, label in Lesson.Category.choices
        if value in by_category
    ]


def context(report: Report) -> dict[str, Any]:
    figures = common.figures_of(report)
    on = common.as_at(report)
    period = report.as_period or Period.containing(Frequency.QUARTERLY, on)
    points = trends(figures, period, today=figures.today)
    lines, total = consumption(figures.snapshot(on))
    context = monthly.body(report, figures, start=period.start, on=on)
    reviews = gates(figures, period.start, on)
    context.update(
        {
            "quarters": points,
            "kpi_lines": kpi_lines(figures, points),
            "consumption": lines,
            "consumption_total": total,
            "gates": reviews,
            "lesson_groups": lessons(figures, period.start, on),
            # The value page: the value KPI's own function, over the projects the report's audience sees.
            "value": value_realisation(figures.projects, on=on),
            "gates_passed": [
                review
                for review in reviews
                if review.outcome in (GateReview.Outcome.GO, GateReview.Outcome.GO_WITH_CONDITIONS)
            ],
        }
    )
    return context
