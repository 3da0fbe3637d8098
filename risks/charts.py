"""The register's charts as Plotly figure dicts (`pmo.charts`): the heatmap and the exposure over time.

Built from the selectors' results only, so the PDF reports can draw the same figures.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _

from pmo import charts
from risks.models import Impact, Probability, RiskLevel
from risks.selectors import ExposurePoint, Heatmap

# A discrete colour scale: each level rank (1..4) gets one flat band of its colour, so a cell is
# coloured by its level, never by a gradient between levels.
_RANKS = len(RiskLevel)
LEVEL_COLORSCALE = [
    [position, charts.COLORS[level.value]]
    for index, level in enumerate(RiskLevel)
    for position in (index / _RANKS, (index + 1) / _RANKS)
]


# The count in a cell, in a colour that reads at 4.5:1 or more on the cell's (WCAG 1.4.3): Plotly's own
# choice, #444 on the orange of "high", read at 3.2:1. Annotations, as a heatmap's text has one colour.
COUNT_COLORS = {"low": "#fff", "medium": "#212529", "high": "#212529", "critical": "#fff"}


def heatmap_figure(grid: Heatmap) -> dict[str, Any]:
    """x = impact 1..5, y = probability 1..5 (bottom to top), colour = level, text = count; a cell
    with risks links to the register listing them."""
    by_probability = sorted(grid.rows, key=lambda row: row[0].probability)  # plotly draws row 0 at the bottom
    trace = {
        "type": "heatmap",
        "x": list(Impact.values),
        "y": list(Probability.values),
        "z": [[cell.level.rank for cell in row] for row in by_probability],
        "zmin": 0.5,
        "zmax": _RANKS + 0.5,
        "colorscale": LEVEL_COLORSCALE,
        "showscale": False,
        "xgap": 3,
        "ygap": 3,
        "text": [[cell.count for cell in row] for row in by_probability],
        "hovertext": [
            [
                _("%(level)s (score %(score)s)") % {"level": cell.level.label, "score": cell.score}
                for cell in row
            ]
            for row in by_probability
        ],
        "hovertemplate": (
            _("Probability %(p)s, impact %(i)s") % {"p": "%{y}", "i": "%{x}"}
            + "<br>%{hovertext}<br>"
            + _("Open risks: %(count)s") % {"count": "%{text}"}
            + "<extra></extra>"
        ),
        # An empty cell links nowhere; charts.js opens the others' register lists.
        "customdata": [[cell.url if cell.count else "" for cell in row] for row in by_probability],
    }
    axis = {"tickmode": "array", "fixedrange": True, "showgrid": False, "zeroline": False}
    figure = charts.figure(
        [trace],
        xaxis={
            **axis,
            "title": {"text": _("Impact")},
            "tickvals": list(Impact.values),
            "ticktext": [str(label) for label in Impact.labels],
            "side": "bottom",
        },
        yaxis={
            **axis,
            "title": {"text": _("Probability")},
            "tickvals": list(Probability.values),
            "ticktext": [str(label) for label in Probability.labels],
        },
        margin={"l": 130, "r": 8, "t": 8, "b": 56},
        height=430,
        annotations=[
            {
                "x": cell.impact,
                "y": cell.probability,
                "text": str(cell.count),
                "showarrow": False,
                "font": {"size": 18, "color": COUNT_COLORS[cell.level.value]},
            }
            for row in by_probability
            for cell in row
        ],
    )
    # On a phone the levels' names overlap: their numbers alone (the table beside has the names).
    numbers = {"ticktext": [str(value) for value in Impact.values]}
    return charts.narrow(
        figure,
        xaxis={**numbers, "tickangle": 0},
        yaxis={"ticktext": [str(value) for value in Probability.values]},
        margin={"l": 56, "r": 8, "t": 8, "b": 56},
    )


def exposure_figure(points: list[ExposurePoint]) -> dict[str, Any]:
    """The exposure (sum of open scores) as a line, the critical risks as bars on a second axis."""
    days = [point.on.isoformat() for point in points]
    figure = charts.figure(
        [
            {
                "type": "bar",
                "name": _("Critical risks"),
                "x": days,
                "y": [point.critical for point in points],
                "yaxis": "y2",
                "marker": {"color": charts.COLORS["critical"], "opacity": 0.35},
                "hovertemplate": _("Critical risks: %(n)s") % {"n": "%{y}"} + "<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("Exposure"),
                "x": days,
                "y": [point.score for point in points],
                "line": {"color": charts.COLORS["primary"], "width": 2.5},
                "marker": {"size": 5},
                "hovertemplate": _("Exposure: %(n)s") % {"n": "%{y}"} + "<extra></extra>",
            },
        ],
        xaxis={"type": "date", "tickformat": "%d/%m", "hoverformat": "%d/%m/%Y", "showgrid": False},
        yaxis={
            "title": {"text": _("Exposure (sum of scores)")},
            "rangemode": "tozero",
            "gridcolor": "#eef0f3",
        },
        yaxis2={
            "title": {"text": _("Critical risks")},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
        },
        legend={"orientation": "h", "y": -0.18},
        hovermode="x unified",
        margin={"l": 56, "r": 48, "t": 8, "b": 40},
        height=300,
    )
    # Whole risks on the right axis, never 2.45 of one.
    figure["layout"]["yaxis2"]["dtick"] = max(1, math.ceil(max((p.critical for p in points), default=0) / 5))
    return figure
