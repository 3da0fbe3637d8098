from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portfolio.models import Milestone, Project, ProjectDependency, StatusReport
from portfolio.selectors import CONFIDENCE_STRIP_QUERIES
from tests.factories import ProjectFactory, StatusReportFactory

pytestmark = pytest.mark.django_db


def report_for(project, *, weeks_ago=0, **fields) -> StatusReport:
    """A status report (cost amber, resources red), the project's last report when it is the most recent."""
    values = {
        "cost_rag": "amber",
        "resources_rag": "red",
        "actual_cost": Decimal("900000"),
        "summary": "Recette en cours.",
        **fields,
    }
    return StatusReportFactory(project=project, weeks_ago=weeks_ago, **values)


def milestones_for(project, count: int) -> None:
    today = timezone.localdate()
    Milestone.objects.bulk_create(
        Milestone(
            project=project,
            name=f"Jalon {n}",
            baseline_date=today - timedelta(days=30 - n),
            forecast_date=today - timedelta(days=20 - n),
        )
        for n in range(count)
    )


def money_for(project, *, months: int) -> None:
    """A budget, a forecast and an actual for each of `months` months of this fiscal year."""
    from finance.models import CostCategory, MonthlyAmount
    from pmo.months import FiscalYear

    category = CostCategory.objects.first()
    MonthlyAmount.objects.bulk_create(
        MonthlyAmount(project=project, category=category, kind=kind, month=month, amount=Decimal(100))
        for month in FiscalYear.of(timezone.localdate()).months[:months]
        for kind in ("budget", "forecast", "actual")
    )


def page(client, project, **headers):
    return client.get(project.get_absolute_url(), **headers)


def test_the_page_shows_the_declared_rag_and_the_derived_signals(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    project.forecast_end = project.baseline_end + timedelta(days=12)
    project.save()
    report_for(project, overall_rag="amber", help_needed="Arbitrage du comité sur le périmètre.")
    client.force_login(world.pm)

    response = page(client, project, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["report"].overall_rag == "amber"
    assert [s.code for s in response.context["signals"]] == ["schedule_slip"]
    assert "Forecast end 12 days after the baseline end." in html
    assert "Arbitrage du comité sur le périmètre." in html
    assert "Declared green, but the signals say otherwise" not in html
    assert f'href="/portfolio/projects/{project.code}/status/"' in html  # its manager may report


def test_a_project_declared_green_with_a_sixty_day_slip_is_flagged(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    project.forecast_end = project.baseline_end + timedelta(days=60)
    project.save()
    report_for(project, overall_rag="green")
    client.force_login(world.pmo)

    response = page(client, project, HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["contradiction"]
    assert "Declared green, but the signals say otherwise" in response.content.decode()


def test_earned_value_ratios_are_not_applicable_before_any_cost(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    report_for(project, percent_complete=Decimal("10"), actual_cost=Decimal("0"))
    client.force_login(world.pmo)

    response = page(client, project, HTTP_ACCEPT_LANGUAGE="en")

    ev = response.context["earned_value"]
    assert ev.cpi is None and ev.eac is None
    html = response.content.decode()
    assert (
        '<abbr title="Cost performance index">CPI</abbr></dt><dd><span class="text-body-secondary">n/a'
        in html
    )
    assert (
        '<abbr title="Estimate at completion">EAC</abbr></dt><dd><span class="text-body-secondary">n/a'
        in html
    )


def test_a_project_without_report_milestone_or_dependency_shows_empty_states(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    client.force_login(world.member)

    html = page(client, project, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No status report has been submitted for this project yet." in html
    assert "No milestone has been planned." in html
    assert "No dependency on another project." in html
    assert "/status/" not in html  # a committee member does not report


def queries_for(client, project) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert page(client, project).status_code == 200
    return len(captured)


def test_project_page_query_count_does_not_grow_with_its_history(client, world):
    client.force_login(world.pm)
    small, large = (ProjectFactory(project_manager=world.pm, directorate=world.it) for _ in range(2))
    others = ProjectFactory.create_batch(6, directorate=world.finance)
    for project, milestones, reports, dependencies in [(small, 2, 2, 1), (large, 20, 12, 6)]:
        milestones_for(project, milestones)
        for weeks_ago in range(reports - 1, -1, -1):
            report_for(project, weeks_ago=weeks_ago)
        for other in others[:dependencies]:
            ProjectDependency.objects.create(from_project=project, to_project=other)
            ProjectDependency.objects.create(from_project=other, to_project=project)
        money_for(project, months=dependencies * 2)

    # session, user, groups (roles); the project with directorate, portfolio, manager, sponsor, phase,
    # last report and its author in one join; may this user report (editable_by); the trend's
    # reports, the milestones, the dependencies with their project, the dependents with theirs (9);
    # then what other apps register (portfolio.panels, portfolio.indicators): governance's overdue
    # actions signal (one aggregate) and its panel: latest decisions, open actions with their owner,
    # pending gate review (4; tests/governance/test_project_panel.py shows they do not grow with rows);
    # risks' open risks signal and panel: the risk policy and the open risks counted by level (2, once
    # for both), the top open risks, the top open issues (4; tests/risks/test_project_panel.py); the
    # broken dependencies' signals (portfolio.dependencies, one query): 18 (it was 13 before risks
    # registered their panel); the phased budget PV follows (one query, portfolio.earned_value) and
    # finance's money panel (the financial view: categories, amounts, statuses' spend, the project);
    # resources' over-allocation signal (the project's demand in the next six months; 3 more only when it
    # has some, see tests/resources/test_signal.py); the PMO's review thread of the latest status with its
    # authors and revisions (one query, portfolio.assurance.thread): 25; the delivery confidence strip's
    # assessment as at today (CONFIDENCE_STRIP_QUERIES); benefits' lessons panel: the lessons, may the user
    # record one, the risks closed or occurred without a lesson, the closure report (4): 29; benefits'
    # profiles panel and at-risk signal: the profiles, their actuals (2, the KPI-measured ones' measurements
    # a third only when there are some): 31; standards' panel: the methodology it follows (the PMO's choice
    # or its approach's default, one query), its tolerance bands (one): 33; standards' deliverables panel
    # (deliverables_due with the methodology kept from the panel before: the requirements, the deliverables
    # provided; tests/standards/test_deliverables.py shows they do not grow with rows): 35; standards'
    # compliance panel and low-compliance signal, one computation for both (standards.compliance with what
    # is due kept from the panel before: the status policy, the audit trail, the first submissions, the gate
    # reviews and their actions, the open risks; tests/standards/test_compliance.py): 43; standards'
    # exception panel: the open exception report (one; a second, may the reader write it, only while it
    # waits for its manager): 44.
    assert queries_for(client, small) == queries_for(client, large) == 44 + CONFIDENCE_STRIP_QUERIES


@pytest.mark.parametrize(
    ("reader", "status"),
    [("other_pm", 404), ("member", 404), ("pmo", 200), ("executive", 200), ("pm", 200)],
)
def test_a_confidential_project_exists_only_for_its_people_and_oversight(client, world, reader, status):
    project = ProjectFactory(confidential=True, project_manager=world.pm, directorate=world.it)
    client.force_login(getattr(world, reader))
    assert page(client, project).status_code == status


def project_fields(world, **changes) -> dict:
    fields = {
        "code": "PRJ-0777",
        "name": "Dématérialisation des achats",
        "directorate": world.it.pk,
        "methodology": Project.Methodology.AGILE,
        "priority": Project.Priority.HIGH,
        "state": Project.State.PROPOSED,
        "project_manager": world.pm.pk,
        "baseline_start": "2025-01-06",
        "baseline_end": "2025-12-19",
        "budget": "1200000",
        "currency": "MAD",
    }
    return {**fields, **changes}


def test_the_pmo_creates_a_project(client, world):
    client.force_login(world.pmo)
    assert client.get("/portfolio/new/").status_code == 200

    response = client.post("/portfolio/new/", project_fields(world))

    assert response.status_code == 302
    project = Project.objects.get(code="PRJ-0777")
    assert response.url == project.get_absolute_url()
    assert project.project_manager == world.pm and project.version == 1


def test_dates_out_of_order_are_refused_on_the_field(client, world):
    client.force_login(world.pmo)
    response = client.post(
        "/portfolio/new/", project_fields(world, baseline_end="2024-12-01"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "baseline_end": ["The end date cannot be before the start date."]
    }
    assert not Project.objects.filter(code="PRJ-0777").exists()


def test_a_project_manager_may_not_create_edit_or_close(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    client.force_login(world.pm)
    assert client.get("/portfolio/new/").status_code == 403
    assert client.post("/portfolio/new/", project_fields(world)).status_code == 403
    assert client.get(f"{project.get_absolute_url()}edit/").status_code == 403
    assert client.post(f"{project.get_absolute_url()}close/", {"final_state": "closed"}).status_code == 403
    project.refresh_from_db()
    assert project.state == Project.State.ACTIVE
    assert not Project.objects.filter(code="PRJ-0777").exists()


def edit_form_data(response) -> dict:
    """What the browser would post back from the edit page, untouched."""
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if isinstance(value, list):
            value = [str(v) for v in value]
        data[field.html_name] = "" if value is None else value
        if field.field.show_hidden_initial:
            data[form.add_initial_prefix(field.name)] = data[field.html_name]
    return {name: value for name, value in data.items() if value is not False}


def test_the_pmo_edits_a_project_and_its_version_moves_on(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it, name="Ancien nom")
    client.force_login(world.pmo)
    loaded = client.get(f"{project.get_absolute_url()}edit/")
    assert 'name="initial-name"' in loaded.content.decode()

    response = client.post(
        f"{project.get_absolute_url()}edit/", {**edit_form_data(loaded), "name": "Nouveau nom"}
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "Nouveau nom" and project.version == 2


def test_a_stale_edit_is_refused_and_names_what_changed(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it, name="Ancien nom")
    client.force_login(world.pmo)
    loaded = client.get(f"{project.get_absolute_url()}edit/")
    # Meanwhile someone else moves the forecast end and saves.
    Project.objects.filter(pk=project.pk).update(
        forecast_end=project.forecast_end + timedelta(days=30), version=2
    )

    response = client.post(
        f"{project.get_absolute_url()}edit/",
        {**edit_form_data(loaded), "name": "Mon nom"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved: someone changed this project while you were editing it." in html
    assert response.context["changed"] == ["Forecast end"]
    assert response.context["form"]["version"].value() == 2
    project.refresh_from_db()
    assert project.name == "Ancien nom" and project.version == 2


def test_the_pmo_closes_an_active_project_with_a_note(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    client.force_login(world.pmo)
    assert client.get(f"{project.get_absolute_url()}close/").status_code == 200

    response = client.post(
        f"{project.get_absolute_url()}close/",
        {"final_state": "cancelled", "note": "Abandonné par le comité."},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    project.refresh_from_db()
    assert project.state == Project.State.CANCELLED and project.version == 2
    assert "Abandonné par le comité." in response.content.decode()


def test_a_closed_project_cannot_be_closed_again(client, world):
    project = ProjectFactory(state=Project.State.CLOSED, directorate=world.it)
    client.force_login(world.pmo)
    response = client.post(f"{project.get_absolute_url()}close/", {"final_state": "cancelled"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.state == Project.State.CLOSED


def test_a_status_that_leaves_values_unknown_shows_not_assessed_and_n_a_never_a_colour_or_0(client, world):
    project = ProjectFactory(project_manager=world.pm, directorate=world.it)
    report_for(
        project,
        overall_rag="amber",
        schedule_rag="",
        cost_rag="",
        scope_rag="",
        resources_rag="",
        percent_complete=None,
        actual_cost=None,
    )
    client.force_login(world.pmo)

    response = page(client, project, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.context["earned_value"] is None
    assert html.count("Not assessed") >= 4  # the four dimensions (and the trend's marks)
    assert "% complete unknown" in html and "0 % complete" not in html
    assert "n/a until then" in html  # no earned value made up from a 0
    french = page(client, project, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Non évalué" in french and "réalisé inconnu" in french
