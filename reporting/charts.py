"""The dashboard's charts as Plotly figure dicts (`pmo.charts`), built from `PortfolioFigures` results only,
so that the PDF reports draw the same figures from the same numbers.

Each builder takes an optional `link(params) -> url`: the page passes one that adds its scope and "as at"
date, so a bar or a point opens the list behind it; a report passes none and gets no links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo import charts
from pmo.templatetags.pmo_tags import money_short
from portfolio.models import Rag
from reporting.selectors import NO_STATUS, CompliancePoint, ProjectRow, Snapshot

Link = Callable[[dict[str, Any]], str] | None

NONE = "none"  # the value of the `rag` parameter that lists the projects with no status at all
# The values of the `status` parameter that list the projects not reported for the period, or whose
# latest rating is stale (the signals beside the rating).
NOT_REPORTED, STALE = "not_reported", "stale"
RAG_SERIES = (
    (Rag.GREEN, Rag.GREEN.label, charts.COLORS["green"]),
    (Rag.AMBER, Rag.AMBER.label, charts.COLORS["amber"]),
    (Rag.RED, Rag.RED.label, charts.COLORS["red"]),
    (NO_STATUS, None, "#adb5bd"),
)
GRID = "#eef0f3"
ROADMAP_SIZE = 20
COMPLIANCE_WEEKS = 26  # the weeks the compliance chart draws, on the dashboard and in the reports
MILESTONE_COLORS = {
    "met": charts.COLORS["green"],
    "due": charts.COLORS["primary"],
    "late": charts.COLORS["red"],
}
# Besides its colour, each RAG has its fill pattern and each milestone state its shape, the legend showing
# the same: a colour-blind reader, or a greyscale print, tells them apart (WCAG 1.4.1).
RAG_PATTERNS = {Rag.GREEN: "", Rag.AMBER: "/", Rag.RED: "x", NO_STATUS: "."}
MILESTONE_SYMBOLS = {"met": "circle", "due": "diamond", "late": "x"}


def rag_pattern(shapes: str | list[str]) -> dict[str, Any]:
    # "overlay": the bar keeps its colour beneath the pattern (Plotly's default draws the pattern alone).
    return {
        "shape": shapes,
        "fillmode": "overlay",
        "fgcolor": "#fff",
        "fgopacity": 0.8,
        "size": 7,
        "solidity": 0.3,
    }


def _url(link: Link, **params: Any) -> str:
    return link(params) if link else ""


def rag_param(rag: str) -> str:
    return rag or NONE


@dataclass(frozen=True)
class Group:
    """A bar of a chart, and a row of its data table: a directorate or a portfolio and its projects."""

    pk: int | None
    code: str
    name: str
    rows: list[ProjectRow]
    snapshot: Snapshot | None = None  # for money totals in the reporting currency

    def count(self, rag: str) -> int:
        return sum(1 for row in self.rows if row.rag == rag)

    def total(self, attribute: str) -> Decimal:
        """A money figure of the projects with a budget, in the reporting currency (the projects not
        converted left out): what the budget chart and its table show."""
        return self.snapshot.total(attribute, self.rows)


def directorates(snapshot: Snapshot) -> list[Group]:
    groups = snapshot.by("directorate_id")
    found = [
        Group(pk, rows[0].directorate_code, rows[0].directorate_name, rows) for pk, rows in groups.items()
    ]
    return sorted(found, key=lambda group: group.name)


def portfolios(snapshot: Snapshot) -> list[Group]:
    groups = snapshot.by("portfolio_id")
    found = [
        Group(pk, rows[0].portfolio_code, rows[0].portfolio_name or str(_("No portfolio")), rows, snapshot)
        for pk, rows in groups.items()
    ]
    return sorted(found, key=lambda group: (group.pk is None, group.name))


BUDGET_SERIES = (
    (gettext_lazy("Budget (BAC)"), "budget", charts.COLORS["primary"]),
    (gettext_lazy("Forecast (FAC)"), "forecast_at_completion", "#f59f00"),
    (gettext_lazy("Actual cost (AC)"), "actual_cost", "#6f42c1"),
)


def rag_by_directorate_figure(snapshot: Snapshot, *, link: Link = None) -> dict[str, Any]:
    """One horizontal bar per directorate, stacked by latest rating: green / amber / red / no status."""
    groups = directorates(snapshot)
    labels = [charts.plain(group.code) for group in groups]
    names = [charts.plain(group.name) for group in groups]
    data = []
    for rag, label, color in RAG_SERIES:
        counts = [group.count(rag) for group in groups]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": str(label or _("No status")),
                "y": labels,
                "x": counts,
                "text": [count or "" for count in counts],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "marker": {"color": color, "pattern": rag_pattern(RAG_PATTERNS[rag])},
                "hovertext": names,
                "hovertemplate": "%{hovertext}<br>" + str(label or _("No status")) + ": %{x}<extra></extra>",
                "customdata": [
                    _url(link, directorate=group.pk, rag=rag_param(rag)) if count else ""
                    for group, count in zip(groups, counts, strict=True)
                ],
            }
        )
    return charts.figure(
        data,
        barmode="stack",
        xaxis={"title": {"text": _("Active projects")}, "gridcolor": GRID, "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "type": "category", "automargin": True},
        legend={"orientation": "h", "y": -0.22, "traceorder": "normal"},
        margin={"l": 64, "r": 16, "t": 8, "b": 40},
        height=max(260, 60 + 34 * len(labels)),
    )


def budget_by_portfolio_figure(snapshot: Snapshot, *, currency: str, link: Link = None) -> dict[str, Any]:
    """Per portfolio, grouped bars: budget at completion, forecast at completion, actual cost to date."""
    groups = portfolios(snapshot)
    labels = [charts.plain(group.name) for group in groups]
    data = []
    for name, attribute, color in BUDGET_SERIES:
        totals = [group.total(attribute) for group in groups]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": str(name),
                "y": labels,
                "x": [float(total) for total in totals],
                "marker": {"color": color},
                "hovertext": [money_short(total, currency) for total in totals],
                "hovertemplate": "%{y}<br>" + str(name) + ": %{hovertext}<extra></extra>",
                "customdata": [
                    _url(link, portfolio=group.pk) if group.pk is not None else "" for group in groups
                ],
            }
        )
    return charts.figure(
        data,
        barmode="group",
        bargap=0.25,
        xaxis={
            "title": {"text": currency},
            "tickformat": "~s",
            "gridcolor": GRID,
            "rangemode": "tozero",
        },
        yaxis={"autorange": "reversed", "type": "category", "automargin": True},
        legend={"orientation": "h", "y": -0.2, "traceorder": "normal"},
        margin={"l": 64, "r": 16, "t": 8, "b": 40},
        height=max(300, 90 + 44 * len(labels)),
    )


def roadmap_rows(snapshot: Snapshot, *, size: int = ROADMAP_SIZE) -> list[ProjectRow]:
    """The projects the roadmap shows: the most important first (priority, then the largest budget)."""
    dated = [row for row in snapshot.rows if row.forecast_start and row.forecast_end]
    dated.sort(key=lambda row: (row.priority, -(row.budget or 0), row.code))
    return dated[:size]


def milestone_state(milestone, on: date) -> str:
    """ "met" (achieved by `on`), "late" (not met, and past its date or forecast after its baseline), or
    "due"."""
    if milestone.actual_date is not None and milestone.actual_date <= on:
        return "met"
    if milestone.forecast_date > milestone.baseline_date or milestone.forecast_date < on:
        return "late"
    return "due"


def shorten(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def compliance_figure(
    points: list[CompliancePoint], *, target: Decimal | None = None, link: Callable[[date], str] | None = None
) -> dict[str, Any]:
    """The share of the active projects that reported, week by week; a week's point lists those that did
    not."""
    weeks = [point.period.isoformat() for point in points]
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _("Reported"),
            "x": weeks,
            "y": [None if point.share is None else float(point.share) for point in points],
            "line": {"color": charts.COLORS["primary"], "width": 2.5},
            "marker": {"size": 7},
            "hovertext": [
                _("%(reported)s of %(active)s active projects")
                % {"reported": point.reported, "active": point.active}
                for point in points
            ],
            "hovertemplate": _("Week of %(date)s") % {"date": "%{x|%d/%m/%Y}"}
            + "<br>%{y:.1f} %<br>%{hovertext}<extra></extra>",
            "customdata": [link(point.period) if link else "" for point in points],
        }
    ]
    if target is not None and weeks:
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("Target"),
                "x": [weeks[0], weeks[-1]],
                "y": [float(target), float(target)],
                "line": {"color": charts.COLORS["muted"], "width": 1.5, "dash": "dash"},
                "hoverinfo": "skip",
            }
        )
    return charts.figure(
        data,
        xaxis={"type": "date", "tickformat": "%d/%m", "hoverformat": "%d/%m/%Y", "showgrid": False},
        yaxis={"range": [0, 105], "ticksuffix": " %", "gridcolor": GRID},
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 56, "r": 16, "t": 8, "b": 40},
        height=400,
    )


def same_height(*figures: dict[str, Any]) -> None:
    """Give figures shown side by side the height of the tallest."""
    height = max(figure["layout"].get("height", 0) for figure in figures)
    for figure in figures:
        figure["layout"]["height"] = height


def project_url(code: str) -> str:
    return reverse("portfolio:project_detail", args=[code])
