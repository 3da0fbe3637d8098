"""The request page's G0 panel and the PMO's "Propose to a committee": where the request is decided, the
decision and its reason, the project created; only the PMO brings a request to a portfolio committee."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from demand.models import ProjectRequest
from tests.demand.g0_world import g0_world, in_live_meeting, record
from tests.factories import planned_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def g0(world):
    return g0_world(world)


def panel(project_request, user) -> str:
    with translation.override("en"):
        template = Template("{% load demand_decision %}{% request_decision project_request %}")
        return template.render(Context({"project_request": project_request, "user": user}))


def test_the_pmo_proposes_a_qualified_request_to_a_portfolio_committee(client, world, g0):
    assert "Propose to the committee" in panel(g0.request, world.pmo)
    assert "Propose to the committee" not in panel(g0.request, world.pm)
    url = reverse("demand:request_propose", args=[g0.request.code])

    client.force_login(world.pm)  # the requester reads it, may not propose it
    assert client.post(url, {"committee": g0.committee.pk}).status_code == 403
    client.force_login(world.pmo)
    client.post(url, {"committee": g0.steering.pk})  # not a portfolio committee: not offered
    g0.request.refresh_from_db()
    assert g0.request.state == ProjectRequest.State.QUALIFIED
    response = client.post(url, {"committee": g0.committee.pk})

    assert response.status_code == 302 and response["Location"].endswith(
        f"/demand/requests/{g0.request.code}/"
    )
    g0.request.refresh_from_db()
    assert g0.request.state == ProjectRequest.State.PROPOSED and g0.request.committee == g0.committee
    meeting = planned_meeting(committee=g0.committee, by=world.pmo)
    shown = panel(g0.request, world.pm)
    assert "Comité de portefeuille" in shown and "its agenda will propose the request" in shown
    assert meeting.get_absolute_url() not in shown  # the requester does not read the committee's meetings
    assert meeting.get_absolute_url() in panel(g0.request, world.pmo)


def test_the_panel_shows_the_decision_its_reason_and_the_project(client, world, g0):
    from demand.g0 import request_propose

    request_propose(request=g0.request, committee=g0.committee, by=world.pmo)
    meeting, item = in_live_meeting(client, world, g0, timezone.localdate())
    record(client, meeting, item, "approved", rationale="Aligné sur la stratégie digitale.")
    g0.request.refresh_from_db()

    shown = panel(g0.request, world.pm)

    assert g0.request.decision.reference in shown and "Approved" in shown
    assert "Aligné sur la stratégie digitale." in shown
    assert g0.request.project.get_absolute_url() in shown and g0.request.project.code in shown
    assert "Propose to the committee" not in panel(g0.request, world.pmo)  # decided
