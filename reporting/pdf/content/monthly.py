"""The monthly portfolio report: executive summary, KPI scorecard, portfolio table, charts, risks,
decisions, action follow-up and milestone slippage for the month."""

from __future__ import annotations

from datetime import date
from typing import Any

from reporting.models import Report
from reporting.pdf.content import common
from reporting.selectors import PortfolioFigures


def body(report: Report, figures: PortfolioFigures, *, start: date, on: date) -> dict[str, Any]:
    """What the monthly and the quarterly reports share, over [start, on] (a month or a quarter)."""
    snapshot = figures.snapshot(on)
    grid = common.risk_grid(figures)
    table = common.portfolio_table(snapshot, on=on)
    return {
        **common.header(report),
        "as_at": on,
        "start": start,
        "snapshot": snapshot,
        "headline": common.headline(figures, snapshot),
        "tiles": common.scorecard(figures, on=on),
        "table": table,
        "exceptions": common.exceptions(table),
        "charts": common.portfolio_charts(figures, snapshot),
        "heatmap": grid,
        "heatmap_table": common.heatmap_table(grid),
        "risks": common.main_risks(figures),
        "decisions": common.decisions(figures, start, on),
        "overdue": common.overdue_actions(figures, on),
        "due_soon": common.due_soon(figures, on),
        "due_soon_days": common.DUE_SOON_DAYS,
        "missed": common.missed_milestones(figures, start, on),
        "milestones": figures.milestones(start, on),
        "slips": common.slips(snapshot),
    }


def context(report: Report) -> dict[str, Any]:
    on = common.as_at(report)
    period = report.as_period
    start = period.start if period else on.replace(day=1)
    return body(report, common.figures_of(report), start=start, on=on)
