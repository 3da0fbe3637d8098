"""The demo KPIs: a definition per computed function and a few manual ones, with a year of values."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from portfolio.models import StatusReport
from reporting import demo
from reporting.kpis import COMPUTED
from reporting.models import Kpi, Measurement
from reporting.periods import Frequency, Period

pytestmark = pytest.mark.django_db

HEADLINES = {
    "benefits_realised",  # computed from the benefit profiles (it was typed by hand)
    "rag_red_share",
    "rag_green_share",
    "status_compliance",
    "portfolio_cpi",
    "portfolio_spi",
    "forecast_to_budget",
    "risk_exposure",
    "critical_risks",
    "overdue_actions",
    "milestones_met",
    "decisions_on_time",
}


def seed(*args: str) -> None:
    call_command("seed_demo", *args, stdout=StringIO())


def values() -> list[tuple]:
    return list(
        Measurement.objects.order_by("kpi__code", "period", "directorate__code", "project__code").values_list(
            "kpi__code", "period", "directorate__code", "project__code", "value"
        )
    )


def test_one_valid_definition_per_computed_function_and_three_manual_kpis():
    seed("--projects", "40")

    computed = Kpi.objects.filter(source=Kpi.Source.COMPUTED)
    assert sorted(computed.values_list("function", flat=True)) == sorted(COMPUTED)
    assert Kpi.objects.filter(source=Kpi.Source.MANUAL).count() == 3
    for kpi in Kpi.objects.all():
        kpi.full_clean()
        assert kpi.name and kpi.name_en and kpi.description and kpi.description_en, kpi.code
        if kpi.is_computed:
            assert (kpi.unit, kpi.direction) == (
                COMPUTED[kpi.function].unit,
                COMPUTED[kpi.function].direction,
            )
    on_dashboard = set(computed.filter(on_dashboard=True).values_list("function", flat=True))
    assert on_dashboard == HEADLINES
    assert {kpi.scope for kpi in Kpi.objects.filter(source=Kpi.Source.MANUAL)} == {
        Kpi.Scope.PORTFOLIO,
        Kpi.Scope.DIRECTORATE,
        Kpi.Scope.PROJECT,
    }


def test_a_year_of_measurements_up_to_the_last_complete_period():
    seed("--projects", "40")
    today = timezone.localdate()

    for kpi in Kpi.objects.filter(function__in=["rag_red_share", "status_compliance", "portfolio_cpi"]):
        periods = list(kpi.measurements.order_by("period").values_list("period", flat=True))
        assert periods == [p.start for p in Period.containing(Frequency.WEEKLY, today).previous().last(52)]
    monthly = Kpi.objects.get(function="forecast_to_budget")
    assert monthly.measurements.count() == 12
    assert not Measurement.objects.filter(
        period__gte=Period.containing(Frequency.WEEKLY, today).start, kpi__frequency="weekly"
    ).exists()
    # Per directorate: each directorate that has projects, each month.
    budget = Kpi.objects.get(function="budget_at_completion")
    per_month = Counter(budget.measurements.values_list("period", flat=True))
    assert len(per_month) == 12 and set(per_month.values()) <= set(range(2, 9))
    assert not budget.measurements.filter(directorate__isnull=True).exists()
    for manual in Kpi.objects.filter(source=Kpi.Source.MANUAL):
        assert manual.measurements.exists(), manual.code
        assert not manual.measurements.filter(entered_by__isnull=True).exists()
    # Stamped as entered the morning after each period ended, as the beat task would have.
    for measurement in Measurement.objects.select_related("kpi")[:200]:
        entered = timezone.localtime(measurement.entered_at).date()
        assert entered == measurement.as_period.end + timedelta(days=1)


def test_the_status_history_is_a_year_where_some_weeks_are_missed():
    seed("--projects", "60")
    this_week = Period.containing(Frequency.WEEKLY, timezone.localdate()).start

    assert StatusReport.objects.filter(period=this_week - timedelta(weeks=52)).exists()
    compliance = Kpi.objects.get(function="status_compliance")
    past = list(compliance.measurements.values_list("value", flat=True))
    assert len(past) == 52
    assert min(past) < 100 and max(past) <= 100
    assert sum(1 for value in past if value < 100) > 26  # most weeks, someone missed their report


def test_the_same_seed_gives_the_same_measurements_and_reset_replaces_them():
    seed("--projects", "30", "--seed", "5")
    first = values()
    seed("--reset", "--projects", "30", "--seed", "5")

    assert values() == first and first
    assert demo.has_data()
    demo.reset()
    assert not Kpi.objects.exists() and not Measurement.objects.exists()
