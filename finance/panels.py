"""Finance's panels on the project page and its plan page (registered by `finance.integration`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from finance.charts import ACTUAL_COLOR, BUDGET_COLOR, FORECAST_COLOR
from finance.models import MonthlyAmount
from finance.selectors import financial_view
from pmo import charts
from pmo.months import FiscalYear, month_of
from portfolio.models import Project

PROJECT_PANEL = "finance/project_money_panel.html"
PLAN_PANEL = "finance/project_money_plan_panel.html"
# The Finances page's colours and order (finance.charts), so that a project's curve reads like the
# portfolio's burn chart: the actual drawn last, on top of a forecast that follows it to date.
KINDS = (
    (MonthlyAmount.Kind.BUDGET, BUDGET_COLOR),
    (MonthlyAmount.Kind.FORECAST, FORECAST_COLOR),
    (MonthlyAmount.Kind.ACTUAL, ACTUAL_COLOR),
)


def cumulative(by_month: dict[tuple[str, date], Decimal], months: list[date], *, on: date) -> list[dict]:
    """Per month: the cumulative budget, actual (up to `on`'s month, None after) and forecast."""
    running = dict.fromkeys((kind for kind, _c in KINDS), Decimal(0))
    points = []
    for month in months:
        point: dict[str, Any] = {"month": month}
        for kind, _color in KINDS:
            running[kind] += by_month.get((kind, month), Decimal(0))
            point[kind] = (
                running[kind] if kind != MonthlyAmount.Kind.ACTUAL or month <= month_of(on) else None
            )
        points.append(point)
    return points


def money_figure(points: list[dict], *, currency: str) -> dict[str, Any]:
    labels = {kind: str(label) for kind, label in MonthlyAmount.Kind.choices}
    data = []
    for kind, color in KINDS:
        shown = [p for p in points if p[kind] is not None]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": labels[kind],
                "x": [p["month"].isoformat() for p in shown],
                "y": [float(p[kind]) for p in shown],
                "line": {"color": color, "dash": "dash" if kind == "budget" else "solid"},
                "hovertemplate": f"%{{x|%b %Y}}: %{{y:,.2f}} {currency}<extra>{labels[kind]}</extra>",
            }
        )
    return charts.figure(
        data,
        xaxis={"type": "date", "tickformat": "%b %Y"},
        yaxis={"title": {"text": currency}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.2},
        height=280,
    )


def project_panel(*, project: Project, user, today: date) -> dict[str, Any]:
    """The cumulative budget, actual and forecast of the current fiscal year, in the project's currency,
    as the financial view reads them (its queries: categories, amounts, statuses' spend, the project)."""
    fiscal_year = FiscalYear.of(today)
    view = financial_view(
        user=user, fiscal_year=fiscal_year, on=today, projects=Project.objects.filter(pk=project.pk)
    )
    row = next((item for item in view.projects if item.pk == project.pk), None)
    phased = row is not None and any(
        amount for (kind, _m), amount in row.by_month.items() if kind != MonthlyAmount.Kind.ACTUAL
    )
    context: dict[str, Any] = {"project": project, "fiscal_year": fiscal_year, "phased": phased}
    if row is None:
        return context
    points = cumulative(row.by_month, fiscal_year.months, on=today)
    context["points"] = [
        {
            "month": formats.date_format(p["month"], "YEAR_MONTH_FORMAT"),
            **{kind: p[kind] for kind, _c in KINDS},
        }
        for p in points
    ]
    context["figure"] = money_figure(points, currency=project.currency)
    context["label"] = _("Cumulative budget, actual and forecast of the fiscal year, by month.")
    return context


def plan_panel(*, project: Project, user, today: date) -> dict[str, Any]:
    """A link to the money page from the plan page (no query)."""
    return {"project": project}
