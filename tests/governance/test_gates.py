from types import SimpleNamespace

import pytest

from governance.models import GateCriterion, GateReview
from governance.services import gate_review_decide, gate_review_request
from portfolio.models import Phase
from tests.factories import CommitteeFactory, PortfolioFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    """A project of the pm in its design phase, a COPIL over its portfolio and a committee elsewhere."""
    design, build = Phase.objects.order_by("order")[1:3]
    portfolio = PortfolioFactory(directorate=world.it)
    project = ProjectFactory(
        project_manager=world.pm, directorate=world.it, portfolio=portfolio, phase=design
    )
    copil = CommitteeFactory(name="COPIL Digital", scope_portfolio=portfolio, secretary=world.pmo)
    elsewhere = CommitteeFactory(name="COPIL Finance", scope_directorate=world.finance)
    return SimpleNamespace(project=project, copil=copil, elsewhere=elsewhere, design=design, build=build)


def url(project) -> str:
    return f"/governance/gates/request/{project.code}/"


def test_the_project_manager_sees_the_checklist_of_the_phase_and_the_covering_committees(
    client, world, setup
):
    project, copil, design = setup.project, setup.copil, setup.design
    client.force_login(world.pm)

    response = client.get(url(project), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["form"].fields["committee"].queryset) == [copil]
    for criterion in GateCriterion.objects.filter(phase=design):
        assert criterion.text_en in html
    assert "Design" in html and "Build" in html


def test_requesting_a_gate_creates_a_pending_review_with_the_phase_checklist(client, world, setup):
    project, copil, design, build = setup.project, setup.copil, setup.design, setup.build
    client.force_login(world.pm)

    response = client.post(url(project), {"committee": copil.pk})

    review = GateReview.objects.get()
    assert response.status_code == 302 and response.url == f"/governance/gates/{review.pk}/"
    assert (review.committee, review.from_phase, review.to_phase) == (copil, design, build)
    assert review.state == GateReview.State.PENDING and review.requested_by == world.pm
    assert review.checks.count() == GateCriterion.objects.filter(phase=design).count() > 0
    detail = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Awaiting review" in detail and "Design documents signed off" in detail


def test_a_second_request_shows_the_rule_in_the_form_and_creates_nothing(client, world, setup):
    project, copil = setup.project, setup.copil
    gate_review_request(project=project, committee=copil, by=world.pm)
    client.force_login(world.pm)

    response = client.post(url(project), {"committee": copil.pk}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "A gate review is already waiting for this project." in response.content.decode()
    assert GateReview.objects.count() == 1


def test_a_project_without_phase_cannot_ask_for_a_gate(client, world, setup):
    project, copil = setup.project, setup.copil
    project.phase = None
    project.save()
    client.force_login(world.pm)

    response = client.post(url(project), {"committee": copil.pk}, HTTP_ACCEPT_LANGUAGE="en")

    assert "The project has no phase yet" in response.content.decode()
    assert not GateReview.objects.exists()


def test_the_project_manager_cannot_pick_a_committee_that_does_not_cover_the_project(client, world, setup):
    project, elsewhere = setup.project, setup.elsewhere
    client.force_login(world.pm)

    response = client.post(url(project), {"committee": elsewhere.pk})

    assert response.status_code == 200 and response.context["form"].errors["committee"]
    assert not GateReview.objects.exists()


def test_the_pmo_may_ask_any_active_committee(client, world, setup):
    project, elsewhere = setup.project, setup.elsewhere
    client.force_login(world.pmo)

    response = client.post(url(project), {"committee": elsewhere.pk})

    assert response.status_code == 302
    assert GateReview.objects.get().committee == elsewhere


@pytest.mark.parametrize(("reader", "status"), [("other_pm", 403), ("executive", 403), ("member", 403)])
def test_only_the_pmo_and_the_projects_manager_request_a_gate(client, world, setup, reader, status):
    project, copil = setup.project, setup.copil
    client.force_login(getattr(world, reader))

    assert client.get(url(project)).status_code == status
    assert client.post(url(project), {"committee": copil.pk}).status_code == status
    assert not GateReview.objects.exists()


def test_a_confidential_project_does_not_exist_for_outsiders(client, world, setup):
    project, copil = setup.project, setup.copil
    project.confidential = True
    project.save()
    review = gate_review_request(project=project, committee=copil, by=world.pm)
    client.force_login(world.other_pm)

    assert client.get(url(project)).status_code == 404
    assert client.get(f"/governance/gates/{review.pk}/").status_code == 404


def test_the_decided_review_shows_its_checks_outcome_and_decision(client, world, setup):
    project, copil = setup.project, setup.copil
    review = gate_review_request(project=project, committee=copil, by=world.pm)
    first = review.checks.first()
    decision = gate_review_decide(
        review=review, outcome="go", by=world.pmo, checks={first.criterion_id: (True, "Signé le 3 mars.")}
    )
    client.force_login(world.member)  # may see the (not confidential) project

    response = client.get(f"/governance/gates/{review.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["decision"] == decision
    assert decision.reference in html and "Signé le 3 mars." in html and ">Go</span>" in html


def test_the_review_page_query_count_does_not_grow_with_its_checks(
    client, world, setup, django_assert_num_queries
):
    project, copil = setup.project, setup.copil
    review = gate_review_request(project=project, committee=copil, by=world.pm)
    client.force_login(world.pm)
    # session, user, groups (roles); the review with project, committee, phases, requester, agenda
    # item and meeting, decision, the project's phase; its checks with their criterion; standards' gate
    # extra (standards.selectors.deliverables_due, read once for its checklist and its explanation): the
    # methodology the PMO chose, the default methodologies, their required deliverables, the project's
    # deliverables; benefits' gate extra: the phase's common lesson
    # categories, the similar lessons, may the user record a lesson (editable_by).
    with django_assert_num_queries(12):
        client.get(f"/governance/gates/{review.pk}/")
    GateCriterion.objects.bulk_create(
        GateCriterion(phase=project.phase, text=f"Critère {n}", text_en=f"Criterion {n}", order=100 + n)
        for n in range(10)
    )
    review.checks.model.objects.bulk_create(
        review.checks.model(review=review, criterion=c) for c in GateCriterion.objects.filter(order__gte=100)
    )
    with django_assert_num_queries(12):
        client.get(f"/governance/gates/{review.pk}/")
