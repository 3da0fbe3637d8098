from datetime import date, timedelta
from decimal import Decimal

from portfolio.earned_value import planned_value
from portfolio.indicators import Signal, contradiction, derived_signals, project_earned_value
from portfolio.models import Milestone, Project, StatusReport

TODAY = date(2025, 3, 12)  # a Wednesday of ISO week 2025-W11
THIS_PERIOD = date(2025, 3, 10)


def a_project(**fields) -> Project:
    values = {
        "state": Project.State.ACTIVE,
        "baseline_start": date(2025, 1, 1),
        "baseline_end": date(2025, 12, 31),
        "forecast_end": date(2025, 12, 31),
        "budget": Decimal("1000000"),
    }
    return Project(**{**values, **fields})


def a_report(**fields) -> StatusReport:
    values = {
        "period": THIS_PERIOD,
        "overall_rag": "green",
        "percent_complete": Decimal("20"),
        "actual_cost": Decimal("200000"),
    }
    return StatusReport(**{**values, **fields})


def a_milestone(baseline: date, forecast: date, actual: date | None = None, weight="1") -> Milestone:
    return Milestone(
        name="M", baseline_date=baseline, forecast_date=forecast, actual_date=actual, weight=Decimal(weight)
    )


def levels(signals) -> dict[str, str]:
    return {signal.code: signal.level for signal in signals}


def test_a_project_on_plan_and_reported_has_no_signal():
    assert derived_signals(project=a_project(), report=a_report(), milestones=[], today=TODAY) == []


def test_schedule_slip_is_amber_then_red_after_thirty_days():
    for days, level in [(1, "amber"), (30, "amber"), (31, "red")]:
        project = a_project(forecast_end=date(2025, 12, 31) + timedelta(days=days))
        signals = derived_signals(project=project, report=a_report(), milestones=[], today=TODAY)
        assert levels(signals) == {"schedule_slip": level}
        assert str(days) in signals[0].message


def test_an_early_forecast_is_no_signal():
    project = a_project(forecast_end=date(2025, 11, 30))
    assert derived_signals(project=project, report=a_report(), milestones=[], today=TODAY) == []


def test_slipped_milestones_are_counted_with_the_worst_slip():
    milestones = [
        a_milestone(date(2025, 6, 1), date(2025, 6, 11)),
        a_milestone(date(2025, 7, 1), date(2025, 7, 26)),
        a_milestone(date(2025, 8, 1), date(2025, 7, 20)),
    ]
    signals = derived_signals(project=a_project(), report=a_report(), milestones=milestones, today=TODAY)
    assert levels(signals) == {"milestones_slipped": "amber"}
    assert "2" in signals[0].message and "25" in signals[0].message


def test_a_milestone_not_met_with_its_forecast_in_the_past_is_red():
    overdue = a_milestone(date(2025, 3, 1), date(2025, 3, 1))
    met_late = a_milestone(date(2025, 2, 1), date(2025, 2, 1), actual=date(2025, 2, 5))
    signals = derived_signals(
        project=a_project(), report=a_report(), milestones=[overdue, met_late], today=TODAY
    )
    assert levels(signals) == {"milestones_slipped": "amber", "milestones_overdue": "red"}


def test_cost_performance_index_thresholds():
    # PV from the baseline dates: BAC x 70/364 on 12 March, about 192 308; EV 200 000.
    for actual_cost, expected in [("200000", None), ("220000", "amber"), ("240000", "red")]:
        signals = derived_signals(
            project=a_project(), report=a_report(actual_cost=Decimal(actual_cost)), milestones=[], today=TODAY
        )
        assert levels(signals).get("cost_cpi") == expected, actual_cost


def test_forecast_at_completion_above_budget_thresholds():
    for fac, expected in [("1050000", None), ("1060000", "amber"), ("1150000", "amber"), ("1160000", "red")]:
        report = a_report(forecast_at_completion=Decimal(fac))
        signals = derived_signals(project=a_project(), report=report, milestones=[], today=TODAY)
        assert levels(signals).get("cost_overrun") == expected, fac


def test_not_reported_this_period_is_amber_then_red_after_two_periods():
    for weeks_ago, expected in [(0, None), (1, "amber"), (2, "amber"), (3, "red")]:
        report = a_report(period=THIS_PERIOD - timedelta(weeks=weeks_ago))
        signals = derived_signals(project=a_project(), report=report, milestones=[], today=TODAY)
        assert levels(signals).get("not_reported") == expected, weeks_ago


def test_an_active_project_without_report_is_not_reported_but_a_proposed_one_owes_nothing():
    signals = derived_signals(project=a_project(), report=None, milestones=[], today=TODAY)
    assert levels(signals) == {"not_reported": "amber"}
    proposed = a_project(state=Project.State.PROPOSED)
    assert derived_signals(project=proposed, report=None, milestones=[], today=TODAY) == []


def test_contradiction_is_a_declared_green_with_one_red_or_two_ambers():
    red = Signal("schedule_slip", "red", "")
    amber = Signal("cost_cpi", "amber", "")
    green = a_report(overall_rag="green")
    assert contradiction(green, [red])
    assert contradiction(green, [amber, amber])
    assert not contradiction(green, [amber])
    assert not contradiction(green, [])
    assert not contradiction(a_report(overall_rag="amber"), [red, amber])
    assert not contradiction(None, [red])


def test_earned_value_needs_a_report_a_budget_and_the_figures_reported():
    assert project_earned_value(project=a_project(), report=None, milestones=[]) is None
    assert project_earned_value(project=a_project(budget=None), report=a_report(), milestones=[]) is None
    for unknown in ("percent_complete", "actual_cost"):
        report = a_report(**{unknown: None})
        assert project_earned_value(project=a_project(), report=report, milestones=[]) is None
        signals = derived_signals(project=a_project(), report=report, milestones=[], today=TODAY)
        assert "cost_cpi" not in levels(signals)


def test_earned_value_plans_by_weighted_milestones_at_the_status_date():
    milestones = [
        a_milestone(date(2025, 2, 1), date(2025, 2, 1), weight="1"),
        a_milestone(date(2025, 6, 1), date(2025, 6, 1), weight="3"),
    ]
    ev = project_earned_value(project=a_project(), report=a_report(), milestones=milestones)
    sunday = THIS_PERIOD + timedelta(days=6)
    assert ev.pv == planned_value(
        bac=Decimal("1000000"),
        at=sunday,
        start=date(2025, 1, 1),
        end=None,
        milestones=[(m.baseline_date, m.weight) for m in milestones],
    )
    # Past the first milestone's quarter, on the way to the second: no step on either date.
    assert Decimal("250000") < ev.pv < Decimal("1000000")
    assert ev.ev == Decimal("200000.00")
    assert ev.ac == Decimal("200000")
    assert ev.cpi == Decimal("1.000")


def test_earned_value_plans_by_baseline_dates_without_weights():
    milestones = [a_milestone(date(2025, 2, 1), date(2025, 2, 1), weight="0")]
    ev = project_earned_value(
        project=a_project(baseline_end=date(2025, 1, 11)),
        report=a_report(period=date(2024, 12, 30)),  # status date Sunday 5 January, 4 days of 10
        milestones=milestones,
    )
    assert ev.pv == Decimal("400000.00")


def test_earned_value_with_no_cost_yet_has_undefined_ratios():
    ev = project_earned_value(project=a_project(), report=a_report(actual_cost=Decimal(0)), milestones=[])
    assert ev.cpi is None and ev.eac is None
    assert not any(
        signal.code == "cost_cpi"
        for signal in derived_signals(
            project=a_project(), report=a_report(actual_cost=Decimal(0)), milestones=[], today=TODAY
        )
    )
