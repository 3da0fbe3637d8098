"""Scenarios and over-allocation in the portfolio committee: proposed on its agenda (not again while an
item waits), their card on the live page, and the decision recorded there applied to the scenario: the
demand and the money moved exactly as the what-if showed; a rejection moves nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from finance.models import MonthlyAmount
from governance import services
from governance.selectors import agenda_proposals
from pmo.months import add_months
from portfolio.adjustments import Adjustment
from portfolio.models import Project
from resources.allocation import allocation
from resources.models import Demand, Scenario
from resources.scenarios import scenario_create, scenario_propose
from tests.factories import planned_meeting
from tests.planning.scenarios import record_decision
from tests.resources.conftest import EN, months_from

pytestmark = pytest.mark.django_db


def proposed(load, world, changes=None) -> Scenario:
    adjustments = changes or {load.a.pk: Adjustment(shift_months=3)}
    scenario = scenario_create(name="Décaler Alpha", from_month=load.m1, changes=adjustments, by=world.pmo)
    return scenario_propose(scenario=scenario, committee=load.committee, by=world.pmo)


def keys(meeting, today):
    """The proposals for the meeting, worded in English."""
    with translation.override("en"):
        return {p.subject_key: p for p in agenda_proposals(meeting, today=today)}


def test_a_proposed_scenario_is_on_the_committees_next_agenda_once(world, load):
    scenario = proposed(load, world)
    meeting = planned_meeting(committee=load.committee, by=world.pmo)

    proposal = keys(meeting, load.today)[f"scenario-{scenario.pk}"]

    assert proposal.title == "What-if scenario: Décaler Alpha"
    assert "1 project moved; over-allocated cells 3 → 0" in proposal.reason
    assert "PRJ-A" not in proposal.reason and "Alpha" not in proposal.reason.replace("Décaler Alpha", "")
    services.agenda_accept(meeting=meeting, proposal=proposal)
    assert f"scenario-{scenario.pk}" not in keys(meeting, load.today)  # an item waits for it
    later = planned_meeting(
        committee=load.committee, by=world.pmo, starts_at=meeting.starts_at.replace(year=2099)
    )
    assert f"scenario-{scenario.pk}" not in keys(later, load.today)


def test_over_allocation_is_proposed_per_directorate_and_role_naming_what_the_committee_may_show(world, load):
    meeting = planned_meeting(committee=load.committee, by=world.pmo)
    key = f"over-allocation-{world.it.pk}-{load.dev.pk}"

    proposal = keys(meeting, load.today)[key]

    assert proposal.title == "Over-allocation: DSI / Developer"
    assert "150 %" in proposal.reason
    assert "PRJ-A Alpha" in proposal.reason and "PRJ-B Bravo" in proposal.reason
    assert "a confidential project" in proposal.reason  # CONF-C: the committee does not name it
    assert "CONF-C" not in proposal.reason and "secret" not in proposal.reason
    services.agenda_accept(meeting=meeting, proposal=proposal)
    assert key not in keys(meeting, load.today)


def test_no_over_allocation_for_a_steering_committee(world, load):
    from governance.models import Committee

    load.committee.kind = Committee.Kind.STEERING
    load.committee.save()
    meeting = planned_meeting(committee=load.committee, by=world.pmo)
    assert not [k for k in keys(meeting, load.today) if k.startswith("over-allocation")]


def in_meeting(client, world, load, scenario):
    meeting = planned_meeting(committee=load.committee, by=world.pmo)
    item = services.agenda_accept(
        meeting=meeting, proposal=keys(meeting, load.today)[f"scenario-{scenario.pk}"]
    )
    services.meeting_start(meeting=meeting, by=world.pmo)
    client.force_login(world.pmo)
    return meeting, item


def cells(months, **what_if):
    found = allocation(months=months, **what_if).cells
    return {key: (cell.capacity, cell.demand, dict(cell.projects)) for key, cell in found.items()}


def test_the_live_decision_applies_the_scenario_as_the_what_if_showed(client, world, load):
    scenario = proposed(
        load, world, {load.a.pk: Adjustment(shift_months=3), load.b.pk: Adjustment(pause=True)}
    )
    months = months_from(load.m1, 12)
    shown = cells(months, adjustments=scenario_adjustments_of(scenario), from_month=load.m1)
    actual_before = set(MonthlyAmount.objects.filter(kind="actual").values_list("project", "month", "amount"))
    budget_before = sorted(
        MonthlyAmount.objects.filter(project=load.a, kind="budget").values_list("month", "amount")
    )
    meeting, item = in_meeting(client, world, load, scenario)

    live = client.get(reverse("governance:meeting_live", args=[meeting.pk]), **EN).content.decode()
    assert "live-scenario" in live and "3 → 0" in live
    assert "PRJ-A Alpha: 3 months later" in live and "PRJ-B Bravo: Paused" in live

    response = record_decision(client, meeting, item, "approved", title="Décaler Alpha, suspendre Bravo")

    assert response.status_code == 200
    scenario.refresh_from_db()
    assert scenario.state == Scenario.State.APPROVED
    assert scenario.decision.agenda_item == item and scenario.decided_at is not None
    assert cells(months) == shown  # without adjustments, exactly what the what-if showed with them
    load.b.refresh_from_db()
    assert load.b.state == Project.State.ON_HOLD
    assert not Demand.objects.filter(project=load.b, month__gte=load.m1).exists()
    # The money: budget and forecast moved three months from M1, the actuals untouched.
    budget_after = sorted(
        MonthlyAmount.objects.filter(project=load.a, kind="budget").values_list("month", "amount")
    )
    expected = sorted(
        (month if month < load.m1 else add_months(month, 3), amount) for month, amount in budget_before
    )
    assert budget_after == expected
    forecast = sorted(
        MonthlyAmount.objects.filter(project=load.a, kind="forecast").values_list("month", flat=True)
    )
    assert forecast == months_from(add_months(load.m1, 3), 3)
    assert (
        set(MonthlyAmount.objects.filter(kind="actual").values_list("project", "month", "amount"))
        == actual_before
    )
    assert Demand.history.filter(project_id=load.a.pk, history_type="-").exists()  # history kept


def scenario_adjustments_of(scenario):
    from resources.scenarios import scenario_adjustments

    return scenario_adjustments(scenario)


@pytest.mark.parametrize("outcome", ["rejected", "deferred"])
def test_rejected_or_deferred_applies_nothing(client, world, load, outcome):
    scenario = proposed(load, world)
    demand = sorted(Demand.objects.values_list("project", "month", "fte"))
    money = sorted(MonthlyAmount.objects.values_list("project", "kind", "month", "amount"))
    meeting, item = in_meeting(client, world, load, scenario)

    record_decision(client, meeting, item, outcome)

    scenario.refresh_from_db()
    assert sorted(Demand.objects.values_list("project", "month", "fte")) == demand
    assert sorted(MonthlyAmount.objects.values_list("project", "kind", "month", "amount")) == money
    if outcome == "rejected":
        assert scenario.state == Scenario.State.REJECTED and scenario.decision is not None
    else:
        assert scenario.state == Scenario.State.PROPOSED and scenario.decision is None
        services.meeting_close(meeting=meeting, by=world.pmo)
        later = planned_meeting(committee=load.committee, by=world.pmo)
        assert f"scenario-{scenario.pk}" in keys(later, load.today)  # back at the next meeting


def test_the_over_allocation_card_names_projects_as_the_reader_may_see_them(client, world, load):
    meeting = planned_meeting(committee=load.committee, by=world.pmo)
    proposal = keys(meeting, load.today)[f"over-allocation-{world.it.pk}-{load.dev.pk}"]
    services.agenda_accept(meeting=meeting, proposal=proposal)
    services.meeting_start(meeting=meeting, by=world.pmo)

    client.force_login(world.pmo)
    live = client.get(reverse("governance:meeting_live", args=[meeting.pk]), **EN).content.decode()
    assert "live-over-allocation" in live and "CONF-C Projet secret" in live

    client.force_login(world.member)
    live = client.get(reverse("governance:meeting_live", args=[meeting.pk]), **EN).content.decode()
    assert "live-over-allocation" in live and "PRJ-A Alpha (1.5)" in live
    assert "CONF-C" not in live and "secret" not in live and "a confidential project (0.5)" in live
