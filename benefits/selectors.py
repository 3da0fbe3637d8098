"""Benefits realisation: one function per figure, called by the pages, the value KPI, the PDFs and exports.

- `planned_at(profile, on)`: the level planned on `on`: the baseline until `starts_on`, then a straight
  line to the target on `target_date`, the target after it.
- `realised_at(profile, on)`: the latest actual on or before `on` minus the baseline (the gain reached);
  None when nothing was measured yet: unknown stays unknown, never 0. A profile measured by a KPI of the
  catalogue reads that KPI's measurements (the project's own, or else the portfolio's) as its actuals.
- `at_risk(profile, on)`: see `AT_RISK_SHARE` and `NO_ACTUAL_DAYS`.
- `value_realisation(projects, *, on)`: the portfolio's value KPI and its drill-down. Financial profiles
  are summed in the reporting currency at the rate in force on `on` (portfolio.exchange); one whose
  currency has no rate is listed as not converted, never summed. A profile with no actual yet is counted
  as "not measured" and left out of both sums (its plan would otherwise read as a shortfall). Non-financial
  profiles are each read as a share of their own plan. Only approved profiles count.

Gains are compared with planned gains (`planned_at - baseline`), so a benefit that lowers a measure
(days to open an account: 10 to 4) reads the same way as one that raises it.

Queries: `value_realisation` and `benefit_rows` read the profiles (with project, directorate and owner),
their actuals, the KPIs' measurements and the exchange rates: four at most, whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from benefits.models import BenefitActual, BenefitProfile
from portfolio.exchange import Converted, Rates

AT_RISK_SHARE = Decimal("0.8")
"""A profile is at risk when, once its planned gain is not zero, the gain realised is under 80 % of it."""
NO_ACTUAL_DAYS = 60
"""A profile is also at risk when nothing was measured 60 days after its realisation started."""
HUNDRED = Decimal(100)

Series = list[tuple[date, Decimal]]


def planned_at(profile: BenefitProfile, on: date) -> Decimal:
    """The level planned on `on` (see the module)."""
    baseline, target = profile.baseline_value, profile.target_value
    if on <= profile.starts_on:
        return baseline
    if on >= profile.target_date:
        return target
    elapsed = Decimal((on - profile.starts_on).days)
    length = Decimal((profile.target_date - profile.starts_on).days)
    return (baseline + (target - baseline) * elapsed / length).quantize(Decimal("0.01"), ROUND_HALF_UP)


def planned_gain(profile: BenefitProfile, on: date) -> Decimal:
    return planned_at(profile, on) - profile.baseline_value


def series_of(profiles: list[BenefitProfile], *, on: date | None = None) -> dict[int, Series]:
    """Each profile's actuals in date order, up to `on`: its own for a manual one, its KPI's measurements
    (the project's, else the portfolio's) for one measured by a KPI. Two queries at most."""
    series: dict[int, Series] = defaultdict(list)
    manual = [p.pk for p in profiles if p.measure == BenefitProfile.Measure.MANUAL]
    if manual:
        actuals = BenefitActual.objects.filter(profile__in=manual)
        if on is not None:
            actuals = actuals.filter(measured_on__lte=on)
        for profile_id, measured_on, value in actuals.order_by("measured_on").values_list(
            "profile_id", "measured_on", "value"
        ):
            series[profile_id].append((measured_on, value))
    by_kpi = [p for p in profiles if p.measure == BenefitProfile.Measure.KPI and p.kpi_id]
    if by_kpi:
        from django.apps import apps

        # The catalogue is reporting's: read through the ORM relation, without importing reporting.
        measurement = apps.get_model("reporting", "Measurement")
        rows = measurement.objects.filter(kpi__in={p.kpi_id for p in by_kpi}).filter(
            Q(project__in={p.project_id for p in by_kpi}) | Q(project__isnull=True, directorate__isnull=True)
        )
        if on is not None:
            rows = rows.filter(period__lte=on)
        own: dict[tuple[int, int | None], Series] = defaultdict(list)
        for kpi_id, project_id, period, value in rows.order_by("period").values_list(
            "kpi_id", "project_id", "period", "value"
        ):
            own[kpi_id, project_id].append((period, value))
        for profile in by_kpi:
            series[profile.pk] = own.get((profile.kpi_id, profile.project_id)) or own.get(
                (profile.kpi_id, None), []
            )
    return dict(series)


def realised_at(profile: BenefitProfile, on: date, *, series: Series | None = None) -> Decimal | None:
    """The gain reached on `on` (the latest actual on or before it, minus the baseline), or None."""
    if series is None:
        series = series_of([profile], on=on).get(profile.pk, [])
    latest = None
    for measured_on, value in series:
        if measured_on <= on:
            latest = value
    return None if latest is None else latest - profile.baseline_value


def share_of_plan(realised: Decimal | None, planned: Decimal) -> Decimal | None:
    """The gain realised as a percentage of the gain planned; None when either is unknown or nothing is
    planned yet."""
    if realised is None or not planned:
        return None
    return (realised / planned * HUNDRED).quantize(Decimal("0.1"), ROUND_HALF_UP)


def at_risk(profile: BenefitProfile, on: date, *, series: Series | None = None) -> bool:
    """Under `AT_RISK_SHARE` of the plan once something is planned, or nothing measured `NO_ACTUAL_DAYS`
    after the realisation started."""
    if on <= profile.starts_on:
        return False
    realised = realised_at(profile, on, series=series)
    if realised is None:
        return on >= profile.starts_on + timedelta(days=NO_ACTUAL_DAYS)
    planned = planned_gain(profile, on)
    if not planned:
        return False
    return realised / planned < AT_RISK_SHARE


@dataclass
class BenefitRow:
    profile: BenefitProfile
    planned: Decimal  # the gain planned on the date
    realised: Decimal | None  # the gain realised, None: not measured
    share: Decimal | None
    at_risk: bool
    series: Series = field(default_factory=list)
    planned_converted: Converted | None = None  # financial ones, in the reporting currency
    realised_converted: Converted | None = None

    @property
    def financial(self) -> bool:
        return self.profile.kind == BenefitProfile.Kind.FINANCIAL

    @property
    def not_converted(self) -> bool:
        return self.planned_converted is not None and not self.planned_converted.converted


def profiles_of(projects, **filters) -> list[BenefitProfile]:
    """The profiles of these projects (a queryset), with what the rows show. One query."""
    return list(
        BenefitProfile.objects.filter(project__in=projects, **filters)
        .select_related("project", "project__directorate", "owner", "kpi")
        .order_by("project__code", "target_date", "pk")
    )


def benefit_rows(profiles: list[BenefitProfile], *, on: date, rates: Rates | None = None) -> list[BenefitRow]:
    """A row per profile, as at `on`: two queries (actuals, measurements) and the rates when needed."""
    rates = rates or Rates()
    all_series = series_of(profiles, on=on)
    rows = []
    for profile in profiles:
        series = all_series.get(profile.pk, [])
        planned = planned_gain(profile, on)
        realised = realised_at(profile, on, series=series)
        row = BenefitRow(
            profile=profile,
            planned=planned,
            realised=realised,
            share=share_of_plan(realised, planned),
            at_risk=at_risk(profile, on, series=series),
            series=series,
        )
        if row.financial:
            row.planned_converted = rates.convert(planned, profile.currency, on=on)
            row.realised_converted = rates.convert(realised, profile.currency, on=on)
        rows.append(row)
    return rows


@dataclass
class ValueRealisation:
    """The value KPI as at `on` and what it is made of (the overview's totals)."""

    on: date
    currency: str
    rows: list[BenefitRow]
    planned: Decimal = Decimal(0)  # financial, measured, converted
    realised: Decimal = Decimal(0)

    @property
    def financial(self) -> list[BenefitRow]:
        return [row for row in self.rows if row.financial]

    @property
    def summed(self) -> list[BenefitRow]:
        return [row for row in self.financial if row.realised is not None and not row.not_converted]

    @property
    def not_converted(self) -> list[BenefitRow]:
        return [row for row in self.financial if row.not_converted]

    @property
    def not_measured(self) -> list[BenefitRow]:
        return [row for row in self.rows if row.realised is None]

    @property
    def non_financial(self) -> list[BenefitRow]:
        return [row for row in self.rows if not row.financial]

    @property
    def at_risk(self) -> list[BenefitRow]:
        return [row for row in self.rows if row.at_risk]

    @property
    def share(self) -> Decimal | None:
        """The KPI: the financial gain realised as a percentage of the gain planned (None: none)."""
        return share_of_plan(self.realised, self.planned) if self.summed else None

    @property
    def counts(self) -> dict[str, int]:
        return {
            "profiles": len(self.rows),
            "financial": len(self.financial),
            "summed": len(self.summed),
            "not_converted": len(self.not_converted),
            "not_measured": len(self.not_measured),
            "non_financial": len(self.non_financial),
            "at_risk": len(self.at_risk),
        }


def realisation_of(rows: list[BenefitRow], *, on: date, rates: Rates) -> ValueRealisation:
    result = ValueRealisation(on=on, currency=rates.currency, rows=rows)
    for row in result.summed:
        result.planned += row.planned_converted.amount
        result.realised += row.realised_converted.amount
    return result


def value_realisation(projects, *, on: date, rates: Rates | None = None) -> ValueRealisation:
    """The approved profiles of `projects` (a queryset of what the reader may see), as at `on`."""
    rates = rates or Rates()
    profiles = profiles_of(projects, state=BenefitProfile.State.APPROVED)
    return realisation_of(benefit_rows(profiles, on=on, rates=rates), on=on, rates=rates)
