from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Project, Rag, StatusReport
from portfolio.models.status import period_of
from tests.factories import PortfolioFactory, ProjectFactory, StatusReportFactory

pytestmark = pytest.mark.django_db


def this_week():
    return period_of(timezone.localdate())


def reported_projects(count: int, **fields) -> list[Project]:
    """`count` projects, each with a green report of this week as its last report, in bulk."""
    projects = ProjectFactory.create_batch(count, **fields)
    reports = StatusReport.objects.bulk_create(
        StatusReportFactory.build(project=project, percent_complete=Decimal(30)) for project in projects
    )
    for project, made in zip(projects, reports, strict=True):
        project.last_report = made
    Project.objects.bulk_update(projects, ["last_report"])
    return projects


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

    # 1 session, 2 user, 3 groups (roles), 4 count for the paginator, 5 the page of projects with
    # their directorate, portfolio, manager, sponsor, phase and last report in one join; then the
    # filter form's choice lists: 6 directorates, 7 portfolios, 8 managers, 9 phases; 10 the status
    # policy (when a rating is stale).
    assert queries_for(client, "/portfolio/") == few == 10


def test_portfolio_list_query_count_is_the_same_for_10_and_200_reported_projects(client, world):
    client.force_login(world.pmo)
    fields = {"directorate": world.it, "project_manager": world.pm, "sponsor": world.executive}
    reported_projects(10, **fields)
    ten = queries_for(client, "/portfolio/?sort=rag")
    reported_projects(190, **fields)

    assert queries_for(client, "/portfolio/?sort=rag") == ten == 10


def test_the_list_shows_rag_percent_complete_and_phase_and_links_to_the_project(client, world):
    client.force_login(world.pmo)
    project = ProjectFactory(code="PRJ-0042", name="Refonte CRM")
    StatusReportFactory(project=project, rag=Rag.AMBER, percent_complete=Decimal(62))

    page = client.get("/portfolio/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "rag-amber" in page
    assert f"· {project.last_report.period_label}" in page  # the latest rating's week
    assert "62&nbsp;%" in page
    assert f'href="{project.get_absolute_url()}"' in page


def test_a_report_of_an_earlier_week_shows_its_rating_marked_not_reported_this_period(client, world):
    client.force_login(world.pmo)
    report = StatusReportFactory(project=ProjectFactory(), rag=Rag.RED, weeks_ago=1)

    page = client.get("/portfolio/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "rag-red" in page and f"· {report.period_label}" in page
    assert "rating-missing" in page and "rating-stale" not in page


def test_the_rag_filter_reads_the_latest_rating_and_the_status_filter_its_signals(client, world):
    client.force_login(world.pmo)
    green, red = ProjectFactory(code="PRJ-0001"), ProjectFactory(code="PRJ-0002")
    late, never = ProjectFactory(code="PRJ-0003"), ProjectFactory(code="PRJ-0004")
    old = ProjectFactory(code="PRJ-0005")
    StatusReportFactory(project=green, rag=Rag.GREEN)
    StatusReportFactory(project=red, rag=Rag.RED)
    StatusReportFactory(project=late, rag=Rag.RED, weeks_ago=1)  # within the 7 days' grace
    StatusReportFactory(project=old, rag=Rag.AMBER, weeks_ago=3)  # past it

    def codes(**params) -> list[str]:
        return [p.code for p in client.get("/portfolio/", params).context["page"].object_list]

    assert codes(rag="red") == ["PRJ-0002", "PRJ-0003"]
    assert codes(rag="green") == ["PRJ-0001"]
    assert codes(rag="amber") == ["PRJ-0005"]
    assert codes(rag="none") == ["PRJ-0004"]
    assert codes(status="not_reported") == ["PRJ-0003", "PRJ-0004", "PRJ-0005"]
    assert codes(status="stale") == ["PRJ-0005"]
    assert codes(sort="rag") == ["PRJ-0002", "PRJ-0003", "PRJ-0005", "PRJ-0001", "PRJ-0004"]
    assert never.last_report is None


def test_phase_and_methodology_filters(client, world):
    from portfolio.models import Phase

    client.force_login(world.pmo)
    build = Phase.objects.get(name_en="Build")
    ProjectFactory(code="PRJ-0001", phase=build, methodology=Project.Methodology.AGILE)
    ProjectFactory(code="PRJ-0002", methodology=Project.Methodology.AGILE)
    ProjectFactory(code="PRJ-0003", phase=build)

    def codes(**params) -> list[str]:
        return [p.code for p in client.get("/portfolio/", params).context["page"].object_list]

    assert codes(phase=build.pk) == ["PRJ-0001", "PRJ-0003"]
    assert codes(methodology="agile") == ["PRJ-0001", "PRJ-0002"]
    assert codes(phase=build.pk, methodology="agile") == ["PRJ-0001"]


def test_the_export_buttons_keep_the_filters(client, world):
    client.force_login(world.pmo)
    ProjectFactory()

    page = client.get("/portfolio/", {"state": "active", "page": "1"}).content.decode()

    assert "?state=active&amp;export=csv" in page
    assert "?state=active&amp;export=xlsx" in page


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
    ProjectFactory.create_batch(10, project_manager=world.pm)
    few = queries_for(client, "/portfolio/mine/")
    ProjectFactory.create_batch(190, project_manager=world.pm)

    # session, user, groups, the projects with their joins (and last report), the PMO's review of each last
    # report (portfolio.assurance.with_review, one query), the totals aggregate
    assert queries_for(client, "/portfolio/mine/") == few == 6


def test_my_projects_show_the_update_due_first_with_a_link_to_update_the_status(client, world):
    done = ProjectFactory(code="PRJ-0001", project_manager=world.pm)
    due = ProjectFactory(code="PRJ-0002", project_manager=world.pm)
    closed = ProjectFactory(code="PRJ-0003", project_manager=world.pm, state=Project.State.CLOSED)
    StatusReportFactory(project=done, rag=Rag.AMBER)
    StatusReportFactory(project=due, rag=Rag.GREEN, weeks_ago=1)
    client.force_login(world.pm)

    response = client.get("/portfolio/mine/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()

    assert [p.code for p in response.context["projects"]] == ["PRJ-0002", "PRJ-0001", "PRJ-0003"]
    assert [p.update_due for p in response.context["projects"]] == [True, False, False]
    assert page.count("Update due") == 1
    assert "1 status update is due this week." in page
    assert reverse("portfolio:status_update", args=[due.code]) in page
    assert reverse("portfolio:status_update", args=[done.code]) in page
    assert reverse("portfolio:status_update", args=[closed.code]) not in page
    assert due.last_report.period_label in page and "rag-amber" in page


def test_only_the_pmo_is_offered_to_create_a_project(client, world):
    client.force_login(world.pmo)
    assert "/portfolio/new/" in client.get("/portfolio/").content.decode()
    client.force_login(world.pm)
    assert "/portfolio/new/" not in client.get("/portfolio/").content.decode()
