"""The project's plan page: the manager and the PMO add, edit, reorder and delete milestones (a deletion
says why, in the history), plan the phases; a reader reads; an outsider finds nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portfolio import panels
from portfolio.models import Milestone, Phase, ProjectPhase
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client():
    """In English: the tests read the messages as written in the code."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def project(world):
    return ProjectFactory(code="DSI-042", project_manager=world.pm, directorate=world.it)


def url(name: str, project, pk: int | None = None) -> str:
    args = [project.code] if pk is None else [project.code, pk]
    return reverse(f"portfolio:{name}", args=args)


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).isoformat()


def milestone_data(name: str, *, baseline: str | None = None, forecast: str | None = None, **more) -> dict:
    forecast = day(30) if forecast is None else forecast
    return {
        "name": name,
        "baseline_date": forecast if baseline is None else baseline,
        "forecast_date": forecast,
        "actual_date": "",
        "weight": "1",
        "deliverable": "",
        "owner": "",
        **more,
    }


def names(project) -> list[str]:
    return list(Milestone.objects.filter(project=project).order_by("position").values_list("name", flat=True))


def history_of(client, project) -> str:
    return client.get(reverse("portfolio:project_history", args=[project.code])).content.decode()


def test_project_manager_builds_the_plan_and_a_deletion_keeps_its_reason(client, world, project):
    client.force_login(world.pm)
    for offset, name in enumerate(["Cadrage", "Recette", "Mise en production"]):
        response = client.post(
            url("milestone_create", project), milestone_data(name, forecast=day(10 * offset))
        )
        assert response.status_code == 302
    assert names(project) == ["Cadrage", "Recette", "Mise en production"]

    recette = Milestone.objects.get(project=project, name="Recette")
    edited = milestone_data(
        "Recette utilisateur",
        forecast=day(40),
        baseline=day(10),
        deliverable="PV de recette",
        owner=world.pm.pk,
    )
    assert (
        client.post(url("milestone_edit", project, recette.pk), {**edited, "version": 1}).status_code == 302
    )
    recette.refresh_from_db()
    assert (recette.name, recette.deliverable, recette.owner, recette.version) == (
        "Recette utilisateur",
        "PV de recette",
        world.pm,
        2,
    )
    assert recette.slip_days == 30

    go_live = Milestone.objects.get(project=project, name="Mise en production")
    assert client.post(url("milestone_move", project, go_live.pk), {"direction": "up"}).status_code == 302
    assert names(project) == ["Cadrage", "Mise en production", "Recette utilisateur"]
    assert list(
        Milestone.objects.filter(project=project).values_list("position", flat=True).order_by("position")
    ) == [
        1,
        2,
        3,
    ]

    cadrage = Milestone.objects.get(project=project, name="Cadrage")
    response = client.post(
        url("milestone_delete", project, cadrage.pk), {"reason": "Fusionné avec la recette"}
    )
    assert response.status_code == 302
    assert names(project) == ["Mise en production", "Recette utilisateur"]

    page = client.get(url("project_plan", project)).content.decode().split('id="plan-milestones"')[1]
    assert "Recette utilisateur" in page and "PV de recette" in page and "Cadrage" not in page
    history = history_of(client, project)
    assert "removed the milestone “Cadrage”" in history
    assert "Fusionné avec la recette" in history


def test_with_htmx_a_row_turns_into_its_form_and_saving_answers_the_table(client, world, project):
    client.force_login(world.pm)
    milestone = Milestone.objects.create(
        project=project, name="Recette", baseline_date=day(10), forecast_date=day(10), position=1
    )
    form = client.get(url("milestone_edit", project, milestone.pk), **HTMX)
    assert form.status_code == 200
    body = form.content.decode()
    assert (
        body.lstrip().startswith("<tbody") and 'name="forecast_date"' in body and "data-plan-cancel" in body
    )
    assert "<html" not in body

    saved = client.post(
        url("milestone_edit", project, milestone.pk), {**milestone_data("Recette v2"), "version": 1}, **HTMX
    )
    assert saved.status_code == 200
    assert saved["HX-Retarget"] == "#plan-milestones"
    assert 'id="plan-milestones"' in saved.content.decode() and "Recette v2" in saved.content.decode()

    cancel = client.get(url("project_plan", project), {"focus": milestone.pk}, **HTMX)
    assert 'id="plan-milestones"' in cancel.content.decode() and "<html" not in cancel.content.decode()


def test_bad_input_comes_back_with_the_values_and_clear_messages(client, world, project):
    client.force_login(world.pm)
    data = milestone_data(
        "Recette", forecast="", baseline="", actual_date=day(3), weight="-2", deliverable="Lot 2"
    )
    response = client.post(url("milestone_create", project), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "A forecast date is required." in page
    assert "A baseline date is required." in page
    assert "A milestone cannot be reached in the future." in page
    assert "The weight cannot be negative." in page
    assert 'value="Lot 2"' in page and 'value="Recette"' in page
    assert not Milestone.objects.filter(project=project).exists()


def test_a_deletion_without_a_reason_is_refused_and_deletes_nothing(client, world, project):
    client.force_login(world.pm)
    milestone = Milestone.objects.create(
        project=project, name="Recette", baseline_date=day(1), forecast_date=day(1)
    )
    response = client.post(url("milestone_delete", project, milestone.pk), {"reason": "  "}, **HTMX)
    assert response.status_code == 200
    assert "Say why the milestone is deleted" in response.content.decode()
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_stale_edit_answers_409_with_the_current_values_and_saves_nothing(client, world, project):
    client.force_login(world.pm)
    milestone = Milestone.objects.create(
        project=project, name="Recette", baseline_date=day(10), forecast_date=day(10), position=1
    )
    # The PMO saves first.
    pmo = Client()
    pmo.force_login(world.pmo)
    assert (
        pmo.post(
            url("milestone_edit", project, milestone.pk),
            {**milestone_data("Recette PMO", forecast=day(20)), "version": 1},
        ).status_code
        == 302
    )

    response = client.post(
        url("milestone_edit", project, milestone.pk),
        {**milestone_data("Recette PM", forecast=day(50)), "version": 1},
        **HTMX,
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone changed this milestone" in page
    assert "Recette PMO" in page  # what is saved
    assert 'value="Recette PM"' in page  # what was typed, kept
    assert 'name="version" value="2"' in page  # saving again is a deliberate choice
    milestone.refresh_from_db()
    assert (milestone.name, milestone.version) == ("Recette PMO", 2)


def test_once_the_project_has_a_baseline_the_baseline_date_is_read_only(client, world, project):
    milestone = Milestone.objects.create(
        project=project, name="Recette", baseline_date=day(10), forecast_date=day(10), position=1
    )
    project.baseline_version = 1
    project.save(update_fields=["baseline_version"])
    client.force_login(world.pm)

    form = client.get(url("milestone_edit", project, milestone.pk)).content.decode()
    assert "Changes through a change request" in form
    assert (
        'name="baseline_date"'
        not in form.split('id="milestone-new"')[0].split(f'id="milestone-{milestone.pk}"')[1]
    )

    edited = milestone_data("Recette", baseline=day(90), forecast=day(25))
    assert (
        client.post(url("milestone_edit", project, milestone.pk), {**edited, "version": 1}).status_code == 302
    )
    milestone.refresh_from_db()
    assert (milestone.baseline_date.isoformat(), milestone.forecast_date.isoformat()) == (day(10), day(25))

    assert client.post(
        url("milestone_create", project), milestone_data("Bilan", baseline=day(5), forecast=day(60))
    )
    added = Milestone.objects.get(project=project, name="Bilan")
    assert added.baseline_date == added.forecast_date
    assert "baseline date is its forecast date" in client.get(url("project_plan", project)).content.decode()


def test_before_a_baseline_the_baseline_date_is_editable(client, world, project):
    milestone = Milestone.objects.create(
        project=project, name="Recette", baseline_date=day(10), forecast_date=day(10)
    )
    client.force_login(world.pm)
    edited = milestone_data("Recette", baseline=day(12), forecast=day(25))
    client.post(url("milestone_edit", project, milestone.pk), {**edited, "version": 1})
    milestone.refresh_from_db()
    assert milestone.baseline_date.isoformat() == day(12)


def test_the_project_sheet_locks_the_baseline_once_there_is_one(client, world, project):
    from portfolio.forms.project import ProjectForm

    assert not ProjectForm(instance=project).fields["baseline_end"].disabled
    project.baseline_version = 1
    form = ProjectForm(instance=project)
    for name in ("baseline_start", "baseline_end", "budget"):
        assert form.fields[name].disabled
        assert form.fields[name].help_text == "Changes through a change request."
    assert not form.fields["forecast_end"].disabled

    # What is posted for a locked field is ignored: the sheet keeps the baseline.
    data = {name: ProjectForm(instance=project)[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data.update(baseline_end="2099-12-31", budget="1", forecast_end="2099-12-31")
    posted = ProjectForm(data, instance=project)
    assert posted.is_valid(), posted.errors
    assert posted.cleaned_data["baseline_end"] == project.baseline_end
    assert posted.cleaned_data["budget"] == project.budget
    assert posted.cleaned_data["forecast_end"].isoformat() == "2099-12-31"

    project.save(update_fields=["baseline_version"])
    client.force_login(world.pmo)
    page = client.get(reverse("portfolio:project_edit", args=[project.code])).content.decode()
    assert "Changes through a change request." in page


def test_phases_get_their_planned_dates_and_an_end_before_the_start_is_refused(client, world, project):
    phases = list(Phase.objects.all())
    assert len(phases) >= 2
    client.force_login(world.pm)
    data = {"phases-TOTAL_FORMS": len(phases), "phases-INITIAL_FORMS": len(phases)}
    for index, phase in enumerate(phases):
        data[f"phases-{index}-phase"] = phase.pk
    data["phases-0-planned_start"], data["phases-0-planned_end"] = day(10), day(5)
    refused = client.post(url("plan_phases", project), data)
    assert refused.status_code == 200
    assert "The end date cannot be before the start date." in refused.content.decode()
    assert not ProjectPhase.objects.filter(project=project).exists()

    data["phases-0-planned_end"] = day(40)
    data["phases-1-planned_start"] = day(41)
    assert client.post(url("plan_phases", project), data).status_code == 302
    plans = {plan.phase_id: plan for plan in ProjectPhase.objects.filter(project=project)}
    assert set(plans) == {phases[0].pk, phases[1].pk}  # created on first save, for the phases given a date
    assert plans[phases[0].pk].planned_end.isoformat() == day(40)


def test_a_reader_sees_the_plan_without_forms_and_may_not_change_it(client, world, project):
    milestone = Milestone.objects.create(
        project=project, name="Recette", baseline_date=day(1), forecast_date=day(1)
    )
    client.force_login(world.other_pm)
    page = client.get(url("project_plan", project))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Recette" in body
    assert "<form" not in body.split('id="plan-milestones"')[1].split("</main>")[0]
    assert client.post(url("milestone_create", project), milestone_data("Intrus")).status_code == 403
    assert (
        client.post(url("milestone_edit", project, milestone.pk), milestone_data("Intrus")).status_code == 403
    )
    assert client.post(url("milestone_delete", project, milestone.pk), {"reason": "x"}).status_code == 403
    assert client.post(url("milestone_move", project, milestone.pk), {"direction": "up"}).status_code == 403
    assert client.post(url("plan_phases", project), {}).status_code == 403
    assert names(project) == ["Recette"]


def test_a_confidential_plan_does_not_exist_for_an_outsider(client, world):
    secret = ProjectFactory(project_manager=world.pm, directorate=world.it, confidential=True)
    milestone = Milestone.objects.create(
        project=secret, name="Recette", baseline_date=day(1), forecast_date=day(1)
    )
    client.force_login(world.other_pm)
    assert client.get(url("project_plan", secret)).status_code == 404
    assert client.post(url("milestone_delete", secret, milestone.pk), {"reason": "x"}).status_code == 404
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_milestone_of_another_project_is_not_found_through_this_one(client, world, project):
    other = ProjectFactory(project_manager=UserFactory(), directorate=world.it)
    milestone = Milestone.objects.create(
        project=other, name="Autre", baseline_date=day(1), forecast_date=day(1)
    )
    client.force_login(world.pm)
    assert client.post(url("milestone_delete", project, milestone.pk), {"reason": "x"}).status_code == 404


def test_the_project_page_links_to_the_plan(client, world, project):
    client.force_login(world.member)
    assert url("project_plan", project) in client.get(project.get_absolute_url()).content.decode()


def plan_queries(client, project) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url("project_plan", project)).status_code == 200
    return len(captured)


def test_plan_page_query_count_does_not_grow_with_its_milestones(client, world, monkeypatch):
    # Only the page's own queries: the panels other apps register pin their own counts.
    monkeypatch.setattr(panels, "_plan_panels", {})
    client.force_login(world.pm)
    small, large = (ProjectFactory(project_manager=world.pm, directorate=world.it) for _ in range(2))
    for project, count in ((small, 3), (large, 30)):
        Milestone.objects.bulk_create(
            Milestone(
                project=project,
                name=f"Jalon {n}",
                position=n,
                baseline_date=timezone.localdate(),
                forecast_date=timezone.localdate(),
                weight=Decimal(1),
                owner=UserFactory(),
            )
            for n in range(count)
        )
    # session, user, groups (roles); the project (visible_to); may this user change it (editable_by);
    # the milestones with their owners; the owners offered by the add row; the phases; the project's
    # planned phases: 9
    assert plan_queries(client, small) == plan_queries(client, large) == 9


def test_a_weekly_status_moving_a_milestone_makes_an_open_plan_edit_stale(client, world, project):
    from portfolio.models.status import current_period
    from portfolio.services import submit_status_report

    milestone = Milestone.objects.create(
        project=project, name="Recette", baseline_date=day(10), forecast_date=day(10)
    )
    submit_status_report(
        project=project,
        author=world.pm,
        period=current_period(),
        based_on=None,
        data={"overall_rag": "green"},
        milestone_dates={milestone.pk: (timezone.localdate() + timedelta(days=20), None)},
    )
    client.force_login(world.pm)
    response = client.post(
        url("milestone_edit", project, milestone.pk), {**milestone_data("Recette"), "version": 1}
    )
    assert response.status_code == 409
    milestone.refresh_from_db()
    assert milestone.forecast_date.isoformat() == day(20)


def test_without_htmx_editing_and_deleting_open_the_whole_page_with_the_row_as_a_form(client, world, project):
    milestone = Milestone.objects.create(
        project=project, name="Recette", baseline_date=day(1), forecast_date=day(1)
    )
    client.force_login(world.pmo)
    edit = client.get(url("milestone_edit", project, milestone.pk)).content.decode()
    assert "<html" in edit and f'id="milestone-form-{milestone.pk}"' in edit and 'value="Recette"' in edit
    delete = client.get(url("milestone_delete", project, milestone.pk)).content.decode()
    assert (
        "<html" in delete
        and "Reason for deleting" in delete
        and f'action="{url("milestone_delete", project, milestone.pk)}"' in delete
    )


def test_a_second_milestone_of_the_same_name_is_refused_as_through_the_api_and_the_import(
    client, world, project
):
    Milestone.objects.create(project=project, name="Recette", baseline_date=day(10), forecast_date=day(10))
    client.force_login(world.pm)

    response = client.post(url("milestone_create", project), milestone_data("  recette "))

    assert response.status_code == 200
    assert "The project has a milestone of this name already." in response.content.decode()
    assert names(project) == ["Recette"]


def test_a_blank_forecast_date_is_the_baseline_date(client, world, project):
    client.force_login(world.pm)

    client.post(url("milestone_create", project), milestone_data("Cadrage", baseline=day(5), forecast=""))

    added = Milestone.objects.get(project=project)
    assert added.forecast_date == added.baseline_date == timezone.localdate() + timedelta(days=5)
