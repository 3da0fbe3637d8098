from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reporting.models import Kpi
from reporting.periods import Frequency, Period


@pytest.mark.parametrize(
    ("frequency", "day", "start", "end"),
    [
        (Frequency.WEEKLY, date(2026, 11, 21), date(2026, 11, 16), date(2026, 11, 22)),
        (Frequency.WEEKLY, date(2027, 1, 1), date(2026, 12, 28), date(2027, 1, 3)),
        (Frequency.MONTHLY, date(2026, 2, 14), date(2026, 2, 1), date(2026, 2, 28)),
        (Frequency.MONTHLY, date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
        (Frequency.QUARTERLY, date(2026, 11, 21), date(2026, 10, 1), date(2026, 12, 31)),
        (Frequency.QUARTERLY, date(2026, 3, 31), date(2026, 1, 1), date(2026, 3, 31)),
    ],
)
def test_a_period_holds_its_days_from_start_to_end(frequency, day, start, end):
    period = Period.containing(frequency, day)

    assert (period.start, period.end) == (start, end)
    assert period.next().start == end + timedelta(days=1)
    assert period.next().previous() == period
    assert Period.containing(frequency, end) == period


def test_the_last_periods_run_oldest_first_without_gaps():
    periods = Period.containing(Frequency.MONTHLY, date(2026, 2, 10)).last(4)

    assert [p.start for p in periods] == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_period_labels_follow_the_readers_language():
    week = Period.containing(Frequency.WEEKLY, date(2026, 11, 21))
    quarter = Period.containing(Frequency.QUARTERLY, date(2026, 11, 21))
    month = Period.containing(Frequency.MONTHLY, date(2026, 11, 21))

    assert week.label == "2026-W47"
    with translation.override("en"):
        assert quarter.label == "Q4 2026"
        assert month.label == "November 2026"
    with translation.override("fr"):
        assert quarter.label == "T4 2026"
        assert month.label == "Novembre 2026"


def kpi(**fields) -> Kpi:
    defaults = {"code": "k", "name": "K", "name_en": "K", "unit": Kpi.Unit.PERCENT}
    return Kpi(**{**defaults, **fields})


@pytest.mark.parametrize(
    ("value", "rag"),
    [("95", "green"), ("90.01", "green"), ("90", "amber"), ("75.5", "amber"), ("75", "red"), ("0", "red")],
)
def test_higher_is_better_thresholds_count_the_threshold_itself_as_reached(value, rag):
    compliance = kpi(direction=Kpi.Direction.HIGHER, amber_threshold=Decimal(90), red_threshold=Decimal(75))

    assert compliance.rag_of(Decimal(value)) == rag


@pytest.mark.parametrize(
    ("value", "rag"), [("4", "green"), ("10", "amber"), ("19.9", "amber"), ("20", "red")]
)
def test_lower_is_better_thresholds(value, rag):
    red_share = kpi(direction=Kpi.Direction.LOWER, amber_threshold=Decimal(10), red_threshold=Decimal(20))

    assert red_share.rag_of(Decimal(value)) == rag


def test_no_rag_without_a_value_or_thresholds():
    assert kpi(amber_threshold=Decimal(1)).rag_of(None) == ""
    assert kpi().rag_of(Decimal(5)) == ""


def test_thresholds_in_the_wrong_order_are_refused_with_a_message():
    wrong = kpi(direction=Kpi.Direction.HIGHER, amber_threshold=Decimal(75), red_threshold=Decimal(90))

    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            wrong.clean()
        message = str(error.value.message_dict["red_threshold"])

    assert "at most the amber one" in message


def test_a_percentage_target_above_100_is_refused():
    with pytest.raises(ValidationError) as error:
        kpi(target=Decimal(120)).clean()

    assert "target" in error.value.message_dict


def test_a_computed_kpi_needs_its_function_and_is_not_measured_per_project():
    with pytest.raises(ValidationError) as error:
        kpi(source=Kpi.Source.COMPUTED).clean()
    assert "function" in error.value.message_dict

    with pytest.raises(ValidationError) as error:
        kpi(source=Kpi.Source.COMPUTED, function="status_compliance", scope=Kpi.Scope.PROJECT).clean()
    assert "scope" in error.value.message_dict


def test_better_or_worse_follows_the_direction():
    assert kpi(direction=Kpi.Direction.HIGHER).is_better(Decimal(2), than=Decimal(1)) is True
    assert kpi(direction=Kpi.Direction.LOWER).is_better(Decimal(2), than=Decimal(1)) is False
    assert kpi().is_better(Decimal(1), than=Decimal(1)) is None
