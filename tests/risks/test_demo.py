"""seed_demo's risks: every level, a history of scores, escalations decided and awaiting, overdue reviews,
risks that occurred as issues; the same seed gives the same register; reset empties it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from governance.models import AgendaItem, Meeting
from governance.selectors import agenda_proposals
from risks.models import Escalation, Issue, Risk, RiskAssessment, RiskCategory, RiskLevel, RiskPolicy
from risks.services import issue_create, risk_create

pytestmark = pytest.mark.django_db


def seed_demo(*args: str) -> None:
    call_command("seed_demo", "--reset", *args, stdout=StringIO())


@pytest.fixture
def demo():
    seed_demo("--projects", "60")


def test_every_level_is_present_with_a_history_of_scores(demo):
    levels = set(Risk.objects.with_levels(RiskPolicy.current()).values_list("level", flat=True))

    assert levels == set(RiskLevel.values)
    assert RiskCategory.objects.count() >= 7 and not Risk.objects.filter(category__isnull=True).exists()
    assert not Risk.objects.annotate(n=Count("assessments")).filter(n=0).exists()
    assert Risk.objects.annotate(n=Count("assessments")).filter(n__gte=3).exists()
    # The latest assessment is the risk's score now.
    for risk in Risk.objects.all()[:50]:
        assert risk.assessments.latest().score == risk.score
    assert Risk.objects.filter(residual_score__isnull=False).exists()
    assert Risk.objects.filter(project__isnull=True).exists()  # transverse


def test_some_are_overdue_for_review_some_closed_with_a_note_some_mitigated(demo):
    today = timezone.localdate()

    assert Risk.objects.review_overdue(today).count() >= 5
    assert Risk.objects.filter(state=Risk.State.CLOSED).exclude(closing_note="").exists()
    assert not Risk.objects.filter(state=Risk.State.CLOSED, closing_note="").exists()
    assert Risk.objects.filter(actions__isnull=False).exists()


def test_some_risks_occurred_with_their_linked_issue_and_some_issues_stand_alone(demo):
    occurred = Risk.objects.filter(state=Risk.State.OCCURRED)

    assert occurred.exists()
    for risk in occurred:
        assert risk.issue.risk_id == risk.pk and risk.issue.project_id == risk.project_id
    assert Issue.objects.filter(risk__isnull=True).exists()


def test_some_escalations_were_decided_in_closed_meetings_and_some_await_the_next_one(demo):
    decided = Escalation.objects.filter(decision__isnull=False).select_related(
        "agenda_item__meeting", "decision"
    )

    assert decided.count() >= 3
    for escalation in decided:
        assert escalation.agenda_item.meeting.state == Meeting.State.CLOSED
        assert escalation.decision.agenda_item_id == escalation.agenda_item_id
    planned = Meeting.objects.get(state=Meeting.State.PLANNED, committee__code="copil-dig")
    assert planned.items.filter(kind=AgendaItem.Kind.RISK_ESCALATION, risk_escalation__isnull=False).exists()
    proposed = [
        p
        for p in agenda_proposals(planned, today=timezone.localdate())
        if p.kind == AgendaItem.Kind.RISK_ESCALATION
    ]
    assert len(proposed) >= 1


def test_new_references_continue_after_the_demo_ones(demo, world):
    last = Risk.objects.order_by("-reference").first().reference
    risk = Risk(
        project=Risk.objects.filter(project__isnull=False).first().project,
        owner=world.pm,
        title="Nouveau",
        probability=2,
        impact=2,
    )

    assert risk_create(risk=risk, by=world.pm).reference > last
    issue = Issue(project=risk.project, owner=world.pm, title="Nouveau problème")
    assert issue_create(issue=issue, by=world.pm).reference not in set(
        Issue.objects.exclude(pk=issue.pk).values_list("reference", flat=True)
    )


def snapshot() -> dict:
    return {
        "risks": list(
            Risk.objects.order_by("reference").values_list(
                "reference",
                "title",
                "project__code",
                "owner__username",
                "score",
                "residual_score",
                "state",
                "next_review_on",
                "proximity",
            )
        ),
        "assessments": list(
            RiskAssessment.objects.order_by("risk__reference", "assessed_at").values_list("score")
        ),
        "escalations": sorted(
            Escalation.objects.values_list("risk__reference", "committee__code", "decision__title")
        ),
        "issues": list(
            Issue.objects.order_by("reference").values_list("reference", "title", "risk__reference")
        ),
    }


def test_the_same_seed_gives_the_same_register_and_reset_replaces_it():
    seed_demo("--projects", "30")
    first = snapshot()
    seed_demo("--projects", "30")

    assert snapshot() == first
    assert Risk.objects.count() == len(first["risks"])


def test_a_single_project_is_enough():
    seed_demo("--projects", "1")

    assert RiskCategory.objects.exists()


def test_reset_deletes_the_register_alone(demo):
    from risks import demo as risks_demo

    assert risks_demo.has_data()
    risks_demo.reset()

    assert not risks_demo.has_data()
    assert not Issue.objects.exists() and not Escalation.objects.exists() and not RiskPolicy.objects.exists()
    assert Meeting.objects.exists()  # governance's rows stay
