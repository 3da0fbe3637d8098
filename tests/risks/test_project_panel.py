from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portfolio.indicators import AMBER, RED
from risks.models import Issue
from risks.project_panel import open_risks_signal, project_panel
from risks.services import issue_create, risk_close
from tests.factories import ProjectFactory, make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(world):
    return ProjectFactory(project_manager=world.pm, directorate=world.it)


def page(client, project):
    return client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")


def signals_of(response) -> dict:
    return {signal.code: signal for signal in response.context["signals"]}


def test_the_panel_shows_open_risks_by_level_and_the_top_five(client, world, project):
    scores = [(5, 5), (4, 4), (3, 4), (2, 3), (1, 2), (1, 1)]
    risks = [
        make_risk(project=project, probability=p, impact=i, by=world.pm, title=f"R{p}{i}") for p, i in scores
    ]
    risk_close(
        risk=make_risk(project=project, probability=5, impact=4, by=world.pm), by=world.pm, note="Levé"
    )
    client.force_login(world.pm)

    response = page(client, project)

    panel = next(
        p["context"] for p in response.context["panels"] if p["template"] == "risks/_project_panel.html"
    )
    assert panel["counts"]["total"] == 6
    assert {row["level"].value: row["count"] for row in panel["by_level"]} == {
        "critical": 2, "high": 1, "medium": 1, "low": 2,
    }  # fmt: skip
    assert [r.pk for r in panel["risks"]] == [r.pk for r in risks[:5]]
    html = response.content.decode()
    assert "6 open risks" in html and risks[0].get_absolute_url() in html
    assert f"/risks/new/?project={project.code}" in html
    assert f"/risks/projects/{project.code}/" in html


def test_the_panel_flags_reviews_overdue_and_open_issues(client, world, project):
    risk = make_risk(project=project, by=world.pm, next_review_on=date.today() - timedelta(days=3))
    issue_create(issue=Issue(project=project, owner=world.pm, title="Panne de la recette"), by=world.pm)
    client.force_login(world.member)

    response = page(client, project)

    html = response.content.decode()
    assert "Review overdue" in html and risk.get_absolute_url() in html
    assert "Panne de la recette" in html
    assert "Record a risk" not in html  # a committee member reads only
    assert signals_of(response)["risk_reviews_overdue"].level == AMBER
    assert signals_of(response)["risk_reviews_overdue"].message == "1 risk past its review date."


def test_a_critical_open_risk_is_a_red_signal_and_a_high_one_amber(client, world, project):
    make_risk(project=project, probability=4, impact=5, by=world.pm)
    make_risk(project=project, probability=4, impact=5, by=world.pm)
    make_risk(project=project, probability=3, impact=4, by=world.pm)
    client.force_login(world.pm)

    signals = signals_of(page(client, project))

    assert (signals["critical_risks"].level, signals["critical_risks"].message) == (
        RED,
        "2 critical open risks.",
    )
    assert (signals["high_risks"].level, signals["high_risks"].message) == (AMBER, "1 high open risk.")
    assert "risk_reviews_overdue" not in signals


def test_without_risks_the_panel_says_so_and_raises_no_signal(client, world, project):
    client.force_login(world.pm)
    response = page(client, project)
    assert "No open risk on this project." in response.content.decode()
    assert not {"critical_risks", "high_risks", "risk_reviews_overdue"} & signals_of(response).keys()


def test_the_panel_and_the_signal_each_cost_a_fixed_number_of_queries(world, project):
    today = timezone.localdate()
    for n in range(9):
        make_risk(project=project, probability=1 + n % 5, impact=5, by=world.pm)
    assert world.pm.roles  # read once per request by the middleware, not by the panel
    for function, expected in [(project_panel, 4), (open_risks_signal, 2)]:
        fresh = type(project).objects.get(pk=project.pk)  # nothing kept from the other function
        with CaptureQueriesContext(connection) as captured:
            function(project=fresh, user=world.pm, today=today)
        assert len(captured) == expected, function.__name__


def queries_for(client, project) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert page(client, project).status_code == 200
    return len(captured)


def test_the_project_page_costs_the_same_queries_for_few_and_many_risks(client, world):
    few, many = (ProjectFactory(project_manager=world.pm, directorate=world.it) for _ in range(2))
    make_risk(project=few, by=world.pm)
    for n in range(15):
        make_risk(project=many, by=world.pm, probability=1 + n % 5, impact=4,
                  next_review_on=date.today() - timedelta(days=n))  # fmt: skip
        issue_create(issue=Issue(project=many, owner=world.pm, title=f"Problème {n}"), by=world.pm)
    client.force_login(world.pm)

    # The 26 of tests/portfolio/test_project_page.py less finance's project query (no money by month
    # here) and the PMO's review thread (read with a status: none here), whatever the number of risks
    # and issues (benefits' lessons panel included: 4; its benefit profiles with their actuals: 2).
    # Plus standards' panels (13, as in tests/portfolio/test_project_page.py: the methodology and its
    # tolerance bands, the deliverables due, the compliance and its signal, the open exception report).
    assert queries_for(client, few) == queries_for(client, many) == 43
