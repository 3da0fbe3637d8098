"""A qualified request of the DSI, costed and staffed over two years, the portfolio committee that decides
it (and a steering committee that does not), for the G0 tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.urls import reverse
from django.utils import translation

from demand.g0 import request_propose
from demand.models import ProjectRequest, RequestCapacity, RequestCost
from governance import services
from governance.models import AgendaItem, Committee
from governance.selectors import agenda_proposals
from resources.models import ResourceRole
from tests.factories import CommitteeFactory, planned_meeting

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def g0_world(world) -> SimpleNamespace:
    dev = ResourceRole.objects.create(code="DEV", name="Développeur", name_en="Developer", order=1)
    request = ProjectRequest.objects.create(
        code="DEM-2026-0007",
        title="Signature électronique des contrats",
        objectives="Signer les contrats clients en ligne, sans papier.",
        strategic_objective="Digitalisation",
        directorate=world.it,
        requested_by=world.pm,
        sponsor=world.executive,
        proposed_manager=world.pm,
        expected_benefits="Moins d'impressions et de courriers.",
        expected_annual_benefit=Decimal("50000.00"),
        urgency=ProjectRequest.Urgency.HIGH,
        desired_start=date(2027, 3, 15),
        desired_end=date(2028, 6, 30),
        currency="MAD",
        state=ProjectRequest.State.QUALIFIED,
    )
    RequestCost.objects.create(request=request, year=2027, amount=Decimal("120000.00"))
    RequestCost.objects.create(request=request, year=2028, amount=Decimal("60000.50"))
    RequestCapacity.objects.create(request=request, role=dev, year=2027, person_months=Decimal(30))
    RequestCapacity.objects.create(request=request, role=dev, year=2028, person_months=Decimal(10))
    committee = CommitteeFactory(
        code="cp", name="Comité de portefeuille", kind=Committee.Kind.PORTFOLIO, members=[world.member],
        quorum=1,
    )  # fmt: skip
    steering = CommitteeFactory(code="copil", name="COPIL DSI", scope_directorate=world.it)
    return SimpleNamespace(request=request, dev=dev, committee=committee, steering=steering)


def propose(world, g0):
    return request_propose(request=g0.request, committee=g0.committee, by=world.pmo)


def keys(meeting, today):
    """The proposals for the meeting, worded in English."""
    with translation.override("en"):
        return {p.subject_key: p for p in agenda_proposals(meeting, today=today)}


def in_live_meeting(client, world, g0, today):
    """The committee's next meeting, the request's proposal taken up, the meeting started, the PMO in."""
    meeting = planned_meeting(committee=g0.committee, by=world.pmo)
    item = services.agenda_accept(meeting=meeting, proposal=keys(meeting, today)[f"request-{g0.request.pk}"])
    services.meeting_start(meeting=meeting, by=world.pmo)
    client.force_login(world.pmo)
    return meeting, item


def record(client, meeting, item: AgendaItem, outcome: str, *, rationale: str = ""):
    """The secretary records the committee's decision on the item, on the live page."""
    return client.post(
        reverse("governance:live_decision", args=[meeting.pk]),
        {
            "decision-item": item.pk,
            "decision-title": "Décision G0",
            "decision-outcome": outcome,
            "decision-rationale": rationale,
            "decision-conditions": "Revue d'architecture" if outcome == "conditional" else "",
        },
        **EN,
    )
