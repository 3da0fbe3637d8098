"""The request's card on the live page: what the committee weighs, nothing confidential to a member who may
not see it, in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from demand.meetings import live_card
from demand.models import CriteriaSet, PortfolioScenario, RequestCapacity, RequestCost
from governance import services
from resources.models import ResourceRole
from tests.demand.g0_world import EN, g0_world, in_live_meeting, keys, propose, record
from tests.factories import ProjectFactory, planned_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def g0(world):
    return g0_world(world)


def scenario(name, *keys):
    criteria = CriteriaSet.objects.order_by("number").first()
    return PortfolioScenario.objects.create(
        name=name, first_year=2027, criteria_set=criteria, result={"selected": list(keys)}
    )


def test_the_card_shows_the_request_and_hides_what_the_member_may_not_see(client, world, g0):
    today = timezone.localdate()
    secret = ProjectFactory(code="CONF-9", name="Fusion Atlas", confidential=True)
    scenario("Budget serré", f"r{g0.request.pk}")
    scenario("Sans Fusion Atlas", f"r{g0.request.pk}", f"p{secret.pk}")
    scenario("Autre choix", "r999999")
    propose(world, g0)
    meeting, _item = in_live_meeting(client, world, g0, today)

    live = client.get(reverse("governance:meeting_live", args=[meeting.pk]), **EN).content.decode()
    assert "Signer les contrats clients en ligne" in live and "DSI" in live
    assert "Developer (person-months)" in live and "120,000" in live and "180,000" in live
    assert "Budget serré" in live and "Sans Fusion Atlas" in live and "Autre choix" not in live

    client.force_login(world.member)
    live = client.get(reverse("governance:meeting_live", args=[meeting.pk]), **EN).content.decode()
    assert "live-g0" in live and "Budget serré" in live
    assert "Fusion Atlas" not in live and "CONF-9" not in live
    assert "a scenario whose name is confidential" in live


def test_the_project_created_is_named_only_to_who_may_see_it(client, world, g0):
    today = timezone.localdate()
    propose(world, g0)
    meeting, item = in_live_meeting(client, world, g0, today)
    record(client, meeting, item, "approved")
    g0.request.refresh_from_db()
    project = g0.request.project
    project.confidential = True
    project.save()

    with translation.override("en"):
        card = live_card(item, user=world.member, today=today)
    assert card["project"] is None and card["decisions"] == []  # a decision about a project they may not see
    with translation.override("en"):
        assert live_card(item, user=world.pmo, today=today)["project"] == project


def test_the_card_takes_a_fixed_number_of_queries(world, g0, django_assert_num_queries):
    today = timezone.localdate()
    propose(world, g0)
    meeting = planned_meeting(committee=g0.committee, by=world.pmo)
    item = services.agenda_accept(meeting=meeting, proposal=keys(meeting, today)[f"request-{g0.request.pk}"])
    world.member.roles  # noqa: B018 - the reader's roles are read once per request, before the extras
    # The request with its people, its costs, its needs with their roles, the open scenarios, the current
    # criteria version, its criteria, the scores, the decisions on the item.
    with django_assert_num_queries(8):
        live_card(item, user=world.member, today=today)
    ops = ResourceRole.objects.create(code="OPS", name="Exploitant", name_en="Operator", order=2)
    for year in (2029, 2030):
        RequestCost.objects.create(request=g0.request, year=year, amount=Decimal(1000))
        RequestCapacity.objects.create(request=g0.request, role=ops, year=year, person_months=Decimal(2))
    for n in range(3):
        scenario(f"Scénario {n}", f"r{g0.request.pk}")
    # The same, and the projects hidden from the reader (scenarios select the request: their names are
    # checked against them), whatever the number of years, roles and scenarios.
    with django_assert_num_queries(9):
        card = live_card(item, user=world.member, today=today)
    assert len(card["scenarios"]) == 3 and card["years"] == [2027, 2028, 2029, 2030]
