"""The project page's agile delivery panel: the release burn-up and the velocity trend, as Plotly figure
dicts (`pmo.charts`, drawn by charts.js with the plotly.js the app serves), with the figures beside them.

Registered by `PortfolioConfig.ready()` like the panels other apps add. Shown for agile projects only: a
classic project's page costs no query for it; an agile one's costs one (its sprints, `delivery_of`), its
release plan being joined with the project by the page.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from pmo import charts
from portfolio.agile import VELOCITY_SPRINTS, Delivery, delivery_of, is_agile, release_of
from portfolio.models import Project

PANEL_TEMPLATE = "portfolio/_agile_panel.html"
SCOPE_COLOR = charts.COLORS["muted"]
DONE_COLOR = charts.COLORS["primary"]
VELOCITY_COLOR = "#6f42c1"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def rolling_velocity(delivery: Delivery) -> list[Decimal | None]:
    """At each sprint, the mean of its own and the two sprints before it (what the velocity was then)."""
    means, seen = [], []
    for sprint in delivery.sprints:
        if sprint.completed is not None:
            seen.append(sprint.completed)
        last = seen[-VELOCITY_SPRINTS:]
        means.append((sum(last, Decimal(0)) / len(last)).quantize(Decimal("0.1")) if last else None)
    return means


def _axes() -> dict[str, Any]:
    """Sprint numbers along, points up, the legend above the plot (clear of the axis labels)."""
    return {
        "xaxis": {"title": {"text": _("Sprint")}, "tickformat": "d"},
        "yaxis": {"title": {"text": _("points")}, "rangemode": "tozero"},
        "legend": {"orientation": "h", "yref": "container", "y": 1, "yanchor": "top", "x": 0},
        "margin": {"l": 56, "r": 16, "t": 40, "b": 48},
        "height": 280,
    }


def burn_up_figure(delivery: Delivery) -> dict[str, Any]:
    labels = [s.number for s in delivery.sprints]
    scope_name, done_name, sprint = _("Release scope"), _("Points done"), _("Sprint")
    return charts.figure(
        [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": scope_name,
                "x": labels,
                "y": [_number(s.scope) for s in delivery.sprints],
                "line": {"color": SCOPE_COLOR, "dash": "dash", "shape": "hv"},
                "hovertemplate": f"{sprint} %{{x}}: %{{y}}<extra>{scope_name}</extra>",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": done_name,
                "x": labels,
                "y": [_number(s.done) for s in delivery.sprints],
                "line": {"color": DONE_COLOR},
                "hovertemplate": f"{sprint} %{{x}}: %{{y}}<extra>{done_name}</extra>",
            },
        ],
        **_axes(),
    )


def velocity_figure(delivery: Delivery) -> dict[str, Any]:
    labels = [s.number for s in delivery.sprints]
    completed_name, sprint = _("Points completed"), _("Sprint")
    mean_name = _("Velocity (mean of the last %(count)d sprints)") % {"count": VELOCITY_SPRINTS}
    return charts.figure(
        [
            {
                "type": "bar",
                "name": completed_name,
                "x": labels,
                "y": [_number(s.completed) for s in delivery.sprints],
                "marker": {"color": DONE_COLOR},
                "hovertemplate": f"{sprint} %{{x}}: %{{y}}<extra>{completed_name}</extra>",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": mean_name,
                "x": labels,
                "y": [_number(v) for v in rolling_velocity(delivery)],
                "line": {"color": VELOCITY_COLOR},
                "hovertemplate": f"{sprint} %{{x}}: %{{y}}<extra>{mean_name}</extra>",
            },
        ],
        **_axes(),
    )


def project_panel(*, project: Project, user, today: date) -> dict[str, Any] | None:
    """The panel's context for an agile project (one query: its sprints); None for any other."""
    if not is_agile(project):
        return None
    release = release_of(project)
    delivery = delivery_of(project, release=release)
    return {
        "project": project,
        "release": release,
        "delivery": delivery,
        "velocities": list(zip(delivery.sprints, rolling_velocity(delivery), strict=True)),
        "burn_up": burn_up_figure(delivery) if delivery.sprints else None,
        "velocity_chart": velocity_figure(delivery) if delivery.sprints else None,
    }
