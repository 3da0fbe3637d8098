"""The monthly portfolio report: executive summary, KPI scorecard, portfolio table, charts, risks,
decisions, action follow-up and milestone slippage for the month; with the PMO's curation when the report
was built from a published executive pack (`content.curation`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from reporting.models import Report
from reporting.pdf.content import common, curation
from reporting.pdf.content.finances import finances
from reporting.selectors import PortfolioFigures
from risks.models import Impact, Probability, Risk, RiskLevel
from risks.selectors import Heatmap, heatmap, top_risks
from standards.services_exception import open_exceptions

TOP_RISKS = 10


def risk_grid(figures: PortfolioFigures) -> Heatmap:
    """The dashboard's heatmap grid of the open risks (one query)."""
    return heatmap(figures.risks, policy=figures.policy)


def heatmap_table(grid: Heatmap) -> dict[str, Any]:
    """The grid as the report prints it: each row (probability 5 down to 1) with its label, the impact
    labels (1 to 5) beneath, and the levels' names for the key.

    Plotly draws a heatmap as an embedded raster (a `data:` image), which the report's fetcher rightly
    refuses: the report prints the figure's own input as a table of coloured cells instead, which also
    reads better in black and white."""
    probabilities = dict(Probability.choices)
    return {
        "rows": [(probabilities[row[0].probability], row) for row in grid.rows],
        "impacts": [str(label) for label in Impact.labels],
        "levels": {level.value: str(level.label) for level in RiskLevel},
    }


def main_risks(figures: PortfolioFigures, *, limit: int = TOP_RISKS) -> list[Risk]:
    """The open risks that matter most (the register's order), with their project (one query)."""
    risks = top_risks(figures.risks.select_related("project", "owner"), limit=limit)
    for risk in risks:
        risk.level = risk.level_in(figures.policy)
    return risks


def body(report: Report, figures: PortfolioFigures, *, start: date, on: date) -> dict[str, Any]:
    """What the monthly and the quarterly reports share, over [start, on] (a month or a quarter)."""
    snapshot = figures.snapshot(on)
    grid = risk_grid(figures)
    table = common.portfolio_table(snapshot, on=on)
    scorecard = common.scorecard(figures, on=on)
    # "Milestones met" has one value in a report: the scorecard's tile, the dashboard's.
    milestones_from = common.milestones_start(scorecard, start=start)
    curated = curation.of(report)
    exceptions = common.exceptions(table)
    shown = exceptions[: common.EXCEPTIONS_SHOWN]
    return {
        **common.header(report),
        "as_at": on,
        "start": start,
        "snapshot": snapshot,
        "headline": common.headline(figures, snapshot),
        "tiles": scorecard,
        "table": table,
        "exceptions": exceptions,
        # The worst first, as many as a reader takes in: every project is in the portfolio table anyway.
        "exceptions_shown": shown,
        "curation": curated,
        # The exceptional projects the PMO commented on, with their comment (the worst first).
        "commented": [
            (line, curated.projects[line.project.code])
            for line in shown
            if curated and curated.projects.get(line.project.code)
        ],
        "charts": common.portfolio_charts(figures, snapshot),
        "heatmap": grid,
        "heatmap_table": heatmap_table(grid),
        "risks": main_risks(figures),
        "decisions": common.decisions(figures, start, on),
        "overdue": common.overdue_actions(figures, on),
        "due_soon": common.due_soon(figures, on),
        "due_soon_days": common.DUE_SOON_DAYS,
        "missed": common.missed_milestones(figures, milestones_from, on),
        "milestones": figures.milestones(milestones_from, on),
        "milestones_from": milestones_from,
        "slips": common.slips(snapshot),
        "confidence": common.confidence(snapshot),
        "finances": finances(figures, on=on),
        # Projects beyond their tolerance (standards): their exception report, until it is closed.
        "open_exceptions": open_exceptions(figures.projects, on=on),
    }


def context(report: Report) -> dict[str, Any]:
    on = common.as_at(report)
    period = report.as_period
    start = period.start if period else on.replace(day=1)
    return body(report, common.figures_of(report), start=start, on=on)
