"""Benefits at risk on the agenda of the committee overseeing the project, once while an item waits, and
the gate criterion checked automatically on the gate pages and in the live meeting's form."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from benefits.meetings import at_risk_proposals
from governance.models import AgendaItem, Committee, GateCriterion
from governance.services import gate_review_request
from portfolio.models import Phase
from tests.benefits.benefit_helpers import make_profile
from tests.factories import CommitteeFactory, ProjectFactory, planned_meeting


def _behind(project, title="Économies"):
    today = timezone.localdate()
    return make_profile(
        project, title=title, starts_on=today - timedelta(days=100), target_date=today + timedelta(days=100)
    )


def test_steering_committee_gets_one_item_per_project_with_benefits_at_risk_not_twice(world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    hidden = ProjectFactory(confidential=True, project_manager=world.pm, directorate=world.it)
    _behind(project)
    _behind(hidden)
    committee = CommitteeFactory(members=[world.member], scope_directorate=world.it)
    meeting = planned_meeting(committee=committee, by=world.pmo)
    today = timezone.localdate()

    proposals = at_risk_proposals(meeting, today=today, items=[])
    assert len(proposals) == 2
    named = next(p for p in proposals if p.project == project)
    assert project.code in named.title
    secret = next(p for p in proposals if p.project is None)
    assert hidden.code not in secret.title + secret.reason and hidden.name not in secret.title

    AgendaItem.objects.create(
        meeting=meeting, title=named.title, order=50, **named.title_text.stored("title")
    )
    assert [p.project for p in at_risk_proposals(meeting, today=today, items=[])] == [None]

    technical = CommitteeFactory(kind=Committee.Kind.TECHNICAL, scope_directorate=world.it)
    assert at_risk_proposals(planned_meeting(committee=technical, by=world.pmo), today=today, items=[]) == []


def test_gate_pages_show_the_automatic_check_and_the_live_form_starts_from_it(client, world):
    from governance.forms.live import GateDecisionForm
    from governance.selectors_live import live_meeting_data

    design = Phase.objects.get(name_en="Design")
    project = ProjectFactory(project_manager=world.pm, directorate=world.it, phase=design)
    criterion = GateCriterion.objects.create(
        phase=design, text="Profil de bénéfices approuvé", text_en="Approved benefit profile",
        automatic_check="benefit_profile_approved",
    )  # fmt: skip
    committee = CommitteeFactory(members=[world.member], scope_directorate=world.it)
    client.force_login(world.pm)
    page = client.get(reverse("governance:gate_request", args=[project.code]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Checked automatically: not met" in page.content.decode()

    review = gate_review_request(project=project, committee=committee, by=world.pm)
    make_profile(project)
    page = client.get(reverse("governance:gate_detail", args=[review.pk]), HTTP_ACCEPT_LANGUAGE="en")
    page = page.content.decode()
    assert "Checked automatically: met" in page

    checks = list(review.checks.select_related("criterion"))
    from governance.extensions import mark_automatic

    mark_automatic(checks, project, criterion_of=lambda check: check.criterion)
    form = GateDecisionForm(checks=checks, prefix="gate")
    assert form.fields[f"met_{criterion.pk}"].initial == "yes"
    assert live_meeting_data  # the live page marks its checks the same way (governance.selectors_live)
