"""Stored measurements: the beat task that computes and stores the KPIs of each ended period, and the
rules of a value entered by hand."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from portfolio.models import Rag, StatusReport
from portfolio.models.status import period_of
from portfolio.services import submit_status_report
from reporting.kpis import COMPUTED
from reporting.models import Kpi, Measurement
from reporting.periods import Frequency, Period
from reporting.selectors import PortfolioFigures
from reporting.services import measurement_enter, record_computed, record_last_periods
from reporting.tasks import record_kpi_measurements
from tests.factories import ProjectFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_WEEK = period_of(TODAY)
LAST_WEEK = THIS_WEEK - timedelta(weeks=1)
TWO_WEEKS_AGO = THIS_WEEK - timedelta(weeks=2)


def computed_kpi(function: str, **fields) -> Kpi:
    spec = COMPUTED[function]
    fields.setdefault("code", function.replace("_", "-"))
    return Kpi.objects.create(
        name=f"{spec.label}",
        name_en=f"{spec.label}",
        source=Kpi.Source.COMPUTED,
        function=function,
        unit=spec.unit,
        direction=spec.direction,
        frequency=spec.frequency,
        **fields,
    )


@pytest.fixture
def portfolio(world):
    """Last week: in IT one red and one green project; in Finance one green, one that did not report
    (it reported the week before)."""
    it_red = ProjectFactory(directorate=world.it, project_manager=world.pm)
    it_green = ProjectFactory(directorate=world.it)
    finance_green = ProjectFactory(directorate=world.finance)
    finance_late = ProjectFactory(directorate=world.finance)
    StatusReportFactory(project=it_red, rag=Rag.GREEN, period=TWO_WEEKS_AGO)
    StatusReportFactory(project=it_red, rag=Rag.RED, period=LAST_WEEK)
    StatusReportFactory(project=it_green, rag=Rag.GREEN, period=LAST_WEEK)
    StatusReportFactory(project=finance_green, rag=Rag.GREEN, period=LAST_WEEK)
    StatusReportFactory(project=finance_late, rag=Rag.GREEN, period=TWO_WEEKS_AGO)
    return world, it_red


def stored(kpi: Kpi) -> list[tuple]:
    return list(
        kpi.measurements.order_by("period", "directorate__code").values_list(
            "period", "directorate__code", "value", "computed", "entered_by"
        )
    )


def test_the_beat_task_stores_the_ended_week_for_the_portfolio_and_each_directorate(portfolio):
    red = computed_kpi("rag_red_share")
    red_by_directorate = computed_kpi("rag_red_share", code="red-by-directorate", scope=Kpi.Scope.DIRECTORATE)
    compliance = computed_kpi("status_compliance")

    count = record_kpi_measurements()

    assert count == 4
    assert stored(red) == [(LAST_WEEK, None, Decimal("25.000"), True, None)]
    assert stored(compliance) == [(LAST_WEEK, None, Decimal("75.000"), True, None)]
    assert stored(red_by_directorate) == [
        (LAST_WEEK, "DF", Decimal("0.000"), True, None),
        (LAST_WEEK, "DSI", Decimal("50.000"), True, None),
    ]


def test_the_task_stores_the_last_complete_period_of_each_frequency_and_leaves_the_others_alone(portfolio):
    weekly = computed_kpi("rag_red_share")
    monthly = computed_kpi("milestones_met")
    retired = computed_kpi("status_compliance", is_active=False)
    manual = Kpi.objects.create(code="benefits", name="Bénéfices", name_en="Benefits", unit=Kpi.Unit.AMOUNT)

    record_last_periods(today=TODAY)

    assert list(weekly.measurements.values_list("period", flat=True)) == [LAST_WEEK]
    # No milestone was due last month: n/a is not stored as zero.
    assert not monthly.measurements.exists()
    assert not retired.measurements.exists() and not manual.measurements.exists()


def test_running_the_task_twice_gives_the_same_rows(portfolio):
    red = computed_kpi("rag_red_share")
    by_directorate = computed_kpi("rag_red_share", code="red-by-directorate", scope=Kpi.Scope.DIRECTORATE)

    record_last_periods(today=TODAY)
    first = stored(red) + stored(by_directorate)
    record_last_periods(today=TODAY)

    assert stored(red) + stored(by_directorate) == first
    assert Measurement.objects.count() == 3


def test_stored_history_stays_as_computed_when_the_status_data_changes_later(portfolio):
    world, it_red = portfolio
    red = computed_kpi("rag_red_share")
    two_weeks_ago = Period(Frequency.WEEKLY, TWO_WEEKS_AGO)
    record_computed([red], lambda kpi: two_weeks_ago, today=TODAY)
    record_last_periods(today=TODAY)
    assert stored(red) == [
        (TWO_WEEKS_AGO, None, Decimal("0.000"), True, None),
        (LAST_WEEK, None, Decimal("25.000"), True, None),
    ]

    # The manager corrects the status of two weeks ago: red, not green.
    it_red.refresh_from_db()
    data = {
        "overall_rag": Rag.RED,
        **dict.fromkeys(StatusReport.DIMENSIONS, Rag.RED),
        "percent_complete": Decimal(40),
        "actual_cost": Decimal(1000),
    }
    submit_status_report(
        project=it_red,
        author=world.pm,
        period=TWO_WEEKS_AGO,
        based_on=it_red.last_report_id,
        data=data,
        milestone_dates={},
    )
    live = COMPUTED["rag_red_share"].value(PortfolioFigures.for_everyone(), two_weeks_ago, two_weeks_ago.end)
    assert live == Decimal("50.0")  # the data behind that week changed...

    record_last_periods(today=TODAY)  # ...the next daily run recomputes only the last complete week

    assert stored(red) == [
        (TWO_WEEKS_AGO, None, Decimal("0.000"), True, None),
        (LAST_WEEK, None, Decimal("25.000"), True, None),
    ]


def test_an_undefined_value_is_not_stored_and_leaves_what_was_stored(world):
    compliance = computed_kpi("status_compliance")
    Measurement.objects.create(kpi=compliance, period=LAST_WEEK, value=Decimal(90), computed=True)

    # No active project at all: compliance is n/a, not 0 %.
    assert record_last_periods(today=TODAY) == 0

    assert list(compliance.measurements.values_list("value", flat=True)) == [Decimal("90.000")]


@pytest.mark.parametrize(
    ("unit", "value", "message"),
    [
        (Kpi.Unit.PERCENT, Decimal("100.5"), "A percentage is between 0 and 100."),
        (Kpi.Unit.PERCENT, Decimal("-1"), "A percentage is between 0 and 100."),
        (Kpi.Unit.COUNT, Decimal("2.5"), "A count is a whole number, 0 or more."),
        (Kpi.Unit.COUNT, Decimal("-3"), "A count is a whole number, 0 or more."),
        (Kpi.Unit.AMOUNT, Decimal("-10"), "An amount cannot be negative."),
    ],
)
def test_the_service_refuses_a_value_that_makes_no_sense_in_the_kpis_unit(world, unit, value, message):
    kpi = Kpi.objects.create(code="manual", name="Manuel", name_en="Manual", unit=unit)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        measurement_enter(kpi=kpi, period=kpi.period_of(TODAY), value=value, by=world.pmo)

    with translation.override("en"):
        assert refused.value.messages == [message]
    assert not Measurement.objects.exists()


def test_a_computed_kpi_takes_no_value_by_hand(world):
    kpi = computed_kpi("overdue_actions")

    with pytest.raises(ValidationError):
        measurement_enter(kpi=kpi, period=kpi.period_of(TODAY), value=Decimal(3), by=world.pmo)


def test_entering_a_value_again_for_the_same_period_and_scope_replaces_it(world):
    kpi = Kpi.objects.create(
        code="staff", name="ETP", name_en="Staff", unit=Kpi.Unit.COUNT, scope="directorate"
    )
    period = kpi.period_of(TODAY)
    measurement_enter(kpi=kpi, period=period, value=Decimal(12), by=world.pmo, directorate=world.it)
    measurement_enter(kpi=kpi, period=period, value=Decimal(30), by=world.pmo, directorate=world.finance)

    measurement, previous = measurement_enter(
        kpi=kpi, period=period, value=Decimal(14), by=world.admin, directorate=world.it, comment="Recount"
    )

    assert previous == Decimal("12.000")
    assert (measurement.value, measurement.entered_by, measurement.comment) == (
        Decimal(14),
        world.admin,
        "Recount",
    )
    assert sorted(kpi.measurements.values_list("directorate__code", "value")) == [
        ("DF", Decimal("30.000")),
        ("DSI", Decimal("14.000")),
    ]
