"""The roadmap's and the project timeline's figures, as Plotly figure dicts (`pmo.charts`).

Plotly, already served by the app (static/vendor/plotly) and exported by kaleido for the PDF reports,
rather than a Gantt library from npm (frappe-gantt, vis-timeline): the roadmap page, the monthly and
quarterly reports and the project's plan draw the same figure from these functions, one builder per
figure, and the reports need no second drawing path. Bars are horizontal bars on a date axis (`base`:
the start, `x`: the length in milliseconds), grouped on a two-level (directorate or portfolio, project)
axis; milestones are markers shaped by their state (met, forecast, late) as on the dashboard.

A builder takes an optional `link_project(code) -> url`: the page passes one, so a bar opens the project;
a report passes none. Names users typed go through `pmo.charts.plain` (Plotly reads a little HTML).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from pmo import charts
from reporting.charts import (
    GRID,
    MILESTONE_COLORS,
    MILESTONE_SYMBOLS,
    RAG_PATTERNS,
    RAG_SERIES,
    milestone_state,
    rag_pattern,
    shorten,
)

from .roadmap import Roadmap, RoadmapGroup, RoadmapRow

ProjectLink = Callable[[str], str] | None
NAME = 26  # characters of a project's name beside its code on the axis
BAR_HEIGHT = 22  # pixels per project on the page and on paper
BASELINE_COLOR = "#adb5bd"
DEPENDENCY_COLOR = "#6f42c1"
LEGEND = {"orientation": "h", "yref": "container", "y": 1, "yanchor": "top", "x": 0, "xanchor": "left"}


def _ms(start: date, end: date) -> int:
    """The length of [start, end] in milliseconds: what a date axis measures a bar's length in."""
    return int((end - start + timedelta(days=1)).total_seconds() * 1000)


def day_formatter() -> Callable[[date], str]:
    """`date_format(day, "SHORT_DATE_FORMAT")` in the active language, as one strftime when the format
    allows (d/m/Y, m/d/Y...): a roadmap formats thousands of dates, and Django's formatter costs ten times
    as much per call."""
    pattern = formats.get_format("SHORT_DATE_FORMAT")
    codes = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y"}
    if all(char in codes or not char.isalpha() for char in pattern):
        strftime = "".join(codes.get(char, char.replace("%", "%%")) for char in pattern)
        return lambda day: day.strftime(strftime)
    return lambda day: formats.date_format(day, "SHORT_DATE_FORMAT")


def _day(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def milestone_names() -> dict[str, str]:
    return {"met": _("Milestone met"), "due": _("Milestone forecast"), "late": _("Milestone late")}


def zoom_ranges(on: date) -> dict[str, list[str]]:
    """The x ranges of the zoom buttons: the quarter and the year holding `on` ("all": autorange)."""
    first_month = 3 * ((on.month - 1) // 3) + 1
    quarter_start = date(on.year, first_month, 1)
    quarter_end = date(on.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1)
    return {
        "quarter": [quarter_start.isoformat(), quarter_end.isoformat()],
        "year": [date(on.year, 1, 1).isoformat(), date(on.year + 1, 1, 1).isoformat()],
    }


def _date_line(on: date, label: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The line at `on` (today, or the as-at date) and its label above the plot."""
    moment = datetime.combine(on, time(12)).isoformat()
    line = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": moment,
        "x1": moment,
        "y0": 0,
        "y1": 1,
        "line": {"color": "#212529", "width": 1.5, "dash": "dot"},
    }
    # Below the plot: the date axis is on top (a long roadmap's dates stay in sight), the legend above it.
    note = {
        "x": moment,
        "y": 0,
        "xref": "x",
        "yref": "paper",
        "yanchor": "top",
        "showarrow": False,
        "text": label,
        "font": {"size": 11},
    }
    return line, note


def _milestone_traces(
    points: list[tuple[list[str], Any, str]], on: date, *, size: int = 10
) -> list[dict[str, Any]]:
    """One scatter trace per milestone state; `points`: (y, milestone, link), the milestone a
    `RoadmapMilestone` or the dashboard's `MilestoneRow`; a trace whose points have no link carries no
    `customdata`."""
    names = milestone_names()
    day = day_formatter()
    baseline = _("Baseline %(date)s")
    traces = []
    for state in ("met", "due", "late"):
        chosen = [(y, m, link) for y, m, link in points if milestone_state(m, on) == state]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": names[state],
                "y": _axis([y for y, _m, _l in chosen]),
                "x": [
                    (m.actual_date if state == "met" else m.forecast_date).isoformat() for _y, m, _l in chosen
                ],
                "marker": {
                    "symbol": MILESTONE_SYMBOLS[state],
                    "size": size,
                    "color": MILESTONE_COLORS[state],
                    "line": {"color": "#fff", "width": 1},
                },
                "hovertext": [
                    charts.plain(m.name) + "<br>" + baseline % {"date": day(m.baseline_date)}
                    for _y, m, _l in chosen
                ],
                "hovertemplate": "%{hovertext}<br>%{x|%d/%m/%Y}<extra></extra>",
            }
        )
        if any(link for _y, _m, link in chosen):
            traces[-1]["customdata"] = [link for _y, _m, link in chosen]
    return traces


def _axis(labels: list[list[str]]) -> list[list[str]]:
    """[[group, project], ...] as Plotly's two-level axis wants it: [[groups...], [projects...]]."""
    return [[label[0] for label in labels], [label[1] for label in labels]]


def group_label(group: RoadmapGroup) -> str:
    return charts.plain(group.code or shorten(group.name, 18))


def project_label(row: RoadmapRow) -> str:
    return charts.plain(f"{row.code} {shorten(row.name, NAME)}")


def roadmap_figure(
    roadmap: Roadmap,
    *,
    groups: Iterable[RoadmapGroup] | None = None,
    link_project: ProjectLink = None,
    date_label: str | None = None,
) -> dict[str, Any]:
    """The portfolio roadmap: per project (grouped by directorate or portfolio) its baseline as a light
    bar, its forecast as the main bar coloured and patterned by its RAG, its milestones as markers, and a
    line at the roadmap's date. `groups`: those to draw (a PDF page's), all by default."""
    groups = list(roadmap.groups if groups is None else groups)
    day = day_formatter()
    rows = [(group, row) for group in groups for row in group.rows]
    labels = [[group_label(group), project_label(row)] for group, row in rows]
    colors = {rag: color for rag, _label, color in RAG_SERIES}
    links = [link_project(row.code) if link_project else "" for _group, row in rows]
    with_baseline = [
        (label, row.project)
        for label, (_group, row) in zip(labels, rows, strict=True)
        if row.project.baseline_start and row.project.baseline_end
    ]
    baseline = {
        "type": "bar",
        "orientation": "h",
        "name": _("Baseline"),
        "y": _axis([label for label, _p in with_baseline]),
        "base": [project.baseline_start.isoformat() for _l, project in with_baseline],
        "x": [_ms(project.baseline_start, project.baseline_end) for _l, project in with_baseline],
        "width": 0.8,
        "marker": {"color": BASELINE_COLOR, "opacity": 0.35},
        "hoverinfo": "skip",
    }
    forecast = {
        "type": "bar",
        "orientation": "h",
        "name": _("Forecast"),
        "y": _axis(labels),
        "base": [row.project.forecast_start.isoformat() for _g, row in rows],
        "x": [_ms(row.project.forecast_start, row.project.forecast_end) for _g, row in rows],
        "width": 0.45,
        "marker": {
            "color": [colors[row.project.rag] for _g, row in rows],
            "pattern": rag_pattern([RAG_PATTERNS[row.project.rag] for _g, row in rows]),
        },
        "hovertext": [
            charts.plain(f"{row.code} {row.name}")
            + f"<br>{day(row.project.forecast_start)} → {day(row.project.forecast_end)}"
            for _g, row in rows
        ],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": links,
    }
    # The milestones are not links: their project's bar is, and a link per marker would double the JSON.
    points = [
        (label, milestone, "")
        for label, (_group, row) in zip(labels, rows, strict=True)
        for milestone in row.milestones
    ]
    line, note = _date_line(roadmap.on, date_label or _day(roadmap.on))
    figure = charts.figure(
        [baseline, forecast, *_milestone_traces(points, roadmap.on)],
        barmode="overlay",
        xaxis={"type": "date", "gridcolor": GRID, "tickformat": "%m/%Y", "side": "top"},
        yaxis={"autorange": "reversed", "type": "multicategory", "automargin": True, "dividercolor": GRID},
        legend=LEGEND,
        shapes=[line],
        annotations=[note],
        margin={"l": 64, "r": 16, "t": 72, "b": 28},
        height=max(260, 110 + BAR_HEIGHT * len(rows)),
    )
    return charts.narrow(figure, xaxis={"tickformat": "%Y", "nticks": 4})


# --- The project's timeline (the plan page's panel) ------------------------------------------------


def timeline_figure(timeline: Any, *, link_project: ProjectLink = None) -> dict[str, Any]:
    """One project's plan: a row per planned phase (its planned dates), a row per milestone (a light bar
    from its baseline to its forecast, the markers of the dashboard's states) and a row per dependency
    (a marker at its needed-by date, and the other project's milestone; a project the reader may not see
    is "a confidential project"). `timeline`: `planning.timeline.Timeline`."""
    phase_group, milestone_group, dependency_group = _("Phases"), _("Milestones"), _("Dependencies")
    data: list[dict[str, Any]] = []
    phases = [phase for phase in timeline.phases if phase.planned_start and phase.planned_end]
    data.append(
        {
            "type": "bar",
            "orientation": "h",
            "name": _("Planned phase"),
            "y": _axis([[phase_group, charts.plain(phase.name)] for phase in phases]),
            "base": [phase.planned_start.isoformat() for phase in phases],
            "x": [_ms(phase.planned_start, phase.planned_end) for phase in phases],
            "width": 0.5,
            "marker": {"color": charts.COLORS["primary"], "opacity": 0.7},
            "hovertext": [
                charts.plain(phase.name) + f"<br>{_day(phase.planned_start)} → {_day(phase.planned_end)}"
                for phase in phases
            ],
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
    )
    # Numbered in plan order: two milestones of the same name keep a row each.
    labels = [
        [milestone_group, charts.plain(f"{n}. {shorten(m.name, 30)}")]
        for n, m in enumerate(timeline.milestones, start=1)
    ]
    slipped = [(label, m) for label, m in zip(labels, timeline.milestones, strict=True)]
    data.append(
        {
            "type": "bar",
            "orientation": "h",
            "name": _("Baseline to forecast"),
            "y": _axis([label for label, _m in slipped]),
            "base": [min(m.baseline_date, m.forecast_date).isoformat() for _l, m in slipped],
            "x": [
                _ms(min(m.baseline_date, m.forecast_date), max(m.baseline_date, m.forecast_date))
                for _l, m in slipped
            ],
            "width": 0.3,
            "marker": {"color": BASELINE_COLOR, "opacity": 0.5},
            "hoverinfo": "skip",
        }
    )
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": _("Baseline date"),
            "y": _axis([label for label, _m in slipped]),
            "x": [m.baseline_date.isoformat() for _l, m in slipped],
            "marker": {"symbol": "line-ns-open", "size": 14, "color": "#495057", "line": {"width": 2}},
            "hovertext": [charts.plain(m.name) for _l, m in slipped],
            "hovertemplate": "%{hovertext}<br>" + _("Baseline") + " %{x|%d/%m/%Y}<extra></extra>",
        }
    )
    data.extend(_milestone_traces([(label, m, "") for label, m in slipped], timeline.on, size=11))
    dependencies = timeline.dependencies
    dep_labels = [
        [dependency_group, charts.plain(f"{n}. {shorten(d.label, 34)}")]
        for n, d in enumerate(dependencies, start=1)
    ]
    needed = [(label, d) for label, d in zip(dep_labels, dependencies, strict=True) if d.needed_by]
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": _("Needed by"),
            "y": _axis([label for label, _d in needed]),
            "x": [d.needed_by.isoformat() for _l, d in needed],
            "marker": {"symbol": "triangle-down", "size": 12, "color": DEPENDENCY_COLOR},
            "hovertext": [charts.plain(d.label) for _l, d in needed],
            "hovertemplate": "%{hovertext}<br>" + _("Needed by") + " %{x|%d/%m/%Y}<extra></extra>",
        }
    )
    expected = [(label, d) for label, d in zip(dep_labels, dependencies, strict=True) if d.expected]
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": _("Provider milestone expected"),
            "y": _axis([label for label, _d in expected]),
            "x": [d.expected.isoformat() for _l, d in expected],
            "marker": {
                "symbol": ["x" if d.broken else "triangle-right" for _l, d in expected],
                "size": 12,
                "color": [charts.COLORS["red"] if d.broken else charts.COLORS["green"] for _l, d in expected],
            },
            "hovertext": [
                charts.plain(d.label) + ("<br>" + _("Broken") if d.broken else "") for _l, d in expected
            ],
            "hovertemplate": "%{hovertext}<br>%{x|%d/%m/%Y}<extra></extra>",
            "customdata": [
                link_project(d.other_code) if link_project and d.other_code else "" for _l, d in expected
            ],
        }
    )
    rows = len(phases) + len(slipped) + len(dependencies)
    line, note = _date_line(timeline.on, _day(timeline.on))
    figure = charts.figure(
        data,
        barmode="overlay",
        xaxis={"type": "date", "gridcolor": GRID, "tickformat": "%m/%Y", "side": "top"},
        yaxis={"autorange": "reversed", "type": "multicategory", "automargin": True, "dividercolor": GRID},
        legend=LEGEND,
        shapes=[line],
        annotations=[note],
        margin={"l": 64, "r": 16, "t": 100, "b": 28},  # a legend of seven entries: up to three lines
        height=max(260, 160 + 26 * rows),
    )
    return charts.narrow(figure, xaxis={"tickformat": "%Y", "nticks": 4})
