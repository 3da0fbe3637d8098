"""End to end: a change request beyond the PMO's tolerance reaches the project's steering committee, is
proposed on its next agenda with its impact, and the decision recorded on its item in the live meeting
approves it: baseline v2, the project's go-live moved, v1 kept, the consumer's dependency now broken."""

import pytest
from django.urls import reverse

from governance import services
from planning.models import Baseline, ChangeRequest
from portfolio.models import ProjectDependency
from tests.factories import planned_meeting
from tests.planning.scenarios import EN, SIX_WEEKS, change_control, raise_change, record_decision

pytestmark = pytest.mark.django_db


def test_a_change_beyond_tolerance_is_decided_by_the_committee_and_becomes_baseline_v2(client, world):
    plan = change_control(world)
    project, dependency = plan.project, plan.dependency
    old_end = project.baseline_end
    assert not ProjectDependency.objects.broken().filter(pk=dependency.pk).exists()

    change_request = raise_change(world, plan)  # go-live + 6 weeks, budget + 10 %

    assert change_request.state == ChangeRequest.State.PROPOSED
    assert change_request.committee == plan.committee  # the project's steering committee

    # The committee's next meeting: the preparation page proposes it, with its impact.
    meeting = planned_meeting(committee=plan.committee, by=world.pmo)
    client.force_login(world.pmo)
    page = client.get(reverse("governance:meeting_detail", args=[meeting.pk]), **EN).content.decode()
    assert f"{change_request.reference} Décaler la mise en production (change request)" in page
    assert (
        f"Slips 42 days; budget +250,000 {project.currency} (+10.0 %); breaks 1 dependency of another project"
        in page
    )
    assert "PRJ-0077" not in page  # a count, never the consumer's name

    # Accepted: on the agenda, the project's manager presenting.
    client.post(
        reverse("governance:agenda_accept", args=[meeting.pk]), {"key": f"change-request-{change_request.pk}"}
    )
    item = meeting.items.get()
    change_request.refresh_from_db()
    assert change_request.agenda_item == item
    assert (item.kind, item.project, item.presenter, item.planned_minutes) == (
        "decision_request",
        project,
        world.pm,
        10,
    )

    # The meeting: its card on the live page, then the decision recorded on the item.
    services.meeting_start(meeting=meeting, by=world.pmo)
    live = client.get(reverse("governance:meeting_live", args=[meeting.pk]), **EN).content.decode()
    assert "The decision recorded on this item decides the request" in live
    assert "baseline v2" in live

    response = record_decision(client, meeting, item, "approved", title="Report de la mise en production")

    assert response.status_code == 200
    change_request.refresh_from_db()
    project.refresh_from_db()
    assert change_request.state == ChangeRequest.State.APPROVED
    assert change_request.decision.agenda_item == item
    assert change_request.reference in change_request.decision.title  # the minutes name the request
    assert project.baseline_version == 2
    assert project.baseline_end == old_end + SIX_WEEKS
    v1, v2 = Baseline.objects.filter(project=project).order_by("number")
    assert (v1.number, v1.end, v2.number, v2.end) == (1, old_end, 2, old_end + SIX_WEEKS)
    assert v2.change_request == change_request
    assert ProjectDependency.objects.broken().filter(pk=dependency.pk).exists()  # the one broken rule
    # The card now says it is decided, from the baseline it replaced to the one it made.
    live = client.get(reverse("governance:meeting_live", args=[meeting.pk]), **EN).content.decode()
    assert "state-approved" in live and "The decision recorded on this item decides" not in live
    assert "Report de la mise en production" in live
