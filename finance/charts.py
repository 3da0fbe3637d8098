"""The financial view's figures, as Plotly figure dicts (`pmo.charts`): the burn chart and the monthly bars.

One builder per figure: the page carries it as JSON (`json_script`, drawn by static/js/charts.js) and
the monthly and quarterly PDFs export the same dict through kaleido (`reporting.pdf.charts`), or print
`burn_table` when charts cannot be exported (REPORT_CHARTS=false). Every number comes from
`finance.selectors.FinancialView.monthly()` / `.cumulative()`: the converted projects only, as the
totals beside the chart.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from finance.selectors import FinancialView
from pmo import charts

BUDGET_COLOR = "#6c757d"
ACTUAL_COLOR = charts.COLORS["primary"]
FORECAST_COLOR = "#ef6c00"
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.15, "yanchor": "top"}


def _month(month) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def _month_axis(months: list) -> dict[str, Any]:
    """A date axis whose ticks are the months named in the active language (kaleido, which draws the
    PDF's chart, knows no Plotly locale)."""
    return {
        "type": "date",
        "tickvals": [month.isoformat() for month in months],
        "ticktext": [formats.date_format(month, "M Y") for month in months],
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def series_names() -> dict[str, str]:
    return {"budget": _("Budget"), "actual": _("Actual"), "forecast": _("Forecast")}


def burn_figure(view: FinancialView) -> dict[str, Any]:
    """Cumulative budget, actual (to the as-at month) and forecast, month by month of the fiscal year."""
    points = view.cumulative()
    months = [month.isoformat() for month, _amounts in points]
    names = series_names()
    unit = f" {view.currency}"
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": names["budget"],
            "x": months,
            "y": [_number(amounts.budget) for _m, amounts in points],
            "line": {"color": BUDGET_COLOR, "dash": "dash", "width": 2},
            "hovertemplate": f"%{{x|%b %Y}}: %{{y:,.0f}}{unit}<extra>{names['budget']}</extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": names["forecast"],
            "x": months,
            "y": [_number(amounts.forecast) for _m, amounts in points],
            "line": {"color": FORECAST_COLOR, "width": 2},
            "hovertemplate": f"%{{x|%b %Y}}: %{{y:,.0f}}{unit}<extra>{names['forecast']}</extra>",
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": names["actual"],
            "x": months,
            "y": [_number(amounts.actual) for _m, amounts in points],
            "line": {"color": ACTUAL_COLOR, "width": 3},
            "hovertemplate": f"%{{x|%b %Y}}: %{{y:,.0f}}{unit}<extra>{names['actual']}</extra>",
        },
    ]
    figure = charts.figure(
        data,
        height=340,
        legend=LEGEND,
        xaxis=_month_axis(view.fiscal_year.months),
        yaxis={"rangemode": "tozero", "tickformat": ",.0f", "automargin": True},
        margin={"l": 72, "r": 16, "t": 16, "b": 72},
    )
    return charts.narrow(figure, xaxis=_month_axis(view.fiscal_year.months[::3]))


def monthly_figure(view: FinancialView) -> dict[str, Any]:
    """Each month's budget and actual (to the as-at month) side by side, the forecast as a line."""
    rows = view.monthly()
    months = [month.isoformat() for month, _amounts in rows]
    names = series_names()
    last = view.on.replace(day=1)
    data = [
        {
            "type": "bar",
            "name": names["budget"],
            "x": months,
            "y": [_number(amounts.budget) for _m, amounts in rows],
            "marker": {"color": BUDGET_COLOR},
        },
        {
            "type": "bar",
            "name": names["actual"],
            "x": months,
            "y": [_number(amounts.actual) if month <= last else None for month, amounts in rows],
            "marker": {"color": ACTUAL_COLOR},
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": names["forecast"],
            "x": months,
            "y": [_number(amounts.forecast) for _m, amounts in rows],
            "line": {"color": FORECAST_COLOR, "width": 2},
        },
    ]
    return charts.figure(
        data,
        height=300,
        barmode="group",
        legend=LEGEND,
        xaxis=_month_axis(view.fiscal_year.months),
        yaxis={"rangemode": "tozero", "tickformat": ",.0f", "automargin": True},
        margin={"l": 72, "r": 16, "t": 16, "b": 72},
    )


def burn_table(view: FinancialView, fmt=str) -> tuple[list[str], list[list[str]]]:
    """The burn chart's data as a table (headers, rows): the page's accessible table and the PDF's
    fallback when charts cannot be exported. `fmt` formats an amount (None: not yet)."""
    names = series_names()
    headers = [str(_("Month")), names["budget"], names["actual"], names["forecast"]]
    rows = [
        [
            _month(month),
            fmt(amounts.budget),
            "—" if amounts.actual is None else fmt(amounts.actual),
            fmt(amounts.forecast),
        ]
        for month, amounts in view.cumulative()
    ]
    return headers, rows
