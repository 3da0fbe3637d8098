"""The dashboard's KPI tiles: each KPI's value for the period holding the "as at" date, its RAG, and its
trend against the period before.

A computed KPI is read from `PortfolioFigures` through its function (`reporting.kpis.COMPUTED`); a
manual KPI from its measurements, all of them in one query. The tiles' numbers are therefore the ones
the stored measurements and the reports hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from reporting.kpis import COMPUTED
from reporting.models import Kpi, Measurement
from reporting.periods import Period
from reporting.selectors import PortfolioFigures, Scope, Snapshot
from reporting.templatetags.reporting_tags import kpi_value

UP, DOWN, FLAT = "up", "down", "flat"
# The computed KPIs that sum money across projects: their tiles say the currency, the rates' dates and
# how many projects were left out for want of a rate.
MONEY_FUNCTIONS = frozenset(
    ("budget_at_completion", "forecast_at_completion", "forecast_to_budget", "portfolio_cpi", "portfolio_spi")
)


@dataclass
class Tile:
    kpi: Kpi
    value: Decimal | None
    period: Period | None  # the period the value is for; None: no value was ever measured
    previous: Decimal | None = None
    previous_period: Period | None = None
    url: str = ""
    running: bool = False  # the period is still running at the "as at" date: the value so far
    earlier: bool = False  # a manual KPI's latest value, from a period before the one holding "as at"
    whole_portfolio: bool = False  # a manual KPI of the whole portfolio, while the page shows a part of it
    list_today: bool = False  # the list behind shows today's state, not the state as at a past date
    money: Snapshot | None = (
        None  # a money total's snapshot: its currency, rate dates, projects not converted
    )

    @property
    def rag(self) -> str:
        return self.kpi.rag_of(self.value)

    @property
    def trend(self) -> str:
        """ "up", "down", "flat", or "" when there is nothing to compare with. Values the tile writes the
        same (CPI 0.917 and 0.921 are both 0.92) are flat: an arrow between equal figures reads wrong."""
        if self.value is None or self.previous is None:
            return ""
        if kpi_value(self.value, self.kpi.unit) == kpi_value(self.previous, self.kpi.unit):
            return FLAT
        return UP if self.value > self.previous else DOWN

    @property
    def better(self) -> bool | None:
        """Whether the trend is an improvement (None: no change, or nothing to compare)."""
        if self.trend in ("", FLAT):
            return None
        return self.kpi.is_better(self.value, self.previous)


def dashboard_kpis() -> list[Kpi]:
    return list(Kpi.objects.active().filter(on_dashboard=True).order_by("order", "code"))


def dates_read(kpis: list[Kpi], as_at: date) -> set[date]:
    """The days the computed KPIs' tiles read the portfolio at: `as_at` (or the end of its period) and the
    end of the period before, for the trend."""
    days = set()
    for kpi in kpis:
        if kpi.is_computed:
            period = kpi.period_of(as_at)
            days.update((period.until(as_at), period.previous().end))
    return days


def tiles(kpis: list[Kpi], *, figures: PortfolioFigures, as_at: date, today: date) -> list[Tile]:
    """One tile per KPI whose value can be read (a computed KPI whose function is gone has none)."""
    figures.snapshots(dates_read(kpis, as_at) | {as_at})  # all the dates in three queries
    manual = _manual_values([kpi for kpi in kpis if not kpi.is_computed], scope=figures.scope, as_at=as_at)
    result = []
    for kpi in kpis:
        if kpi.is_computed:
            if kpi.function in COMPUTED:
                result.append(_computed_tile(kpi, figures=figures, as_at=as_at, today=today))
        else:
            result.append(manual[kpi.pk])
    return result


def _computed_tile(kpi: Kpi, *, figures: PortfolioFigures, as_at: date, today: date) -> Tile:
    computed = COMPUTED[kpi.function]
    period = kpi.period_of(as_at)
    previous = period.previous()
    on = period.until(as_at)
    tile = Tile(
        kpi=kpi,
        value=computed.value(figures, period, as_at),
        period=period,
        previous=computed.value(figures, previous, previous.end),
        previous_period=previous,
        running=as_at < period.end,
        list_today=not computed.as_at_link and as_at < today,
        money=figures.snapshot(on) if kpi.function in MONEY_FUNCTIONS else None,
    )
    if computed.link:
        name, params = computed.link
        window = {"period_start": period.start.isoformat(), "period_end": on.isoformat()}
        query = {key: value.format(**window) for key, value in params.items()}
        query.update(figures.scope.params())
        if computed.as_at_link and as_at != today:
            query["as_at"] = as_at.isoformat()
        tile.url = f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)
    return tile


def _manual_values(kpis: list[Kpi], *, scope: Scope, as_at: date) -> dict[int, Tile]:
    """The tiles of the manual KPIs: each one's measurement for the period holding `as_at`, or else its
    latest earlier one, and the one before it (one query for all of them).

    A KPI measured per directorate shows the filtered directorate's values; any other, and any KPI
    while no directorate is chosen, the whole portfolio's.
    """
    if not kpis:
        return {}
    directorate_id = scope.directorate_id
    wanted = {kpi.pk: _directorate_of(kpi, directorate_id) for kpi in kpis}
    values: dict[int, list[tuple[date, Decimal]]] = {kpi.pk: [] for kpi in kpis}
    whose = Q(directorate__isnull=True)
    if directorate_id is not None:
        whose |= Q(directorate_id=directorate_id)
    measurements = Measurement.objects.filter(
        whose, kpi__in=list(wanted), project__isnull=True, period__lte=as_at
    )
    for kpi_id, measured_directorate, period, value in measurements.order_by().values_list(
        "kpi_id", "directorate_id", "period", "value"
    ):
        if measured_directorate == wanted[kpi_id]:
            values[kpi_id].append((period, value))
    result = {}
    for kpi in kpis:
        holding = kpi.period_of(as_at)
        found = sorted((v for v in values[kpi.pk] if v[0] <= holding.start), reverse=True)[:2]
        tile = Tile(
            kpi=kpi,
            value=found[0][1] if found else None,
            period=Period(kpi.frequency, found[0][0]) if found else None,
            url=kpi.get_absolute_url(),
            whole_portfolio=not scope.is_whole and wanted[kpi.pk] is None,
        )
        if tile.period is not None:
            tile.earlier = tile.period != holding
            tile.running = not tile.earlier and as_at < holding.end
        if len(found) > 1:
            tile.previous, tile.previous_period = found[1][1], Period(kpi.frequency, found[1][0])
        result[kpi.pk] = tile
    return result


def _directorate_of(kpi: Kpi, directorate_id: int | None) -> int | None:
    """Whose measurements a manual KPI's tile shows: the filtered directorate's, or the whole
    portfolio's (None)."""
    return directorate_id if kpi.scope == Kpi.Scope.DIRECTORATE else None
