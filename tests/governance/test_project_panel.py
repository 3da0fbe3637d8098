from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from governance.services import action_create, decision_record, gate_review_request
from portfolio.models import Phase
from tests.factories import CommitteeFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(world):
    return ProjectFactory(
        project_manager=world.pm, directorate=world.it, phase=Phase.objects.order_by("order")[1]
    )


@pytest.fixture
def copil(world, project):
    return CommitteeFactory(name="COPIL Digital", scope_directorate=world.it, secretary=world.pmo)


def govern(project, copil, by, *, decisions: int, actions: int) -> None:
    today = timezone.localdate()
    for n in range(decisions):
        decision_record(committee=copil, title=f"Décision {n}", by=by, project=project)
    for n in range(actions):
        action_create(
            title=f"Action {n}", owner=project.project_manager, due_date=today + timedelta(days=n - 3),
            by=by, project=project, committee=copil,
        )  # fmt: skip


def page(client, project):
    return client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")


def test_the_panel_shows_decisions_open_actions_with_overdue_flagged_and_the_request_button(
    client, world, project, copil
):
    govern(project, copil, world.pmo, decisions=7, actions=2)
    client.force_login(world.pm)

    response = page(client, project)

    html = response.content.decode()
    panel = next(p["context"] for p in response.context["panels"] if p["template"].startswith("governance/"))
    assert [d.title for d in panel["decisions"]] == [f"Décision {n}" for n in (6, 5, 4, 3, 2)]
    assert [(a.title, a.overdue) for a in panel["actions"]] == [("Action 0", True), ("Action 1", True)]
    assert "Décision 6" in html and "Décision 1" not in html
    assert "Overdue</span>" in html
    assert "Request a stage gate review" in html and f"/governance/gates/request/{project.code}/" in html
    assert "overdue_actions" in [signal.code for signal in response.context["signals"]]
    oldest = date_format(timezone.localdate() - timedelta(days=3), "SHORT_DATE_FORMAT")
    assert f"2 overdue actions, the oldest due since {oldest}." in html


def test_a_reader_sees_the_panel_without_the_request_button(client, world, project, copil):
    govern(project, copil, world.pmo, decisions=1, actions=0)
    client.force_login(world.member)

    html = page(client, project).content.decode()

    assert "Décision 0" in html
    assert "Request a stage gate review" not in html
    assert "No open action on this project." in html


def test_a_pending_gate_review_replaces_the_button(client, world, project, copil):
    review = gate_review_request(project=project, committee=copil, by=world.pm)
    client.force_login(world.pm)

    html = page(client, project).content.decode()

    assert f"/governance/gates/{review.pk}/" in html
    assert "awaiting COPIL Digital" in html
    assert "Request a stage gate review" not in html


def test_without_governance_rows_the_panel_says_so_and_no_signal_is_raised(client, world, project):
    client.force_login(world.pm)

    response = page(client, project)

    assert "No committee decision about this project yet." in response.content.decode()
    assert "overdue_actions" not in [signal.code for signal in response.context["signals"]]


def queries_for(client, project) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert page(client, project).status_code == 200
    return len(captured)


def test_the_panel_costs_the_same_queries_for_few_and_many_decisions_and_actions(client, world, copil):
    phase = Phase.objects.order_by("order")[1]
    few, many = (
        ProjectFactory(project_manager=world.pm, directorate=world.it, phase=phase) for _ in range(2)
    )
    govern(few, copil, world.pmo, decisions=1, actions=1)
    govern(many, copil, world.pmo, decisions=12, actions=20)
    gate_review_request(project=many, committee=copil, by=world.pm)
    client.force_login(world.pm)

    # The 26 of tests/portfolio/test_project_page.py (13 before risks registered their panel and
    # signal) less finance's project query (this project has no money by month: the financial view
    # reads no project) and the PMO's review thread (read with a status: none here), plus benefits' panels
    # (the lessons: 4; the benefit profiles with their actuals: 2), whatever the number of governance rows.
    # Plus standards' panels (13, as in tests/portfolio/test_project_page.py: the methodology and its
    # tolerance bands, the deliverables due, the compliance and its signal, the open exception report).
    assert queries_for(client, few) == queries_for(client, many) == 43
