import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portfolio.models import Project
from tests.factories import PortfolioFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def queries_for(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_portfolio_list_query_count_does_not_grow_with_projects(client, world):
    client.force_login(world.member)
    portfolio = PortfolioFactory(directorate=world.it)
    ProjectFactory.create_batch(3, directorate=world.it, portfolio=portfolio, project_manager=world.pm)
    few = queries_for(client, "/portfolio/")
    ProjectFactory.create_batch(
        22, directorate=world.finance, portfolio=portfolio, project_manager=world.other_pm
    )

    # session, user, groups (roles), count for the paginator, the page of projects with
    # their directorate, portfolio, manager and sponsor in one join; then the filter
    # form's choice lists: directorates, portfolios, managers.
    assert queries_for(client, "/portfolio/") == few == 8


def test_confidential_projects_are_hidden_from_other_readers(client, world):
    ProjectFactory(
        code="PRJ-0900",
        name="Cession filiale",
        confidential=True,
        project_manager=world.pm,
        directorate=world.it,
    )
    ProjectFactory(code="PRJ-0901", name="Portail RH", project_manager=world.pm, directorate=world.it)

    for reader, sees in [
        (world.pm, True),
        (world.executive, True),
        (world.pmo, True),
        (world.other_pm, False),
        (world.member, False),
    ]:
        client.force_login(reader)
        page = client.get("/portfolio/").content.decode()
        assert ("Cession filiale" in page) is sees, reader.username
        assert "Portail RH" in page


def test_filters_and_sorting_narrow_the_list(client, world):
    client.force_login(world.pmo)
    ProjectFactory(code="PRJ-0001", name="Migration ERP", directorate=world.it, budget=900)
    ProjectFactory(code="PRJ-0002", name="Refonte paie", directorate=world.finance, budget=100)
    ProjectFactory(
        code="PRJ-0003", name="Gel du projet", directorate=world.finance, state=Project.State.ON_HOLD
    )

    page = client.get("/portfolio/", {"directorate": world.finance.pk, "state": "active"})
    assert [p.code for p in page.context["page"].object_list] == ["PRJ-0002"]

    page = client.get("/portfolio/", {"q": "erp"})
    assert [p.code for p in page.context["page"].object_list] == ["PRJ-0001"]

    page = client.get("/portfolio/", {"sort": "-budget", "state": "active"})
    assert [p.code for p in page.context["page"].object_list] == ["PRJ-0001", "PRJ-0002"]


def test_late_filter_shows_projects_forecast_after_their_baseline(client, world):
    client.force_login(world.pmo)
    on_time = ProjectFactory()
    late = ProjectFactory(forecast_end=on_time.baseline_end.replace(year=on_time.baseline_end.year + 1))

    page = client.get("/portfolio/", {"late": "true"})

    assert list(page.context["page"].object_list) == [late]


def test_the_list_is_paginated(client, world):
    client.force_login(world.pmo)
    ProjectFactory.create_batch(30)

    first = client.get("/portfolio/")
    second = client.get("/portfolio/", {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert client.get("/portfolio/", {"page": "999"}).context["page"].number == 2


def test_an_unknown_filter_value_is_reported_not_a_crash(client, world):
    client.force_login(world.pmo)

    response = client.get("/portfolio/", {"directorate": "not-a-number"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()


def test_my_projects_lists_only_the_managers_own_projects(client, world):
    mine = ProjectFactory(project_manager=world.pm, name="Mon projet")
    ProjectFactory(project_manager=world.other_pm, name="Le projet d'un autre")
    client.force_login(world.pm)

    response = client.get("/portfolio/mine/")

    assert list(response.context["projects"]) == [mine]
    assert "Le projet d&#x27;un autre" not in response.content.decode()


def test_my_projects_query_count_does_not_grow(client, world):
    client.force_login(world.pm)
    ProjectFactory.create_batch(2, project_manager=world.pm)
    few = queries_for(client, "/portfolio/mine/")
    ProjectFactory.create_batch(12, project_manager=world.pm)

    # session, user, groups, the totals aggregate, the projects with their joins
    assert queries_for(client, "/portfolio/mine/") == few == 5
