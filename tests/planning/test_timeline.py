"""The project's timeline on its plan page: phases, milestones baseline / forecast / actual, dependencies
both ways; a project the reader may not see is "a confidential project"; a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from planning.timeline import plan_timeline_panel
from portfolio.models import Milestone, Phase, ProjectDependency
from portfolio.models.plan import ProjectPhase
from portfolio.panels import plan_panels
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(world):
    """A project of `pm` with a planned phase and a milestone, needing a confidential project's milestone."""
    today = timezone.localdate()
    project = ProjectFactory(code="CONSUMER", project_manager=world.pm)
    secret = ProjectFactory(code="SECRET", name="Projet Mistral", confidential=True)
    ProjectPhase.objects.create(
        project=project, phase=Phase.objects.order_by("order").first(), planned_start=today, planned_end=today
    )
    mine = Milestone.objects.create(
        project=project, name="Bascule", baseline_date=today, forecast_date=today + timedelta(days=10)
    )
    theirs = Milestone.objects.create(
        project=secret, name="Mistral API", baseline_date=today, forecast_date=today + timedelta(days=30)
    )
    ProjectDependency.objects.create(
        from_project=project,
        to_project=secret,
        provider_milestone=theirs,
        consumer_milestone=mine,
        needed_by=today + timedelta(days=5),
    )
    return project


def rendered(project, user) -> str:
    with translation.override("en"):
        panel = plan_timeline_panel(project=project, user=user, today=timezone.localdate())
        return render_to_string("planning/_plan_timeline.html", {"panel": panel}), panel


def test_the_timeline_is_a_panel_of_the_plan_page(world, linked):
    templates = [
        panel["template"] for panel in plan_panels(linked, user=world.pm, today=timezone.localdate())
    ]

    assert "planning/_plan_timeline.html" in templates


def test_the_timeline_draws_phases_milestones_and_a_broken_dependency(world, linked):
    html, panel = rendered(linked, world.pmo)

    names = {trace["name"]: trace for trace in panel["figure"]["data"]}
    assert len(names["Planned phase"]["base"]) == 1
    assert names["Baseline date"]["y"][1] == ["1. Bascule"]
    assert names["Milestone late"]["y"][1] == ["1. Bascule"]  # forecast after its baseline
    assert names["Provider milestone expected"]["marker"]["symbol"] == ["x"]  # broken: expected after needed
    assert "Needs SECRET · Mistral API" in html


def test_a_project_the_reader_may_not_see_is_a_confidential_project(world, linked):
    html, panel = rendered(linked, world.pm)

    assert "SECRET" not in html and "Mistral" not in html
    assert "SECRET" not in str(panel["figure"]) and "Mistral" not in str(panel["figure"])
    assert "Needs a confidential project" in html


def test_the_timeline_reads_four_queries_however_many_rows(world, linked):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            plan_timeline_panel(project=linked, user=world.pm, today=timezone.localdate())
        return len(captured)

    count()  # the reader's roles, read once per request (visible_to)
    few = count()
    others = ProjectFactory.create_batch(5)
    for other in others:
        provider = Milestone.objects.create(
            project=other, name="API", baseline_date=timezone.localdate(), forecast_date=timezone.localdate()
        )
        ProjectDependency.objects.create(from_project=linked, to_project=other, provider_milestone=provider)
        Milestone.objects.create(
            project=linked, name="M", baseline_date=timezone.localdate(), forecast_date=timezone.localdate()
        )
    # phases; milestones with owners; dependencies with both projects and milestones; the visible others
    assert count() == few == 4
