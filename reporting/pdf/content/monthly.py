"""The monthly portfolio report: executive summary, KPI scorecard, portfolio table, charts, risks,
decisions, action follow-up and milestone slippage for the month."""

from __future__ import annotations

from typing import Any

from reporting.models import Report
from reporting.pdf.content import common


def context(report: Report) -> dict[str, Any]:
    figures = common.figures_of(report)
    on = common.as_at(report)
    snapshot = figures.snapshot(on)
    return {
        **common.header(report),
        "as_at": on,
        "snapshot": snapshot,
        "tiles": common.scorecard(figures, on=on),
        "table": common.portfolio_table(snapshot, on=on),
    }
