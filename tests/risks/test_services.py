from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from governance.models import Action
from risks.models import Issue, Risk, RiskLevel, RiskPolicy
from risks.services import (
    RiskError,
    mitigation_action_create,
    risk_close,
    risk_escalate,
    risk_occurred,
    risk_reassess,
)
from tests.factories import CommitteeFactory, ProjectFactory, make_risk

pytestmark = pytest.mark.django_db


def test_a_recorded_risk_has_a_reference_a_score_a_level_and_a_first_assessment(world):
    risk = make_risk(project=ProjectFactory(project_manager=world.pm), probability=4, impact=5)
    assert risk.reference.startswith("RSK-")
    assert risk.score == 20
    assert risk.level_in(RiskPolicy.current()) == RiskLevel.CRITICAL
    assert list(risk.assessments.values_list("score", flat=True)) == [20]


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (4, RiskLevel.LOW),
        (5, RiskLevel.MEDIUM),
        (9, RiskLevel.MEDIUM),
        (10, RiskLevel.HIGH),
        (15, RiskLevel.CRITICAL),
    ],
)
def test_levels_follow_the_policy_thresholds_in_python_and_in_sql(score, level):
    policy = RiskPolicy.current()
    probability, impact = next((p, i) for p in range(1, 6) for i in range(1, 6) if p * i == score)
    risk = make_risk(probability=probability, impact=impact)
    assert risk.level_in(policy) == level
    assert Risk.objects.with_levels(policy).get(pk=risk.pk).level == level


def test_thresholds_are_configuration_not_constants():
    RiskPolicy(medium_from=3, high_from=6, critical_from=20).save()
    risk = make_risk(probability=4, impact=4)
    policy = RiskPolicy.current()
    assert risk.level_in(policy) == RiskLevel.HIGH
    assert Risk.objects.with_levels(policy).get(pk=risk.pk).level == RiskLevel.HIGH


def test_a_reassessment_is_kept_in_the_history(world):
    risk = make_risk(probability=4, impact=5, by=world.pm)
    risk_reassess(risk=risk, by=world.pmo, probability=3, impact=5, note="Supplier found")
    risk.refresh_from_db()
    assert risk.score == 15
    history = list(risk.assessments.values_list("score", "assessed_by__username", "note"))
    assert history[-1] == (15, world.pmo.username, "Supplier found")
    assert len(history) == 2


@pytest.mark.parametrize("value", [0, 6])
def test_probability_outside_one_to_five_is_refused(value):
    risk = make_risk(probability=2, impact=2)
    with pytest.raises(ValidationError) as refused:
        risk_reassess(risk=risk, by=risk.owner, probability=value, impact=2)
    assert "probability" in refused.value.message_dict
    risk.refresh_from_db()
    assert (risk.probability, risk.assessments.count()) == (2, 1)


def test_a_residual_score_above_the_inherent_one_needs_a_reason():
    risk = make_risk(probability=2, impact=2)
    with pytest.raises(ValidationError) as refused:
        risk_reassess(
            risk=risk, by=risk.owner, probability=2, impact=2, residual_probability=3, residual_impact=3
        )
    assert "residual_reason" in refused.value.message_dict
    assert risk.assessments.count() == 1
    risk_reassess(
        risk=risk,
        by=risk.owner,
        probability=2,
        impact=2,
        residual_probability=3,
        residual_impact=3,
        residual_reason="The fallback supplier is riskier",
    )
    risk.refresh_from_db()
    assert risk.residual_score == 9


def test_the_database_refuses_a_closed_risk_without_a_note_even_past_the_forms():
    risk = make_risk()
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(state=Risk.State.CLOSED)


def test_closing_needs_a_note():
    risk = make_risk()
    with pytest.raises(ValidationError) as refused:
        risk_close(risk=risk, by=risk.owner, note="  ")
    assert "closing_note" in refused.value.message_dict
    risk.refresh_from_db()
    assert risk.state == Risk.State.OPEN
    risk_close(risk=risk, by=risk.owner, note="Contract signed")
    risk.refresh_from_db()
    assert (risk.state, risk.closed_on) == (Risk.State.CLOSED, date.today())


def test_an_occurred_risk_becomes_an_issue_linked_both_ways():
    risk = make_risk(probability=4, impact=4, effect="Go-live delayed")
    issue = risk_occurred(risk=risk, by=risk.owner)
    risk.refresh_from_db()
    assert risk.state == Risk.State.OCCURRED
    assert issue.risk == risk and risk.issue == issue
    assert issue.reference.startswith("ISS-")
    assert issue.severity == Issue.Severity.CRITICAL
    assert issue.project == risk.project
    with pytest.raises(RiskError):
        risk_occurred(risk=risk, by=risk.owner)


def test_mitigation_actions_are_governance_actions_from_the_risk(world):
    risk = make_risk()
    action = mitigation_action_create(
        risk=risk,
        title="Second supplier",
        owner=world.pm,
        due_date=date.today() + timedelta(days=10),
        by=world.pmo,
    )
    assert action.origin == Action.Origin.RISK
    assert action.project == risk.project
    assert list(risk.actions.all()) == [action]


def test_a_risk_waits_for_one_decision_per_committee(world):
    risk = make_risk()
    committee = CommitteeFactory()
    risk_escalate(risk=risk, committee=committee, reason="Budget needed", by=world.pmo)
    with pytest.raises(RiskError):
        risk_escalate(risk=risk, committee=committee, reason="Again", by=world.pmo)
