"""Reads of the KPI pages: the definitions with their latest value, and a KPI's scopes, history and
measurements. Each function costs a fixed number of queries, whatever the number of measurements.

A scope of a KPI's page is what its chart and its table show: the whole portfolio, one directorate,
one project, or all the scopes measured ("all": one line per scope when they are few, else the
average with the lowest and highest value of each period, so a per-project KPI of a thousand
projects stays readable).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pmo.money import reporting_currency
from pmo.templatetags.pmo_tags import money, money_short
from portfolio.models import Project
from reporting.models import OVERSIGHT, Kpi, Measurement

PORTFOLIO = "portfolio"
ALL = "all"
MAX_LINES = 10  # beyond, "all" draws the average and the range rather than a line per scope


def format_value(value: Decimal | None, unit: str, *, short: bool = False) -> str:
    """A value in its KPI's unit and the reader's language: 87,5 %, 12, 0,97, 12 500 000 MAD."""
    if value is None:
        return "—"
    value = Decimal(value)
    whole = value == value.to_integral_value()
    if unit == Kpi.Unit.PERCENT:
        number = number_format(value, decimal_pos=0 if whole else 1, use_l10n=True)
        # French puts a (non-breaking) space before the sign, English does not.
        return f"{number}%" if get_language() == "en" else f"{number}\N{NO-BREAK SPACE}%"
    if unit == Kpi.Unit.INDEX:
        return number_format(value, decimal_pos=2, use_l10n=True)
    if unit == Kpi.Unit.AMOUNT:
        return (money_short if short else money)(value, reporting_currency())
    return number_format(value, decimal_pos=0 if whole else 1, use_l10n=True, force_grouping=True)


def plain(value: Decimal | None) -> str:
    """A decimal as a person types it, without the stored trailing zeros: 0.95, 100."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


# --- The list of definitions --------------------------------------------------------------------


def with_latest_value(kpis: QuerySet[Kpi]) -> QuerySet[Kpi]:
    """Each KPI with its latest portfolio-wide value and that value's period (one query in all)."""
    latest = Measurement.objects.portfolio_wide().filter(kpi=OuterRef("pk")).order_by("-period")
    return kpis.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_period=Subquery(latest.values("period")[:1]),
    )


# --- A KPI's page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeOption:
    key: str  # "portfolio", "all", "d<directorate pk>", "p<project pk>"
    label: str
    directorate_id: int | None = None
    project_id: int | None = None

    def filter(self, measurements: QuerySet[Measurement]) -> QuerySet[Measurement]:
        if self.key == ALL:
            return measurements
        if self.key == PORTFOLIO:
            return measurements.portfolio_wide()
        if self.directorate_id is not None:
            return measurements.filter(directorate_id=self.directorate_id)
        return measurements.filter(project_id=self.project_id)

    @property
    def is_all(self) -> bool:
        return self.key == ALL


def visible_measurements(user) -> QuerySet[Measurement]:
    """The measurements `user` may read: a project's only if they may see the project."""
    measurements = Measurement.objects.all()
    if not user.has_role(*OVERSIGHT):
        visible = Project.objects.visible_to(user).order_by().values("pk")
        measurements = measurements.filter(Q(project__isnull=True) | Q(project__in=visible))
    return measurements


def measurements_for(kpi: Kpi, user) -> QuerySet[Measurement]:
    """The measurements of `kpi` that `user` may read."""
    return visible_measurements(user).filter(kpi=kpi)


def measurements_of(kpis: QuerySet[Kpi], user) -> QuerySet[Measurement]:
    """Every measurement `user` may read of `kpis` (the KPI list's export), KPI by KPI in the list's
    default order, newest first, with what an export row reads joined (one query)."""
    return (
        visible_measurements(user)
        .filter(kpi__in=kpis.order_by().values("pk"))
        .select_related("kpi", "directorate", "project", "entered_by")
        .order_by("kpi__order", "kpi__code", "-period", "directorate__name", "project__code", "pk")
    )


def scope_options(kpi: Kpi, measurements: QuerySet[Measurement]) -> list[ScopeOption]:
    """The scopes that have measurements, the whole portfolio first (always, for a portfolio-wide
    KPI), then "all" when there are several, the directorates by name and the projects by code
    (one query)."""
    rows = (
        measurements.order_by()
        .values_list(
            "directorate_id",
            "directorate__code",
            "directorate__name",
            "project_id",
            "project__code",
            "project__name",
        )
        .distinct()
    )
    portfolio = kpi.scope == Kpi.Scope.PORTFOLIO
    directorates, projects = [], []
    for directorate_id, d_code, d_name, project_id, p_code, p_name in rows:
        if directorate_id is not None:
            directorates.append(
                ScopeOption(f"d{directorate_id}", f"{d_name} ({d_code})", directorate_id=directorate_id)
            )
        elif project_id is not None:
            projects.append(ScopeOption(f"p{project_id}", f"{p_code} · {p_name}", project_id=project_id))
        else:
            portfolio = True
    directorates.sort(key=lambda option: option.label)
    projects.sort(key=lambda option: option.label)
    options = [ScopeOption(PORTFOLIO, _("Whole portfolio"))] if portfolio else []
    if len(options) + len(directorates) + len(projects) > 1:
        label = {
            Kpi.Scope.DIRECTORATE: _("All directorates"),
            Kpi.Scope.PROJECT: _("All projects"),
        }.get(kpi.scope, _("All scopes"))
        options.append(ScopeOption(ALL, label))
    return options + directorates + projects


def chosen_scope(kpi: Kpi, options: list[ScopeOption], key: str | None) -> ScopeOption | None:
    """The scope asked for, else the whole portfolio for a portfolio-wide KPI, else all of them."""
    by_key = {option.key: option for option in options}
    if key in by_key:
        return by_key[key]
    for default in (PORTFOLIO, ALL):
        if default in by_key and (default == ALL or kpi.scope == Kpi.Scope.PORTFOLIO):
            return by_key[default]
    return options[0] if options else None


@dataclass
class Series:
    name: str
    points: list[tuple[date, Decimal]] = field(default_factory=list)


@dataclass
class Band:
    """Per period: the average of the scopes measured, the lowest and highest value, how many."""

    periods: list[date]
    average: list[Decimal]
    low: list[Decimal]
    high: list[Decimal]
    counts: list[int]


def history(
    scope: ScopeOption, options: list[ScopeOption], measurements: QuerySet[Measurement]
) -> tuple[list[Series], Band | None]:
    """What the chart draws for `scope`, oldest first (one query)."""
    scoped = scope.filter(measurements).order_by()
    if not scope.is_all:
        points = list(scoped.order_by("period").values_list("period", "value"))
        return [Series(scope.label, points)], None
    named = [option for option in options if option.key not in (ALL,)]
    if len(named) > MAX_LINES:
        rows = list(
            scoped.values("period")
            .annotate(average=Avg("value"), low=Min("value"), high=Max("value"), n=Count("pk"))
            .order_by("period")
        )
        band = Band(
            periods=[row["period"] for row in rows],
            average=[Decimal(row["average"]).quantize(Decimal("0.001")) for row in rows],
            low=[row["low"] for row in rows],
            high=[row["high"] for row in rows],
            counts=[row["n"] for row in rows],
        )
        return [], band
    series = {option.key: Series(option.label) for option in named}
    points = defaultdict(list)
    for period, directorate_id, project_id, value in scoped.order_by("period").values_list(
        "period", "directorate_id", "project_id", "value"
    ):
        key = f"d{directorate_id}" if directorate_id else f"p{project_id}" if project_id else PORTFOLIO
        points[key].append((period, value))
    for key, values in points.items():
        if key in series:
            series[key].points = values
    return [line for line in series.values() if line.points], None


def measurement_table(scope: ScopeOption, measurements: QuerySet[Measurement]) -> QuerySet[Measurement]:
    """The measurements of `scope` for the table, newest first, with who entered them."""
    return (
        scope.filter(measurements)
        .select_related("directorate", "project", "entered_by")
        .order_by("-period", "directorate__name", "project__code", "pk")
    )
