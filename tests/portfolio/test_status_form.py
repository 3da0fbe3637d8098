import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from pmo.templatetags.pmo_tags import money_exact
from portfolio.models import Milestone, Project, StatusReport
from portfolio.models.status import period_of
from tests.factories import ProjectFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

URL = "/portfolio/projects/PRJ-0042/status/"


@pytest.fixture
def project(world):
    return ProjectFactory(
        code="PRJ-0042", name="Migration ERP", project_manager=world.pm, directorate=world.it
    )


def report_for(project, *, period: date | None = None, **fields) -> StatusReport:
    """Last week's status (or `period`'s), green and on track: the report the form starts from."""
    when = {"period": period} if period else {"weeks_ago": 1}
    values = {"actual_cost": Decimal("1000000"), "summary": "On track.", **fields}
    report = StatusReportFactory(project=project, **when, **values)
    project.refresh_from_db()
    return report


def status_data(based_on=None, milestones=(), **overrides) -> dict:
    data = {
        "based_on": based_on or "",
        "overall_rag": "green",
        "schedule_rag": "green",
        "cost_rag": "green",
        "scope_rag": "green",
        "resources_rag": "green",
        "percent_complete": "45",
        "actual_cost": "1100000",
        "forecast_at_completion": "2400000",
        "summary": "Pilot live.",
        "achievements": "Data migrated.",
        "next_steps": "Roll out.",
        "help_needed": "",
        "explanation": "",
        "milestones-TOTAL_FORMS": str(len(milestones)),
        "milestones-INITIAL_FORMS": str(len(milestones)),
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
    }
    for index, milestone in enumerate(milestones):
        data[f"milestones-{index}-milestone"] = milestone.pk
        data[f"milestones-{index}-forecast_date"] = milestone.forecast_date.isoformat()
        data[f"milestones-{index}-actual_date"] = (
            milestone.actual_date.isoformat() if milestone.actual_date else ""
        )
    data.update(overrides)
    return data


def test_form_is_prefilled_from_the_last_report_except_the_explanation(client, world, project):
    last = report_for(project, schedule_rag="amber", summary="Supplier late.", explanation="Old reason.")
    client.force_login(world.pm)

    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    form = response.context["form"]
    assert form["schedule_rag"].value() == "amber"
    assert form["summary"].value() == "Supplier late."
    assert form["percent_complete"].value() == Decimal("40.00")
    assert form["based_on"].value() == last.pk
    assert not form["explanation"].value()
    page = response.content.decode()
    assert "PRJ-0042" in page and "Migration ERP" in page
    year, week, _day = period_of(timezone.localdate()).isocalendar()
    assert f"Week {year}-W{week:02d}" in page
    assert 'value="amber" required checked' in page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_previous_amounts_and_the_budget_read_as_money_in_the_readers_language(
    client, world, project, language
):
    project.budget = Decimal("6985307.00")
    project.save(update_fields=["budget"])
    report_for(project, actual_cost=Decimal("6985307.00"), forecast_at_completion=Decimal("7100250.50"))
    client.force_login(world.pm)

    page = client.get(URL, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    with translation.override(language):
        actual, forecast = (money_exact(Decimal(a), project.currency) for a in ("6985307.00", "7100250.50"))
    # Grouped thousands, the language's decimal mark: never the bare 6985307.00 as text.
    assert actual.startswith(
        "6,985,307.00" if language == "en" else "6\N{NO-BREAK SPACE}985\N{NO-BREAK SPACE}307,00"
    )
    help_ids = re.findall(r'id="(id_(?:actual_cost|forecast_at_completion)_helptext)"', page)
    assert help_ids == ["id_actual_cost_helptext", "id_forecast_at_completion_helptext"]
    assert page.count(actual) == 2 and forecast in page, (
        "the last actual cost, the budget and the last forecast"
    )
    assert "6985307.00" not in re.sub(r"<input[^>]*>", "", page), "bare only inside the inputs"
    assert 'name="actual_cost" value="6985307.00"' in page, "the input keeps a value every browser parses"


def test_valid_submit_creates_revision_one_and_shows_the_success_message(client, world, project):
    client.force_login(world.pm)
    version = project.version

    response = client.post(URL, status_data(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response.url == project.get_absolute_url()
    report = StatusReport.objects.get(project=project)
    assert (report.revision, report.is_latest, report.submitted_by) == (1, True, world.pm)
    assert report.period == period_of(timezone.localdate())
    assert report.summary == "Pilot live."
    project.refresh_from_db()
    assert project.last_report == report
    assert project.version == version + 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"Status of PRJ-0042 saved for week {report.period_label} (revision 1)."]


def test_second_submit_for_the_same_week_is_a_new_revision(client, world, project):
    client.force_login(world.pm)
    client.post(URL, status_data())
    first = StatusReport.objects.get(project=project)

    response = client.post(URL, status_data(based_on=first.pk, summary="Corrected."))

    assert response.status_code == 302
    first.refresh_from_db()
    second = StatusReport.objects.get(project=project, revision=2)
    assert (first.is_latest, first.summary) == (False, "Pilot live.")
    assert (second.is_latest, second.summary) == (True, "Corrected.")
    project.refresh_from_db()
    assert project.last_report == second


def test_every_rating_is_required(client, world, project):
    client.force_login(world.pm)

    response = client.post(URL, status_data(cost_rag=""))

    assert response.status_code == 200
    assert response.context["form"].errors["cost_rag"]
    assert not StatusReport.objects.exists()


def test_the_weekly_form_still_asks_for_completion_and_cost_though_an_import_may_leave_them_unknown(
    client, world, project
):
    client.force_login(world.pm)

    response = client.post(URL, status_data(percent_complete="", actual_cost="", scope_rag=""))

    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"percent_complete", "actual_cost", "scope_rag"}
    assert not StatusReport.objects.exists()


def test_a_dimension_assessed_for_the_first_time_after_an_import_is_no_change_to_explain(
    client, world, project
):
    report_for(project, schedule_rag="", percent_complete=None)
    client.force_login(world.pm)

    response = client.post(URL, status_data(based_on=project.last_report_id))

    assert response.status_code == 302, response.context["form"].errors
    assert StatusReport.objects.filter(project=project).count() == 2


def test_percent_complete_above_100_is_refused(client, world, project):
    client.force_login(world.pm)

    response = client.post(URL, status_data(percent_complete="120"))

    assert "percent_complete" in response.context["form"].errors
    assert not StatusReport.objects.exists()


def test_negative_amount_is_refused(client, world, project):
    client.force_login(world.pm)

    response = client.post(URL, status_data(actual_cost="-5"))

    assert "actual_cost" in response.context["form"].errors
    assert not StatusReport.objects.exists()


def test_lower_percent_complete_needs_an_explanation(client, world, project):
    last = report_for(project, percent_complete=Decimal("60"))
    client.force_login(world.pm)

    refused = client.post(URL, status_data(based_on=last.pk, percent_complete="50"))

    assert refused.status_code == 200
    assert "explanation" in refused.context["form"].errors
    assert StatusReport.objects.count() == 1

    accepted = client.post(
        URL, status_data(based_on=last.pk, percent_complete="50", explanation="Scope re-estimated.")
    )

    assert accepted.status_code == 302
    assert StatusReport.objects.count() == 2


def test_amber_rating_needs_an_explanation(client, world, project):
    client.force_login(world.pm)

    response = client.post(URL, status_data(schedule_rag="amber"))

    errors = response.context["form"].errors
    assert list(errors) == ["explanation"]
    assert not StatusReport.objects.exists()


def test_a_rating_that_changed_since_the_last_report_needs_an_explanation(client, world, project):
    last = report_for(project, cost_rag="red", explanation="Overrun.")
    client.force_login(world.pm)

    response = client.post(URL, status_data(based_on=last.pk))

    assert "explanation" in response.context["form"].errors


def test_milestone_forecast_date_is_updated(client, world, project):
    milestone = Milestone.objects.create(
        project=project, name="Go-live", baseline_date=date(2030, 1, 10), forecast_date=date(2030, 1, 10)
    )
    client.force_login(world.pm)
    data = status_data(milestones=[milestone])
    data["milestones-0-forecast_date"] = "2030-02-14"

    response = client.post(URL, data)

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.forecast_date == date(2030, 2, 14)


def test_milestone_actual_date_cannot_be_in_the_future(client, world, project):
    milestone = Milestone.objects.create(
        project=project, name="Go-live", baseline_date=date(2030, 1, 10), forecast_date=date(2030, 1, 10)
    )
    client.force_login(world.pm)
    data = status_data(milestones=[milestone])
    data["milestones-0-actual_date"] = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client.post(URL, data)

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["actual_date"]
    milestone.refresh_from_db()
    assert milestone.actual_date is None
    assert not StatusReport.objects.exists()


def test_milestone_of_another_project_is_not_touched(client, world, project):
    foreign = Milestone.objects.create(
        project=ProjectFactory(),
        name="Other",
        baseline_date=date(2030, 1, 10),
        forecast_date=date(2030, 1, 10),
    )
    client.force_login(world.pm)
    data = status_data(milestones=[foreign])
    data["milestones-0-forecast_date"] = "2031-01-01"

    response = client.post(URL, data)

    assert response.status_code == 200
    foreign.refresh_from_db()
    assert foreign.forecast_date == date(2030, 1, 10)


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_project_manager_and_an_executive_may_not_submit(client, world, project, method):
    for outsider in (world.other_pm, world.executive):
        client.force_login(outsider)
        assert getattr(client, method)(URL, status_data() if method == "post" else None).status_code == 403
    assert not StatusReport.objects.exists()


def test_confidential_project_does_not_exist_for_a_member(client, world, project):
    Project.objects.filter(pk=project.pk).update(confidential=True)
    client.force_login(world.member)

    assert client.get(URL).status_code == 404
    assert client.post(URL, status_data()).status_code == 404


def test_pmo_may_submit_for_any_project(client, world, project):
    client.force_login(world.pmo)

    assert client.post(URL, status_data()).status_code == 302


def test_anonymous_user_is_sent_to_sign_in(client, project):
    assert client.get(URL).status_code == 302


def test_stale_submit_saves_nothing_and_shows_what_differs(client, world, project):
    opened_on = report_for(project)
    client.force_login(world.pm)
    # While the manager's form is open, the PMO submits a status for this week.
    newer = report_for(
        project, period=period_of(timezone.localdate()), summary="PMO view.", submitted_by=world.pmo
    )

    response = client.post(
        URL, status_data(based_on=opened_on.pk, summary="My view."), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert StatusReport.objects.count() == 2
    page = response.content.decode()
    assert "submitted a newer status" in page
    assert str(world.pmo) in page
    assert ("Summary", "PMO view.", "My view.") in response.context["differences"]
    assert "PMO view." in page
    assert response.context["form"]["summary"].value() == "My view."
    assert response.context["form"]["based_on"].value() == newer.pk

    # Submitting again, now based on the newer report, is deliberate and saves revision 2.
    again = client.post(URL, status_data(based_on=newer.pk, summary="My view."))
    assert again.status_code == 302
    assert StatusReport.objects.get(is_latest=True, period=newer.period).revision == 2


def test_the_form_and_its_submit_cost_the_same_queries_for_two_or_eight_milestones(client, world):
    client.force_login(world.pm)
    counts = []
    for number in (2, 8):
        project = ProjectFactory(code=f"PRJ-09{number:02d}", project_manager=world.pm, directorate=world.it)
        milestones = [
            Milestone.objects.create(
                project=project,
                name=f"M{n}",
                baseline_date=date(2030, 1, n + 1),
                forecast_date=date(2030, 1, n + 1),
            )
            for n in range(number)
        ]
        previous = report_for(project)
        url = f"/portfolio/projects/{project.code}/status/"
        with CaptureQueriesContext(connection) as read:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as write:
            response = client.post(url, status_data(based_on=previous.pk, milestones=milestones))
        assert response.status_code == 302
        counts.append((len(read), len(write)))

    # Both: 1 session, 2 user, 3 roles, 4 the project with its last report and its author, 5 whether the
    # user manages it, 6 its milestones, 7 the PMO's challenges of the week waiting for an answer. The
    # submit then: 8-10 the model's check constraint, validated by the database in a savepoint; 11 the
    # transaction's savepoint (the test's transaction around it), 12 the project locked, 13 the week's
    # latest report (locked), 14 the new report, 15 its audit trail row, 16 the project's last report,
    # 17 the project's version and last report saved, 18 the milestones the form sent (their dates
    # unchanged: nothing written), then standards' tolerance check (portfolio.signals.status_submitted,
    # standards.tolerances.breaches): 19 the methodology chosen, 20 the default ones, 21 the tolerance
    # bands, 22 the latest status (an exception report only on a breach); 23 the savepoint released, 24 the
    # project read again.
    assert counts[0] == counts[1] == (7, 24)
