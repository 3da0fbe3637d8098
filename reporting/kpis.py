"""The computed KPIs provided out of the box: each a named function of the portfolio's figures.

A KPI definition whose source is "computed" names one of these functions.
Each reads `reporting.selectors.PortfolioFigures` for a period (as at the
period's end, or as at the "as at" date while the period is still running),
so the dashboard, the stored measurements and the reports agree. `defaults`
are what `seed_demo` and the PMO's form start from; the PMO may change the
target and thresholds of the definition.

`link` names the list behind the figure (a URL name and its parameters), for
drilling down from a tile; the dashboard adds the scope and the date. A
parameter may hold "{period_start}" and "{period_end}": the dashboard puts in
the first day of the period and the day the figure is read at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from benefits.selectors import value_realisation
from portfolio.models import Rag
from reporting.periods import Frequency, Period
from reporting.selectors import NOT_REPORTED, PortfolioFigures
from standards.compliance import portfolio_compliance

KpiFunction = Callable[[PortfolioFigures, Period, date], Decimal | int | None]


@dataclass(frozen=True)
class Computed:
    name: str
    label: Any  # a lazy translation
    function: KpiFunction
    unit: str
    direction: str
    frequency: str
    defaults: dict[str, Any] = field(default_factory=dict)  # target, amber_threshold, red_threshold
    link: tuple[str, dict[str, str]] | None = None  # the list behind: a URL name and its parameters
    as_at_link: bool = True  # whether the list behind can show the portfolio as at a past date

    def value(self, figures: PortfolioFigures, period: Period, on: date) -> Decimal | None:
        """The KPI over `period`, as at `on` (the period's end, or earlier while it runs)."""
        result = self.function(figures, period, min(on, period.end))
        return None if result is None else Decimal(result)


COMPUTED: dict[str, Computed] = {}


def computed(name: str, label, *, unit: str, direction: str, frequency: str, **options) -> Callable:
    def register(function: KpiFunction) -> KpiFunction:
        COMPUTED[name] = Computed(
            name, label, function, unit=unit, direction=direction, frequency=frequency, **options
        )
        return function

    return register


SNAPSHOT_LIST = "reporting:projects"


def _rag_share(rag: str) -> KpiFunction:
    return lambda figures, period, on: figures.snapshot(on).share(rag)


for _rag, _label, _direction, (_target, _amber, _red) in (
    (Rag.GREEN, _("Active projects green"), "higher", (70, 60, 45)),
    (Rag.AMBER, _("Active projects amber"), "lower", (20, 25, 35)),
    (Rag.RED, _("Active projects red"), "lower", (5, 10, 20)),
):
    computed(
        f"rag_{_rag}_share",
        _label,
        unit="percent",
        direction=_direction,
        frequency=Frequency.WEEKLY,
        defaults={"target": _target, "amber_threshold": _amber, "red_threshold": _red},
        link=(SNAPSHOT_LIST, {"rag": _rag}),
    )(_rag_share(_rag))
del _rag, _label, _direction, _target, _amber, _red


@computed(
    "status_compliance",
    _("Status-report compliance"),
    unit="percent",
    direction="higher",
    frequency=Frequency.WEEKLY,
    defaults={"target": 95, "amber_threshold": 90, "red_threshold": 75},
    link=(SNAPSHOT_LIST, {"status": "not_reported"}),
)
def status_compliance(figures, period, on):
    return figures.snapshot(on).compliance


@computed(
    "milestones_met",
    _("Milestones due that were met"),
    unit="percent",
    direction="higher",
    frequency=Frequency.MONTHLY,
    defaults={"target": 90, "amber_threshold": 80, "red_threshold": 60},
    link=("reporting:milestones", {"start": "{period_start}", "end": "{period_end}"}),
)
def milestones_met(figures, period, on):
    return figures.milestones(period.start, on).share_met


@computed(
    "portfolio_cpi",
    _("Portfolio cost performance index (CPI)"),
    unit="index",
    direction="higher",
    frequency=Frequency.WEEKLY,
    defaults={"target": 1, "amber_threshold": Decimal("0.95"), "red_threshold": Decimal("0.85")},
    link=(SNAPSHOT_LIST, {"sort": "cpi"}),
)
def portfolio_cpi(figures, period, on):
    return figures.snapshot(on).cpi


@computed(
    "portfolio_spi",
    _("Portfolio schedule performance index (SPI)"),
    unit="index",
    direction="higher",
    frequency=Frequency.WEEKLY,
    defaults={"target": 1, "amber_threshold": Decimal("0.95"), "red_threshold": Decimal("0.85")},
    link=(SNAPSHOT_LIST, {"sort": "spi"}),
)
def portfolio_spi(figures, period, on):
    return figures.snapshot(on).spi


@computed(
    "budget_at_completion",
    _("Total budget at completion"),
    unit="amount",
    direction="lower",
    frequency=Frequency.MONTHLY,
    link=(SNAPSHOT_LIST, {"sort": "-budget"}),
)
def budget_at_completion(figures, period, on):
    return figures.snapshot(on).budget_at_completion


@computed(
    "forecast_at_completion",
    _("Total forecast at completion"),
    unit="amount",
    direction="lower",
    frequency=Frequency.MONTHLY,
    link=(SNAPSHOT_LIST, {"sort": "-forecast"}),
)
def forecast_at_completion(figures, period, on):
    return figures.snapshot(on).forecast_at_completion


@computed(
    "forecast_to_budget",
    _("Forecast at completion against budget"),
    unit="index",
    direction="lower",
    frequency=Frequency.MONTHLY,
    defaults={"target": 1, "amber_threshold": Decimal("1.05"), "red_threshold": Decimal("1.15")},
    link=(SNAPSHOT_LIST, {"sort": "-overrun"}),
)
def forecast_to_budget(figures, period, on):
    return figures.snapshot(on).forecast_to_budget


@computed(
    "risk_exposure",
    _("Risk exposure (sum of open risk scores)"),
    unit="score",
    direction="lower",
    frequency=Frequency.WEEKLY,
    link=("risks:register", {"state": "open", "sort": "-score"}),
)
def risk_exposure(figures, period, on):
    return figures.risk_exposure(on)[0]


@computed(
    "critical_risks",
    _("Critical risks"),
    unit="count",
    direction="lower",
    frequency=Frequency.WEEKLY,
    defaults={"target": 0, "amber_threshold": 3, "red_threshold": 8},
    link=("risks:register", {"state": "open", "level": "critical"}),
)
def critical_risks(figures, period, on):
    return figures.risk_exposure(on)[1]


@computed(
    "overdue_actions",
    _("Overdue actions"),
    unit="count",
    direction="lower",
    frequency=Frequency.WEEKLY,
    defaults={"target": 0, "amber_threshold": 10, "red_threshold": 25},
    link=("governance:action_tracker", {"overdue": "on"}),
)
def overdue_actions(figures, period, on):
    return figures.overdue_actions(on)


@computed(
    "decisions_taken",
    _("Decisions taken"),
    unit="count",
    direction="higher",
    frequency=Frequency.MONTHLY,
    link=("governance:decision_list", {"decided_after": "{period_start}", "decided_before": "{period_end}"}),
)
def decisions_taken(figures, period, on):
    return figures.decisions_in(period.start, on).taken


@computed(
    "decisions_on_time",
    _("Decisions implemented on time"),
    unit="percent",
    direction="higher",
    frequency=Frequency.MONTHLY,
    defaults={"target": 90, "amber_threshold": 80, "red_threshold": 60},
    link=("governance:decision_list", {}),
)
def decisions_on_time(figures, period, on):
    return figures.decisions_in(period.start, on).share_on_time


@computed(
    "benefits_realised",
    _("Benefits realised against plan"),
    unit="percent",
    direction="higher",
    frequency=Frequency.MONTHLY,
    defaults={"target": 100, "amber_threshold": 90, "red_threshold": 75},
    link=("benefits:overview", {}),
)
def benefits_realised(figures, period, on):
    # benefits.selectors' one function: the overview's totals and the quarterly report read the same.
    return value_realisation(figures.projects, on=on).share


@computed(
    "compliance",
    _("Compliance with the standard"),
    unit="percent",
    direction="higher",
    frequency=Frequency.WEEKLY,
    # Whole percents: green from 80, amber from 60, red below.
    defaults={"target": 90, "amber_threshold": 79, "red_threshold": 59},
    link=("standards:compliance", {}),
)
def compliance(figures, period, on):
    # standards.compliance's one function: the chase page, its export and the project pages read the same.
    return portfolio_compliance(figures.projects, on=on)[1]


__all__ = ["COMPUTED", "NOT_REPORTED", "Computed", "computed"]
