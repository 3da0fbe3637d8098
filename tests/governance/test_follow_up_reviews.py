"""A Red or Amber/Red assessment's follow-up review, once due, is proposed to the committees whose scope
covers the project, with the project and the reason; once taken up it is not proposed again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from governance import services as governance
from governance.models import AgendaItem
from governance.selectors import agenda_proposals
from pmo.texts import day
from portfolio.assurance import Confidence, confidence_record, follow_ups_due
from tests.factories import CommitteeFactory, ProjectFactory, planned_meeting

pytestmark = pytest.mark.django_db


def follow_ups(meeting):
    return [
        p for p in agenda_proposals(meeting, today=timezone.localdate()) if p.key.startswith("follow-up-")
    ]


@pytest.fixture
def overdue(world):
    """A project of finance assessed red long enough ago for its follow-up to be due."""
    project = ProjectFactory(code="DF-031", name="Refonte paie", directorate=world.finance)
    assessed_on = timezone.localdate() - timedelta(days=settings.CONFIDENCE_FOLLOW_UP_DAYS + 3)
    return confidence_record(
        project=project,
        rating=Confidence.RED,
        assessed_on=assessed_on,
        reason="Recette bloquée",
        user=world.pmo,
    )


def test_a_due_follow_up_is_proposed_to_the_committee_covering_the_project(world, overdue):
    committee = CommitteeFactory(scope_directorate=world.finance, secretary=world.pmo)
    elsewhere = CommitteeFactory(scope_directorate=world.it)
    meeting = planned_meeting(committee=committee, by=world.pmo)

    with translation.override("en"):
        [proposal] = follow_ups(meeting)

    assert list(follow_ups_due(timezone.localdate())) == [overdue]  # the one rule says it is due
    assert proposal.project == overdue.project
    assert proposal.title == "Follow-up review DF-031 Refonte paie"
    assert "assessed red" in proposal.reason and "Recette bloquée" in proposal.reason
    assert follow_ups(planned_meeting(committee=elsewhere, by=world.pmo)) == []


def test_a_follow_up_done_by_a_later_assessment_or_not_yet_due_is_not_proposed(world, overdue):
    committee = CommitteeFactory(scope_directorate=world.finance, secretary=world.pmo)
    recent = ProjectFactory(code="DF-032", directorate=world.finance)
    confidence_record(
        project=recent,
        rating=Confidence.AMBER_RED,
        assessed_on=timezone.localdate(),
        reason="",
        user=world.pmo,
    )
    confidence_record(
        project=overdue.project,
        rating=Confidence.AMBER,
        assessed_on=timezone.localdate() - timedelta(days=1),
        reason="Plan de reprise",
        user=world.pmo,
    )

    assert follow_ups(planned_meeting(committee=committee, by=world.pmo)) == []


def test_once_taken_up_it_is_not_proposed_again_and_reads_in_each_language(world, overdue):
    committee = CommitteeFactory(scope_directorate=world.finance, secretary=world.pmo)
    meeting = planned_meeting(committee=committee, by=world.pmo)
    [proposal] = follow_ups(meeting)
    governance.agenda_accept(meeting=meeting, proposal=proposal)
    later = planned_meeting(committee=committee, by=world.pmo, starts_at=timezone.now() + timedelta(days=21))

    item = meeting.items.get(kind=AgendaItem.Kind.PROJECT_REVIEW, project=overdue.project)
    with translation.override("fr"):
        assert item.display_title == "Revue de suivi DF-031 Refonte paie"
    with translation.override("en"):
        assert item.display_title == "Follow-up review DF-031 Refonte paie"
        assert str(item.display_reason).endswith(" due " + day(overdue.follow_up_due) + ": Recette bloquée")
    with translation.override("fr"):  # French typography: a space before the colon
        assert str(item.display_reason).endswith(" le " + day(overdue.follow_up_due) + " : Recette bloquée")
    assert follow_ups(meeting) == []
    assert follow_ups(later) == []


def test_it_is_not_proposed_beside_a_review_of_the_project_already_on_the_agenda(world, overdue):
    committee = CommitteeFactory(scope_directorate=world.finance, secretary=world.pmo)
    meeting = planned_meeting(committee=committee, by=world.pmo)
    governance.agenda_add(
        meeting=meeting,
        title="Revue DF-031",
        kind=AgendaItem.Kind.PROJECT_REVIEW,
        planned_minutes=10,
        project=overdue.project,
    )

    assert follow_ups(meeting) == []
