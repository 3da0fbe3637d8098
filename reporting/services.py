"""Changes to KPIs and their measurements: the only code that writes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.models import Directorate
from reporting.kpis import COMPUTED
from reporting.models import Kpi, Measurement
from reporting.periods import Period
from reporting.selectors import PortfolioFigures, Scope


def _scopes(kpi: Kpi) -> list[tuple[Directorate | None, Scope]]:
    if kpi.scope == Kpi.Scope.DIRECTORATE:
        directorates = Directorate.objects.filter(projects__isnull=False).distinct().order_by("code")
        return [(directorate, Scope(directorate_id=directorate.pk)) for directorate in directorates]
    return [(None, Scope())]


@transaction.atomic
def record_computed(
    kpis: list[Kpi], period_of_kpi, *, today: date | None = None, figures_cache: dict | None = None
) -> int:
    """Compute and store the value of each computed KPI of `kpis` for the period `period_of_kpi(kpi)`,
    per scope, replacing what was stored for that period. Returns the number of values stored.

    A value that is undefined (no project, no milestone due) is not stored: n/a is not zero (and a
    value stored earlier for that period and scope is left as it was).
    Two queries to store, whatever the number of values: the values replaced go, the new ones come.
    """
    today = today or timezone.localdate()
    figures_cache = {} if figures_cache is None else figures_cache
    rows: list[Measurement] = []
    for kpi in kpis:
        if not kpi.is_computed or kpi.function not in COMPUTED:
            continue
        period: Period = period_of_kpi(kpi)
        for directorate, scope in _scopes(kpi):
            figures = figures_cache.get(scope)
            if figures is None:
                figures = figures_cache[scope] = PortfolioFigures.for_everyone(
                    scope=scope, today=today, many_past_days=True
                )
            value = COMPUTED[kpi.function].value(figures, period, period.until(today))
            if value is None:
                continue
            rows.append(
                Measurement(kpi=kpi, period=period.start, directorate=directorate, value=value, computed=True)
            )
    if rows:
        replaced = Q()
        for row in rows:
            replaced |= Q(kpi=row.kpi, period=row.period, directorate=row.directorate, project=None)
        Measurement.objects.filter(replaced).delete()
        Measurement.objects.bulk_create(rows)
    return len(rows)


def record_last_periods(*, today: date | None = None) -> int:
    """Store each active computed KPI for its last complete period (idempotent: run it daily)."""
    today = today or timezone.localdate()
    kpis = list(Kpi.objects.active().filter(source=Kpi.Source.COMPUTED))
    return record_computed(kpis, lambda kpi: kpi.period_of(today).previous(), today=today)


@transaction.atomic
def measurement_enter(
    *,
    kpi: Kpi,
    period: Period,
    value: Decimal,
    by,
    directorate: Directorate | None = None,
    project=None,
    comment: str = "",
) -> tuple[Measurement, Decimal | None]:
    """Enter (or correct) the value of a manual KPI for a period and scope. Returns the measurement
    and the value it replaced, if any. A value that makes no sense in the KPI's unit is refused."""
    if kpi.is_computed:
        raise ValidationError(_("The values of a computed KPI are computed, not entered."))
    kpi.validate_value(value)
    measurement, created = Measurement.objects.select_for_update().get_or_create(
        kpi=kpi,
        period=period.start,
        directorate=directorate,
        project=project,
        defaults={"value": value, "comment": comment, "entered_by": by},
    )
    previous = None
    if not created:
        previous = measurement.value
        measurement.value, measurement.comment, measurement.entered_by = value, comment, by
        measurement.save(update_fields=["value", "comment", "entered_by", "entered_at"])
    return measurement, previous
