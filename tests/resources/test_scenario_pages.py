"""The scenarios' list and page: state, changes, before / after, decision; brought to the portfolio
committee or withdrawn; query counts that do not grow with scenarios or changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import Committee
from portfolio.adjustments import Adjustment
from resources.models import Scenario
from resources.scenarios import scenario_create
from tests.factories import CommitteeFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def draft(load, world, changes=None, name="Décaler Alpha") -> Scenario:
    changes = changes or {load.a.pk: Adjustment(shift_months=3)}
    return scenario_create(name=name, from_month=load.m1, changes=changes, by=world.pmo)


def test_the_list_and_the_page(client, world, load):
    scenario = draft(load, world, {load.a.pk: Adjustment(shift_months=-2), load.c.pk: Adjustment(pause=True)})
    client.force_login(world.pmo)

    listing = client.get(reverse("resources:scenarios")).content.decode()
    assert "Décaler Alpha" in listing and "Draft" in listing

    page = client.get(reverse("resources:scenario_detail", args=[scenario.pk])).content.decode()
    assert "PRJ-A Alpha" in page and "2 months earlier" in page
    assert "CONF-C Projet secret" in page and "Paused" in page  # the PMO sees confidential projects
    assert "Over-allocated cells" in page and "Bring to the portfolio committee" in page
    assert f"?scenario={scenario.pk}" in page  # reopen in the what-if


def test_brought_to_a_portfolio_committee_then_withdrawn(client, world, load):
    scenario = draft(load, world)
    steering = CommitteeFactory(kind=Committee.Kind.STEERING)
    client.force_login(world.pmo)

    client.post(reverse("resources:scenario_propose", args=[scenario.pk]), {"committee": steering.pk})
    scenario.refresh_from_db()
    assert scenario.state == Scenario.State.DRAFT  # only a portfolio committee

    client.post(reverse("resources:scenario_propose", args=[scenario.pk]), {"committee": load.committee.pk})
    scenario.refresh_from_db()
    assert (scenario.state, scenario.committee) == (Scenario.State.PROPOSED, load.committee)

    client.post(reverse("resources:scenario_withdraw", args=[scenario.pk]))
    scenario.refresh_from_db()
    assert scenario.state == Scenario.State.WITHDRAWN
    page = client.get(reverse("resources:scenario_detail", args=[scenario.pk])).content.decode()
    assert "Bring to the portfolio committee" not in page


def test_the_list_query_count_does_not_grow(client, world, load, django_assert_num_queries):
    client.force_login(world.pmo)
    draft(load, world)
    client.get(reverse("resources:scenarios"))
    # session, user, roles, the scenarios with committee, author, decision and their changes counted.
    with django_assert_num_queries(4):
        client.get(reverse("resources:scenarios"))
    for n in range(5):
        draft(load, world, name=f"S{n}")
    with django_assert_num_queries(4):
        client.get(reverse("resources:scenarios"))


def test_the_page_query_count_does_not_grow_with_changes(client, world, load, django_assert_num_queries):
    client.force_login(world.pmo)
    small = draft(load, world)
    more = {
        p.pk: Adjustment(shift_months=2) for p in ProjectFactory.create_batch(4, directorate=world.finance)
    }
    large = draft(load, world, {load.a.pk: Adjustment(shift_months=3), **more})
    client.get(reverse("resources:scenario_detail", args=[small.pk]))
    # session, user, roles; the scenario, its changes, their projects, their directorates (4); the projects
    # the reader may see; the comparison (resources.whatif: directorates, roles, allocation before and after,
    # the financial view before and after); the portfolio committees: 23, whatever the changes.
    with django_assert_num_queries(23) as captured:
        client.get(reverse("resources:scenario_detail", args=[small.pk]))
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(reverse("resources:scenario_detail", args=[large.pk]))
