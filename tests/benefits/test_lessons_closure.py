"""Closing a project with its closure report: the figures snapshotted, the lessons recorded, the project
closed with its history, in one go; who may close."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from benefits.models import ClosureReport, Lesson
from portfolio.models import Project
from tests.benefits import lessons_world as world_of_lessons
from tests.factories import StatusReportFactory

pytestmark = pytest.mark.django_db
lessons_world = world_of_lessons.lessons_world  # the fixture
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def posted(*lessons, no_lesson=False) -> dict:
    data = {
        "objectives_met": ClosureReport.ObjectivesMet.PARTLY,
        "objectives_comment": "Le portail est livré ; l'application mobile est reportée.",
        "benefits_handover": "À la direction commerciale.",
        "lessons-TOTAL_FORMS": str(max(len(lessons), 2)),
        "lessons-INITIAL_FORMS": "0",
        "lessons-MIN_NUM_FORMS": "0",
        "lessons-MAX_NUM_FORMS": "10",
    }
    if no_lesson:
        data["no_lesson"] = "on"
    for n in range(len(lessons), 2):  # an untouched lesson, as a browser posts it: its default effect
        data[f"lessons-{n}-effect"] = Lesson.Effect.NEGATIVE
    for n, title in enumerate(lessons):
        data.update(
            {
                f"lessons-{n}-title": title,
                f"lessons-{n}-category": Lesson.Category.SCOPE,
                f"lessons-{n}-effect": Lesson.Effect.NEGATIVE,
                f"lessons-{n}-what_happened": "Le périmètre a glissé.",
                f"lessons-{n}-recommendation": "Geler le périmètre plus tôt.",
            }
        )
    return data


def close_url(project) -> str:
    return reverse("benefits:project_close", args=[project.code])


def test_closing_writes_the_report_with_the_figures_and_lessons_and_closes_the_project(
    client, world, lessons_world
):
    project = lessons_world.project
    StatusReportFactory(project=project, actual_cost=Decimal("2100000"))
    client.force_login(world.pm)

    form_page = client.get(close_url(project), **EN).content.decode()
    assert "2,100,000" in form_page and "2,500,000" in form_page  # final cost and baseline budget shown

    response = client.post(close_url(project), posted("Geler le périmètre", "Associer les métiers"))

    assert response.status_code == 302
    assert response.url == reverse("benefits:closure_report", args=[project.code])
    project.refresh_from_db()
    assert project.state == Project.State.CLOSED
    assert project.history.latest().history_change_reason == "project closed"
    report = ClosureReport.objects.get(project=project)
    assert (report.final_cost, report.baseline_budget) == (Decimal("2100000"), Decimal("2500000"))
    assert report.baseline_end == project.baseline_end and report.actual_end is not None
    assert report.submitted_by == world.pm
    recorded = Lesson.objects.filter(project=project)
    assert sorted(recorded.values_list("title", flat=True)) == ["Associer les métiers", "Geler le périmètre"]
    assert {(lesson.source, lesson.phase_id) for lesson in recorded} == {
        (Lesson.Source.CLOSURE, lessons_world.design.pk)
    }
    html = client.get(response.url, **EN).content.decode()
    assert "Partly met" in html and "Geler le périmètre" in html and "2,100,000" in html


def test_a_closure_needs_a_lesson_or_the_explicit_no_lesson_tick(client, world, lessons_world):
    project = lessons_world.project
    client.force_login(world.pm)

    response = client.post(close_url(project), posted(), **EN)

    assert response.status_code == 200
    assert "Record at least one lesson" in response.content.decode()
    project.refresh_from_db()
    assert project.state == Project.State.ACTIVE and not ClosureReport.objects.exists()

    client.post(close_url(project), posted(no_lesson=True))
    project.refresh_from_db()
    assert project.state == Project.State.CLOSED and not Lesson.objects.exists()


def test_a_project_manager_cannot_close_another_managers_project(client, world, lessons_world):
    client.force_login(world.other_pm)

    assert client.post(close_url(lessons_world.project), posted("Leçon")).status_code == 403
    assert client.post(close_url(lessons_world.secret), posted("Leçon")).status_code == 302  # theirs
    client.force_login(world.pm)
    assert client.get(close_url(lessons_world.secret)).status_code == 404  # confidential, not theirs
    lessons_world.project.refresh_from_db()
    assert lessons_world.project.state == Project.State.ACTIVE
    assert list(ClosureReport.objects.values_list("project__code", flat=True)) == ["PRJ-0666"]


def test_a_closed_project_cannot_be_closed_again(client, world, lessons_world):
    Project.objects.filter(pk=lessons_world.project.pk).update(state=Project.State.CLOSED)
    client.force_login(world.pmo)

    response = client.post(close_url(lessons_world.project), posted("Leçon"))

    assert response.status_code == 302 and response.url == lessons_world.project.get_absolute_url()
    assert not ClosureReport.objects.exists()


def test_the_project_pages_close_leads_the_pmo_to_the_closure_report_and_cancelling_stays_apart(
    client, world, lessons_world
):
    project = lessons_world.project
    client.force_login(world.pmo)

    page = client.get(project.get_absolute_url(), **EN).content.decode()
    assert f'href="{close_url(project)}"' in page  # "Close": the closure report, with its lessons
    cancel = reverse("portfolio:project_close", args=[project.code])
    assert f'href="{cancel}"' in page

    form = client.get(cancel, **EN).context["form"]
    assert form["final_state"].value() == Project.State.CANCELLED  # the plain page is for cancelling now
    assert close_url(project) in client.get(cancel, **EN).content.decode()
