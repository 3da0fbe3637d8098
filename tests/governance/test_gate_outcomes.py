"""What each verdict of a stage gate does to the project, and how it is recorded."""

import pytest

from governance import services
from governance.models import Decision, GateReview
from portfolio.models import Phase, Project
from tests.factories import CommitteeFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(world):
    project = ProjectFactory(code="PRJ-0007", directorate=world.it, phase=Phase.objects.get(name_en="Design"))
    committee = CommitteeFactory(secretary=world.pmo)
    return services.gate_review_request(project=project, committee=committee, by=world.pm)


@pytest.mark.parametrize(
    ("outcome", "phase", "state", "recorded"),
    [
        (GateReview.Outcome.GO, "Build", Project.State.ACTIVE, Decision.Outcome.APPROVED),
        (GateReview.Outcome.HOLD, "Design", Project.State.ACTIVE, Decision.Outcome.DEFERRED),
        (GateReview.Outcome.STOP, "Design", Project.State.CANCELLED, Decision.Outcome.REJECTED),
    ],
)
def test_each_verdict_moves_the_project_as_it_says_and_is_a_decision(
    world, review, outcome, phase, state, recorded
):
    decision = services.gate_review_decide(review=review, outcome=outcome, by=world.pmo)

    project = Project.objects.get(pk=review.project_id)
    assert (project.phase.name_en, project.state) == (phase, state)
    assert (decision.outcome, decision.project, decision.gate_review) == (recorded, project, review)
    review.refresh_from_db()
    assert (review.state, review.outcome) == (GateReview.State.DECIDED, outcome)


def test_go_with_conditions_needs_a_condition_and_a_decided_gate_cannot_be_decided_again(world, review):
    with pytest.raises(services.GovernanceError):
        services.gate_review_decide(
            review=review, outcome=GateReview.Outcome.GO_WITH_CONDITIONS, by=world.pmo
        )
    services.gate_review_decide(review=review, outcome=GateReview.Outcome.HOLD, by=world.pmo)

    with pytest.raises(services.GovernanceError):
        services.gate_review_decide(review=review, outcome=GateReview.Outcome.GO, by=world.pmo)
    assert Project.objects.get(pk=review.project_id).phase.name_en == "Design"
    assert Decision.objects.count() == 1
