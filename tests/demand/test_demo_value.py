"""seed_demo's demand: requests from the directorates in every state, their costs over the next three
years and the people they need, scores by the PMO and two committee members (who disagree on one
request), two scenarios waiting to be computed; the same for the same seed, right at any date."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from demand.models import PortfolioScenario, ProjectRequest, RequestCapacity, RequestCost, Score
from demand.scoring import subject_scores
from governance.models import Committee
from pmo import audit

pytestmark = pytest.mark.django_db
State = ProjectRequest.State
# Two anchors: the middle of a year, and a December, when the plans start next year.
ANCHORS = [date(2026, 6, 15), date(2027, 12, 20)]


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--reset", "--projects", "40", *args, stdout=out)
    return out.getvalue()


def request_rows() -> list[tuple]:
    return list(
        ProjectRequest.objects.order_by("code").values_list(
            "code", "title", "state", "directorate__code", "requested_by__username", "project__code",
            "created_at", "decision_reason",
        )
    ) + list(
        RequestCost.objects.order_by("request__code", "year").values_list("request__code", "year", "amount")
    )  # fmt: skip


def score_rows() -> list[tuple]:
    return list(
        Score.objects.order_by("request__code", "project__code", "scorer__username").values_list(
            "request__code", "project__code", "scorer__username", "values__criterion__code", "values__value"
        )
    )


@pytest.mark.parametrize("anchor", ANCHORS)
def test_requests_in_every_state_from_the_directorates_with_what_each_state_needs(anchor):
    output = seed_demo("--today", anchor.isoformat())

    requests = ProjectRequest.objects.select_related("requested_by", "project", "committee")
    assert {r.state for r in requests} == set(State.values)
    assert 12 <= len(requests) <= 18
    assert "Project requests" in output or "Demandes de projet" in output
    morning = audit.local(anchor, 8)
    for request in requests:
        assert request.requested_by.directorate_id == request.directorate_id or request.requested_by in (
            request.project and [request.project.project_manager]
        ), request.code
        assert request.created_at <= morning and (request.decided_at or request.created_at) <= morning
        if request.state == State.INCOMPLETE:
            assert request.qualification_comment and request.qualified_by.username == "pmo"
        if request.state in (State.PROPOSED, State.APPROVED, State.REJECTED, State.DEFERRED):
            assert request.committee.kind == Committee.Kind.PORTFOLIO
        if request.state in (State.APPROVED, State.REJECTED, State.DEFERRED):
            assert request.decision_reason and request.decided_at
    approved = requests.get(state=State.APPROVED)
    assert approved.project.name == approved.title
    assert approved.project.phase.order == min(p.order for p in type(approved.project.phase).objects.all())
    # Costs in the plans' three years (next year's from October), people by role.
    first = anchor.year if anchor.month < 10 else anchor.year + 1
    assert set(RequestCost.objects.values_list("year", flat=True)) <= {first, first + 1, first + 2}
    assert first in RequestCost.objects.values_list("year", flat=True)
    assert RequestCapacity.objects.values("role").distinct().count() >= 3
    assert requests.exclude(expected_annual_benefit=None).exists()


def test_the_pmo_and_two_committee_members_score_and_disagree_on_one_request():
    seed_demo()
    version = Score.objects.first().criteria_set

    candidates = ProjectRequest.objects.candidates().values_list("pk", flat=True)
    by_request, _projects = subject_scores(criteria_set=version, request_ids=candidates)
    assert set(by_request) == set(candidates)
    assert Score.objects.filter(project__state="active").exists()
    disputed = [s for s in by_request.values() if s.count >= 3 and s.spread >= 30]
    assert len(disputed) == 1
    scorers = set(Score.objects.values_list("scorer__username", flat=True))
    assert "pmo" in scorers and "committee" in scorers and len(scorers) == 3


def test_two_scenarios_with_caps_a_forced_request_computed_within_their_caps():
    seed_demo()

    scenarios = PortfolioScenario.objects.prefetch_related("budgets", "choices").order_by("pk")
    assert len(scenarios) == 2
    for scenario in scenarios:
        assert not scenario.archived
        assert [b.year for b in scenario.budgets.all()] == scenario.year_range
        assert all(b.cap > 0 for b in scenario.budgets.all())
        result = scenario.result
        assert result["status"] == "optimal" and result["selected"]
        for budget in scenario.budgets.all():
            assert Decimal(result["cost"][str(budget.year)]) <= budget.cap
    forced = [c for s in scenarios for c in s.choices.all()]
    assert len(forced) == 1 and forced[0].request.state in ProjectRequest.CANDIDATE_STATES
    assert forced[0].request.regulatory_deadline
    assert f"r{forced[0].request_id}" in forced[0].scenario.result["selected"]
    # The tighter cap leaves out something the wider one keeps: the two choices differ.
    assert set(scenarios[0].result["selected"]) != set(scenarios[1].result["selected"])


def test_the_same_seed_gives_the_same_requests_and_scores():
    seed_demo("--seed", "7")
    first = request_rows(), score_rows()
    seed_demo("--seed", "7")

    assert (request_rows(), score_rows()) == first


def test_more_projects_bring_a_few_more_requests():
    seed_demo("--projects", "200")

    assert 15 <= ProjectRequest.objects.count() <= 18
    assert not ProjectRequest.objects.filter(created_at__date__gt=timezone.localdate()).exists()
