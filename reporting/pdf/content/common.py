"""What every report's context holds (its header, its figures), and the pieces several kinds share:
the headline figures, the KPI scorecard, the portfolio table, the dashboard's charts with their data as
a fallback table, and the governance lists (decisions, actions, milestones, risks).

Every figure is read from `reporting.selectors.PortfolioFigures` (or the tiles, the risk selectors),
as the dashboard reads it; the lists here are the rows behind those figures, filtered the same way.
Each function costs a fixed number of queries, whatever the number of projects.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from governance.models import Action, Decision
from pmo.money import reporting_currency
from pmo.templatetags.pmo_tags import money_short
from portfolio.assurance import Confidence
from portfolio.models import Milestone, StatusReport
from reporting import charts as dashboard_charts
from reporting.models import Kpi, Report
from reporting.pdf import charts as pdf_charts
from reporting.periods import Period
from reporting.selectors import NO_STATUS, RAGS, PortfolioFigures, ProjectRow, Snapshot
from reporting.templatetags.reporting_tags import percent
from reporting.tiles import Tile, dashboard_kpis, tiles

# A chart's size on the page, in CSS pixels (96 per inch): half and full width of A4 landscape.
HALF = (500, 300)
FULL = (1000, 360)
WIDE_LOW = (1000, 240)
DUE_SOON_DAYS = 14
BUDGET_KPI = "forecast_to_budget"


@dataclass
class Chart:
    """A chart as inline SVG, or, when charts cannot be exported, its data as a table."""

    title: str
    svg: str | None
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""  # what the reader must know to read it (e.g. "as it stands today")


def chart(
    title: str,
    figure: dict[str, Any],
    *,
    size: tuple[int, int],
    headers: list[str],
    rows: list[list[Any]],
    note: str = "",
) -> Chart:
    width, height = size
    return Chart(
        title=title,
        svg=pdf_charts.svg(for_print(figure), width=width, height=height),
        headers=headers,
        rows=rows,
        note=note,
    )


def for_print(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure with its horizontal legend above the plot: on a chart shorter than the screen's, a
    legend below collides with the axis title. The data are untouched."""
    layout = dict(figure.get("layout", {}))
    legend = layout.get("legend")
    if legend and legend.get("orientation") == "h":
        # At the top of the image rather than of the plot: a label above the plot (the roadmap's "today")
        # sits between the two instead of under the legend.
        above = any(
            note.get("yref") == "paper" and note.get("y", 0) >= 1 for note in layout.get("annotations", [])
        )
        layout["legend"] = {
            **legend,
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "x": 0,
            "xanchor": "left",
        }
        margin = dict(layout.get("margin", {}))
        margin["t"] = max(margin.get("t", 0), 56 if above else 36)
        layout["margin"] = margin
    return {**figure, "layout": layout}


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
        "currency": reporting_currency(),
        "font_family": settings.REPORT_FONT_FAMILY,
    }


def scorecard(figures: PortfolioFigures, *, on: date) -> list[Tile]:
    """The dashboard's tiles as at `on`: the same KPIs, values, RAGs and trends."""
    return tiles(dashboard_kpis(), figures=figures, as_at=on, today=figures.today)


def milestones_start(scorecard: list[Tile], *, start: date) -> date:
    """The first day of the window "milestones met" is read over: the dashboard tile's period when the
    scorecard shows the KPI (so the figure in the text is the tile's, not a second one over another
    window), else the report's own period."""
    for tile in scorecard:
        if tile.kpi.function == "milestones_met" and tile.period is not None:
            return tile.period.start
    return start


# --- Headline figures -------------------------------------------------------------------------------


@dataclass
class Headline:
    """The figures the executive summary states, all from the snapshot and `PortfolioFigures`."""

    snapshot: Snapshot
    exposure: int
    critical: int
    overdue_actions: int

    @property
    def counts(self) -> dict[str, int]:
        """The latest ratings ("none": no status), how many did not report for the period, how many
        ratings are stale: the dashboard's counts."""
        counts = {rag or "none": self.snapshot.count(rag) for rag in (*RAGS, NO_STATUS)}
        counts.update(not_reported=self.snapshot.not_reported, stale=self.snapshot.stale)
        return counts

    @property
    def overrun(self) -> Decimal | None:
        """How far the forecast at completion is over (+) or under (-) the budget, in percent."""
        ratio = self.snapshot.forecast_to_budget
        return None if ratio is None else (ratio - 1) * 100


def headline(figures: PortfolioFigures, snapshot: Snapshot) -> Headline:
    exposure, critical = figures.risk_exposure(snapshot.on)
    return Headline(
        snapshot=snapshot,
        exposure=exposure,
        critical=critical,
        overdue_actions=figures.overdue_actions(snapshot.on),
    )


# --- The portfolio table ----------------------------------------------------------------------------


@dataclass
class TableRow:
    """A project's line in a report's portfolio table."""

    project: ProjectRow
    dimensions: dict[str, str]  # schedule_rag, cost_rag, scope_rag, resources_rag of the status in force
    next_milestone: Milestone | None
    budget_rag: str = ""  # its forecast against budget judged by the portfolio KPI's thresholds
    # The first line of its directorate carries the directorate's heading and size, so that the table
    # may be cut into parts anywhere (rendered in parallel) and still say the whole group's size.
    group_size: int = 0

    @property
    def overrun(self) -> bool:
        """Over budget beyond the tolerance the PMO set on the portfolio's forecast-to-budget KPI."""
        return self.budget_rag in ("amber", "red")


def budget_kpi() -> Kpi | None:
    """The KPI whose thresholds say how far over budget a forecast may go (one query)."""
    return Kpi.objects.active().filter(function=BUDGET_KPI).first()


def budget_rag(row: ProjectRow, kpi: Kpi | None) -> str:
    if not row.budget or row.forecast_at_completion is None:
        return ""
    ratio = row.forecast_at_completion / row.budget
    if kpi is None:  # no tolerance defined: any overrun is one
        return "red" if ratio > 1 else ""
    return kpi.rag_of(ratio)


def portfolio_table(snapshot: Snapshot, *, on: date) -> list[TableRow]:
    """Each project of the snapshot, by directorate then code, with its RAG per dimension and its next
    milestone (three queries)."""
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
    if ids:
        for milestone in (
            Milestone.objects.filter(project_id__in=ids, actual_date__isnull=True, forecast_date__gte=on)
            .only("project_id", "name", "forecast_date", "baseline_date")
            .order_by("project_id", "forecast_date", "pk")
        ):
            upcoming.setdefault(milestone.project_id, milestone)
    rows = sorted(snapshot.rows, key=lambda row: (row.directorate_name, row.code))
    sizes = Counter(row.directorate_id for row in rows)
    kpi = budget_kpi()
    lines = []
    for n, row in enumerate(rows):
        first = n == 0 or rows[n - 1].directorate_id != row.directorate_id
        lines.append(
            TableRow(
                project=row,
                dimensions=dimensions.get((row.pk, row.report_period), {}),
                next_milestone=upcoming.get(row.pk),
                budget_rag=budget_rag(row, kpi),
                group_size=sizes[row.directorate_id] if first else 0,
            )
        )
    return lines


def by_directorate(rows: list[TableRow]) -> dict[str, list[TableRow]]:
    """The table's lines by directorate name (kept from the reports core for the other kinds)."""
    groups: dict[str, list[TableRow]] = defaultdict(list)
    for row in rows:
        groups[row.project.directorate_name].append(row)
    return dict(sorted(groups.items()))


EXCEPTIONS_SHOWN = 40  # lines of the exception summary; at 1,000 projects there may be hundreds


def exceptions(table: list[TableRow]) -> list[TableRow]:
    """The lines an executive must look at: red or amber (latest rating), over budget beyond tolerance, or
    not reported for the week (no status at all among them); worst first."""
    order = {"red": 0, "amber": 1}

    def rank(line: TableRow) -> int:
        return order.get(line.project.rag, 2 if line.project.not_reported else 3)

    chosen = [line for line in table if rank(line) < 3 or line.overrun]
    return sorted(chosen, key=lambda line: (rank(line), line.project.code))


@dataclass
class ConfidenceSummary:
    """The PMO's assessed delivery confidence across the snapshot: a count per level (green to red, then
    not assessed: the dashboard's bars) and the projects whose declared RAG it disagrees with."""

    levels: list[tuple[str, int]]
    not_assessed: int
    disagreements: list[ProjectRow]
    assessed_worse: int


def confidence(snapshot: Snapshot, *, shown: int = EXCEPTIONS_SHOWN) -> ConfidenceSummary:
    """The reports' "Delivery confidence" section (no query: the snapshot carries the assessments)."""
    rows = [row for row in snapshot.rows if row.disagrees]
    rows.sort(key=lambda row: (not row.assessed_worse, row.directorate_name, row.code))
    return ConfidenceSummary(
        levels=[(level.value, snapshot.confidence_count(level.value)) for level in Confidence],
        not_assessed=snapshot.not_assessed,
        disagreements=rows[:shown],
        assessed_worse=snapshot.assessed_worse,
    )


def slips(snapshot: Snapshot) -> list[tuple[ProjectRow, int]]:
    """The dashboard's largest slips (forecast end past baseline end), with the slip in days."""
    return snapshot.largest_slips()


# --- Charts -----------------------------------------------------------------------------------------


def _bar_rows(figure: dict[str, Any], fmt=str) -> tuple[list[str], list[list[str]]]:
    """A bar chart's data as a table: a line per category, a column per series (read from the figure
    itself, so that the table is exactly what the chart would draw)."""
    data = figure["data"]
    labels = data[0]["y"] if data else []
    headers = [""] + [trace["name"] for trace in data]
    rows = [[label] + [fmt(trace["x"][n]) for trace in data] for n, label in enumerate(labels)]
    return headers, rows


def _money(value: float) -> str:
    return money_short(Decimal(str(value)), reporting_currency())


def _day(day: date | None) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else "—"


def portfolio_charts(figures: PortfolioFigures, snapshot: Snapshot) -> dict[str, Chart]:
    """The dashboard's charts, drawn by the same figure builders, each with its data as a table for when
    charts cannot be exported (three queries: the roadmap's milestones, the compliance history).

    The risk heatmap is not among them: Plotly draws a heatmap as an embedded raster (a `data:` image),
    which the report's fetcher rightly refuses; the report draws the same grid
    (`risks.selectors.heatmap`, the figure's own input) as a table of coloured cells instead, which
    also reads better printed in black and white."""
    currency = snapshot.currency
    result = {}

    rag_figure = dashboard_charts.rag_by_directorate_figure(snapshot)
    budget_figure = dashboard_charts.budget_by_portfolio_figure(snapshot, currency=currency)
    dashboard_charts.same_height(rag_figure, budget_figure)  # side by side on the page
    height = HALF[1]  # the page's height, not the screen's: both fit above the compliance chart
    headers, rows = _bar_rows(rag_figure)
    result["rag"] = chart(
        _("RAG by directorate"), rag_figure, size=(HALF[0], height), headers=headers, rows=rows
    )
    headers, rows = _bar_rows(budget_figure, _money)
    result["budget"] = chart(
        _("Budget, forecast and actual cost by portfolio"),
        budget_figure,
        size=(HALF[0], height),
        headers=headers,
        rows=rows,
    )

    # Imported here: the roadmap's module reads this one's `chart`.
    from reporting.pdf.content.roadmap import roadmap_pages

    result["roadmap_pages"] = roadmap_pages(figures, snapshot)

    kpi = next((kpi for kpi in dashboard_kpis() if kpi.function == "status_compliance"), None)
    points = figures.compliance_history(weeks=dashboard_charts.COMPLIANCE_WEEKS, on=snapshot.on)
    figure = dashboard_charts.compliance_figure(points, target=kpi.target if kpi else None)
    result["compliance"] = chart(
        _("Status-report compliance, week by week"),
        figure,
        size=WIDE_LOW,
        headers=[_("Week of"), _("Reported"), _("Active projects"), _("Share")],
        rows=[
            [_day(point.period), point.reported, point.active, percent(point.share, 1)] for point in points
        ],
    )

    return result


# --- Governance lists -------------------------------------------------------------------------------


def decisions(figures: PortfolioFigures, start: date, end: date) -> list[Decision]:
    """The decisions `PortfolioFigures.decisions_in` counts as taken in [start, end] (one query)."""
    return list(
        figures.decisions.filter(decided_on__range=(start, end))
        .select_related("committee", "project")
        .order_by("decided_on", "reference")
    )


def _actions(queryset: QuerySet[Action], on: date) -> list[Action]:
    """The actions, each with its state as at the end of `on` (`open_then`: done only since, so open
    then): a report of a past period never lists a done action as overdue or due."""
    actions = list(queryset.select_related("owner", "project").order_by("due_date", "reference"))
    for action in actions:
        action.open_then = action.completed_on is not None and action.completed_on > on
    return actions


def overdue_actions(figures: PortfolioFigures, on: date) -> list[Action]:
    """The actions `PortfolioFigures.overdue_actions(on)` counts (one query)."""
    return _actions(figures.actions.overdue(on), on)


def became_overdue(figures: PortfolioFigures, start: date, on: date) -> list[Action]:
    """Of the overdue actions at `on`, those that were not overdue yet at the start of [start, on]:
    due from the eve of `start` (an action due that day is late the day after)."""
    return [action for action in overdue_actions(figures, on) if action.due_date >= start - timedelta(days=1)]


def due_soon(figures: PortfolioFigures, on: date, *, days: int = DUE_SOON_DAYS) -> list[Action]:
    """The open actions due in the `days` days from `on`: `ActionQuerySet.due_soon` (one query)."""
    return _actions(figures.actions.due_soon(on, days), on)


def missed_milestones(figures: PortfolioFigures, start: date, end: date) -> list[Milestone]:
    """The milestones `PortfolioFigures.milestones` counts as due in [start, end] and not met by `end`,
    with their slip (forecast against baseline) (one query)."""
    return list(
        figures.milestones_due(start, end).filter(met=False).order_by("baseline_date", "project__code")
    )


def period_bounds(period: Period, *, on: date) -> tuple[date, date]:
    return period.start, period.until(on)
