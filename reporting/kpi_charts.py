"""A KPI's history as a Plotly figure dict (`pmo.charts`), with its target and RAG thresholds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pmo import charts
from reporting.kpi_pages import Band, Series, format_value
from reporting.models import Kpi
from reporting.periods import Frequency, Period

LINE_COLORS = ["#1d4f8c", "#0e9384", "#c4320a", "#6938ef", "#ca8504", "#099250", "#dd2590", "#475467"]


def _hover(kpi: Kpi, period: date, value: Decimal, name: str = "") -> str:
    label = Period(kpi.frequency, period).label
    text = f"{label}: <b>{format_value(value, kpi.unit)}</b>"
    return f"{charts.plain(name)}<br>{text}" if name else text


def _levels(kpi: Kpi, start: date, end: date) -> list[dict[str, Any]]:
    """The target and the thresholds as dashed horizontal lines across the chart, in the legend."""
    lines = []
    for value, name, color, dash in (
        (kpi.target, _("Target"), charts.COLORS["green"], "solid"),
        (kpi.amber_threshold, _("Amber threshold"), charts.COLORS["amber"], "dash"),
        (kpi.red_threshold, _("Red threshold"), charts.COLORS["red"], "dash"),
    ):
        if value is None:
            continue
        lines.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"{name} ({format_value(value, kpi.unit, short=True)})",
                "x": [start.isoformat(), end.isoformat()],
                "y": [float(value)] * 2,
                "line": {"color": color, "width": 1.5, "dash": dash},
                "hoverinfo": "skip",
            }
        )
    return lines


def _ticks(kpi: Kpi, start: date, end: date) -> dict[str, Any]:
    """Ticks at the starts of months (of quarters for a quarterly KPI), named in the reader's language:
    plotly's own month names are English only. At most a dozen, so they never overlap."""
    frequency = Frequency.QUARTERLY if kpi.frequency == Frequency.QUARTERLY else Frequency.MONTHLY
    period = Period.containing(frequency, start)
    if period.start < start:
        period = period.next()
    starts = []
    while period.start <= end:
        starts.append(period)
        period = period.next()
    step = max(1, -(-len(starts) // 7))
    shown = starts[::step]
    if frequency == Frequency.QUARTERLY:
        text = [p.label for p in shown]
    else:
        text = [date_format(p.start, "M Y") for p in shown]
    return {"tickmode": "array", "tickvals": [p.start.isoformat() for p in shown], "ticktext": text}


def history_figure(kpi: Kpi, series: list[Series], band: Band | None) -> dict[str, Any] | None:
    """One line per series (coloured by RAG when there is only one), or the average of many scopes with
    their range; None when there is nothing to draw."""
    traces: list[dict[str, Any]] = []
    days: list[date] = []
    if band is not None and band.periods:
        days = band.periods
        x = [day.isoformat() for day in days]
        traces += [
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("Lowest"),
                "x": x,
                "y": [float(v) for v in band.low],
                "line": {"width": 0, "color": LINE_COLORS[0]},
                "hoverinfo": "skip",
                "showlegend": False,
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("Lowest to highest"),
                "x": x,
                "y": [float(v) for v in band.high],
                "fill": "tonexty",
                "fillcolor": "rgba(29, 79, 140, 0.12)",
                "line": {"width": 0, "color": LINE_COLORS[0]},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("Average"),
                "x": x,
                "y": [float(v) for v in band.average],
                "line": {"color": LINE_COLORS[0], "width": 2.5},
                "marker": {"size": 6},
                "text": [
                    _hover(kpi, day, average)
                    + "<br>"
                    + _("%(count)d measured, from %(low)s to %(high)s")
                    % {"count": n, "low": format_value(low, kpi.unit), "high": format_value(high, kpi.unit)}
                    for day, average, low, high, n in zip(
                        days, band.average, band.low, band.high, band.counts, strict=True
                    )
                ],
                "hovertemplate": "%{text}<extra></extra>",
            },
        ]
    single = len(series) == 1
    for index, line in enumerate(series):
        if not line.points:
            continue
        days += [day for day, _value in line.points]
        trace: dict[str, Any] = {
            "type": "scatter",
            "mode": "lines+markers",
            "name": charts.plain(line.name),
            "x": [day.isoformat() for day, _value in line.points],
            "y": [float(value) for _day, value in line.points],
            "text": [_hover(kpi, day, value, "" if single else line.name) for day, value in line.points],
            "hovertemplate": "%{text}<extra></extra>",
            "line": {"color": LINE_COLORS[index % len(LINE_COLORS)], "width": 2.5 if single else 2},
            "marker": {"size": 7 if single else 5},
        }
        if single:
            # Each point in the colour of its RAG, so a red period shows at a glance.
            trace["marker"]["color"] = [
                charts.COLORS.get(kpi.rag_of(value), charts.COLORS["muted"]) for _day, value in line.points
            ]
            trace["marker"]["line"] = {"color": "#fff", "width": 1}
            trace["showlegend"] = False
        traces.append(trace)
    if not days:
        return None
    traces += _levels(kpi, min(days), max(days))
    # The axis fits the values and the levels (an index near 1 is not squashed against zero), but a
    # share never runs past 0 or 100 % and a count or an amount starts at zero.
    yaxis: dict[str, Any] = {"gridcolor": "#eef0f3", "zeroline": False}
    if kpi.unit == Kpi.Unit.PERCENT:
        yaxis.update(
            ticksuffix="%" if get_language() == "en" else " %",
            autorangeoptions={"clipmin": 0, "clipmax": 100},
        )
    elif kpi.unit in (Kpi.Unit.COUNT, Kpi.Unit.AMOUNT):
        yaxis.update(rangemode="tozero")
    elif kpi.unit == Kpi.Unit.INDEX:
        yaxis.update(tickformat=".2f")
    return charts.figure(
        traces,
        xaxis={"type": "date", "showgrid": False, **_ticks(kpi, min(days), max(days))},
        yaxis=yaxis,
        legend={"orientation": "h", "y": -0.15, "traceorder": "normal"},
        margin={"l": 64, "r": 16, "t": 16, "b": 40},
        height=360,
        hovermode="closest",
    )
