"""A project under way with a baseline v1, three milestones, a status and the committee that covers it; a
consumer project depending on one of its milestones. Shared by the change-control tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client

from planning.models import Baseline
from planning.services import baseline_take
from portfolio.models import Milestone, ProjectDependency
from tests.factories import CommitteeFactory, ProjectFactory, StatusReportFactory


@pytest.fixture
def client():
    """The pages in English (the application's default is French; one test reads them in French)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def plan(world):
    today = date.today()
    project = ProjectFactory(
        code="DSI-100",
        name="Refonte du portail",
        project_manager=world.pm,
        directorate=world.it,
        baseline_start=today - timedelta(days=100),
        baseline_end=today + timedelta(days=200),
        budget=Decimal("1000000.00"),
    )
    design, build, golive = (
        Milestone.objects.create(
            project=project, name=name, position=n, baseline_date=when, forecast_date=when
        )
        for n, (name, when) in enumerate(
            [
                ("Conception validée", today - timedelta(days=50)),
                ("Recette terminée", today + timedelta(days=100)),
                ("Mise en production", today + timedelta(days=200)),
            ]
        )
    )
    StatusReportFactory(
        project=project, percent_complete=Decimal(40), actual_cost=Decimal(500000), submitted_by=world.pm
    )
    committee = CommitteeFactory(code="copil-dsi", name="COPIL DSI", scope_directorate=world.it)
    consumer = ProjectFactory(
        code="DF-200", name="Clôture comptable", directorate=world.finance, confidential=True
    )
    dependency = ProjectDependency.objects.create(
        from_project=consumer,
        to_project=project,
        provider_milestone=build,
        needed_by=today + timedelta(days=120),
    )
    v1 = baseline_take(project=project, by=world.pmo, origin=Baseline.Origin.PMO)
    project.refresh_from_db()
    return SimpleNamespace(
        project=project,
        design=design,
        build=build,
        golive=golive,
        committee=committee,
        consumer=consumer,
        dependency=dependency,
        v1=v1,
        today=today,
    )
