"""The weekly status's "spend this period" and the actual cost to date it completes."""

from decimal import Decimal

import pytest

from portfolio.models import StatusReport
from tests.factories import ProjectFactory
from tests.portfolio.test_status_form import URL, report_for, status_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(world):
    return ProjectFactory(code="PRJ-0042", project_manager=world.pm, directorate=world.it)


EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_form_asks_for_the_spend_and_says_how_a_blank_actual_cost_is_completed(client, world, project):
    report_for(project, actual_cost=Decimal("1000000"), spend_this_period=Decimal("5000"))
    client.force_login(world.pm)
    content = client.get(URL, **EN).content.decode()
    assert 'name="spend_this_period"' in content
    assert "it becomes the previous actual cost to date plus the spend" in content
    # The spend is about its week only: it is not carried over.
    assert 'name="spend_this_period" value="5000' not in content


def test_a_blank_actual_cost_with_a_spend_is_the_previous_plus_the_spend(client, world, project):
    previous = report_for(project, actual_cost=Decimal("1000000"))
    client.force_login(world.pm)
    data = status_data(based_on=previous.pk, actual_cost="", spend_this_period="25000.50")
    response = client.post(URL, data, **EN)
    assert response.status_code == 302
    report = StatusReport.objects.get(project=project, revision=1, period__gt=project.last_report.period)
    assert report.spend_this_period == Decimal("25000.50")
    assert report.actual_cost == Decimal("1025000.50")


def test_a_given_actual_cost_stays_as_given_beside_the_spend(client, world, project):
    previous = report_for(project, actual_cost=Decimal("1000000"))
    client.force_login(world.pm)
    data = status_data(based_on=previous.pk, actual_cost="1200000", spend_this_period="100")
    response = client.post(URL, data, **EN)
    assert response.status_code == 302
    report = StatusReport.objects.exclude(pk=project.last_report_id).get(project=project)
    assert (report.actual_cost, report.spend_this_period) == (Decimal("1200000"), Decimal("100"))


@pytest.mark.parametrize("previous_cost", [None, "no report"])
def test_without_a_previous_actual_cost_a_blank_one_is_still_asked(client, world, project, previous_cost):
    if previous_cost is None:
        report_for(project, actual_cost=None)
    client.force_login(world.pm)
    response = client.post(URL, status_data(actual_cost="", spend_this_period="100"), **EN)
    assert response.status_code == 200
    assert "actual_cost" in response.context["form"].errors
    assert not StatusReport.objects.filter(spend_this_period=100).exists()


def test_a_negative_spend_is_refused(client, world, project):
    report_for(project)
    client.force_login(world.pm)
    response = client.post(URL, status_data(actual_cost="", spend_this_period="-1"), **EN)
    assert response.status_code == 200
    assert "spend_this_period" in response.context["form"].errors
