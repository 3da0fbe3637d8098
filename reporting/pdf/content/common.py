"""What every report's context holds (its header, its figures), and the pieces several kinds share:
the KPI scorecard, the portfolio table, charts with their data as a fallback table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone

from portfolio.models import Milestone, StatusReport
from reporting.models import Report
from reporting.pdf import charts as pdf_charts
from reporting.periods import Period
from reporting.selectors import PortfolioFigures, ProjectRow, Snapshot
from reporting.tiles import Tile, dashboard_kpis, tiles

# A chart's size on the page, in CSS pixels (96 per inch): half and full width of A4 landscape.
HALF = (520, 300)
FULL = (1060, 360)


@dataclass
class Chart:
    """A chart as inline SVG, or, when charts cannot be exported, its data as a table."""

    title: str
    svg: str | None
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)


def chart(
    title: str, figure: dict[str, Any], *, size: tuple[int, int], headers: list[str], rows: list[list[Any]]
) -> Chart:
    width, height = size
    return Chart(
        title=title, svg=pdf_charts.svg(figure, width=width, height=height), headers=headers, rows=rows
    )


def today() -> date:
    return timezone.localdate()


def as_at(report: Report) -> date:
    """The day a periodic report reads the portfolio at: the end of its period, or today if it runs on."""
    period = report.as_period
    return period.until(today()) if period else today()


def figures_of(report: Report) -> PortfolioFigures:
    """The whole record of the report's scope: a report is the organisation's, not one reader's."""
    return PortfolioFigures.for_everyone(scope=report.scope, today=today())


def header(report: Report) -> dict[str, Any]:
    """What the running header and footer and the cover need."""
    return {
        "report": report,
        "organisation": settings.ORGANISATION_NAME,
        "title": report.title,
        "scope_label": report.scope_label,
        "period": report.as_period,
        "generated_at": timezone.localtime(),
        "currency": settings.DEFAULT_CURRENCY,
        "font_family": settings.REPORT_FONT_FAMILY,
    }


def scorecard(figures: PortfolioFigures, *, on: date) -> list[Tile]:
    """The dashboard's tiles as at `on`: the same KPIs, values, RAGs and trends."""
    return tiles(dashboard_kpis(), figures=figures, as_at=on, today=figures.today)


@dataclass
class TableRow:
    """A project's line in a report's portfolio table."""

    project: ProjectRow
    dimensions: dict[str, str]  # schedule_rag, cost_rag, scope_rag, resources_rag of the status in force
    next_milestone: Milestone | None


def portfolio_table(snapshot: Snapshot, *, on: date) -> list[TableRow]:
    """Each project of the snapshot with its RAG per dimension and its next milestone (two queries)."""
    ids = [row.pk for row in snapshot.rows]
    periods = {row.report_period for row in snapshot.rows if row.report_period}
    dimensions: dict[tuple[int, date], dict[str, str]] = {}
    if ids and periods:
        for values in (
            StatusReport.objects.latest_revisions()
            .filter(project_id__in=ids, period__in=periods)
            .values("project_id", "period", *StatusReport.DIMENSIONS)
        ):
            dimensions[values["project_id"], values["period"]] = values
    upcoming: dict[int, Milestone] = {}
    for milestone in (
        Milestone.objects.filter(project_id__in=ids, actual_date__isnull=True, forecast_date__gte=on)
        .only("project_id", "name", "forecast_date", "baseline_date")
        .order_by("project_id", "forecast_date", "pk")
    ):
        upcoming.setdefault(milestone.project_id, milestone)
    return [
        TableRow(
            project=row,
            dimensions=dimensions.get((row.pk, row.report_period), {}),
            next_milestone=upcoming.get(row.pk),
        )
        for row in snapshot.rows
    ]


def by_directorate(rows: Iterable[TableRow]) -> dict[str, list[TableRow]]:
    groups: dict[str, list[TableRow]] = defaultdict(list)
    for row in rows:
        groups[row.project.directorate_name].append(row)
    return dict(sorted(groups.items()))


def period_bounds(period: Period, *, on: date) -> tuple[date, date]:
    return period.start, period.until(on)
