"""A project's plan as a workbook laid out as the import reads it: exported, imported again, unchanged."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from imports.mapping import Mapping, guess_columns
from imports.plan import plan_sheets
from imports.results import UNCHANGED
from imports.services import import_table
from imports.tables import read_table
from portfolio.models import Milestone, ProjectDependency
from tests.factories import ProjectFactory


@pytest.fixture
def plan(world):
    mine = ProjectFactory(code="PRJ-A", project_manager=world.pm, directorate=world.it)
    theirs = ProjectFactory(code="PRJ-B", project_manager=world.other_pm, directorate=world.finance)
    secret = ProjectFactory(code="PRJ-S", project_manager=world.other_pm, confidential=True)
    day = date(2026, 3, 2)
    golive = Milestone.objects.create(
        project=mine, name="Go-live", baseline_date=day, forecast_date=day, owner=world.pm, deliverable="PV"
    )
    interface = Milestone.objects.create(
        project=theirs, name="Interface", baseline_date=day, forecast_date=day
    )
    hidden = Milestone.objects.create(
        project=secret, name="Arbitrage secret", baseline_date=day, forecast_date=day
    )
    ProjectDependency.objects.create(
        from_project=mine,
        to_project=theirs,
        consumer_milestone=golive,
        provider_milestone=interface,
        needed_by=day,
        kind=ProjectDependency.Kind.DELIVERABLE,
        note="Flux comptable",
    )
    ProjectDependency.objects.create(from_project=mine, to_project=secret, provider_milestone=hidden)
    return mine


def export(client, user, code="PRJ-A", language="en") -> bytes:
    client.force_login(user)
    response = client.get(
        reverse("portfolio:project_plan_export", args=[code]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200, response.status_code
    return response.content


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_exported_plan_imports_again_unchanged(client, world, plan, language):
    data = export(client, world.pm, language=language)

    with translation.override(language):
        table = read_table(data)
        mapping = Mapping(columns=guess_columns(table.headers))
        report = import_table(table=table, mapping=mapping, commit=True, plan=plan_sheets(data))

    assert report.ok, report.errors
    assert {row.sheet for row in report.rows} == {
        "",
        *(["Milestones", "Dependencies"] if language == "en" else ["Jalons", "Dépendances"]),
    }
    assert {row.action for row in report.rows} == {UNCHANGED}
    assert Milestone.objects.count() == 3 and ProjectDependency.objects.count() == 2


def test_the_export_holds_the_milestones_and_only_dependencies_the_reader_may_see(client, world, plan):
    book = load_workbook(io.BytesIO(export(client, world.pm)), read_only=True)

    assert book.sheetnames == ["Project", "Milestones", "Dependencies"]
    milestones = list(book["Milestones"].iter_rows(values_only=True))
    assert milestones[1][:2] == ("PRJ-A", "Go-live") and milestones[1][7] == "pm"
    dependencies = list(book["Dependencies"].iter_rows(values_only=True))
    assert [row[:4] for row in dependencies[1:]] == [("PRJ-A", "Go-live", "PRJ-B", "Interface")]
    text = " ".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row
    )
    assert "PRJ-S" not in text and "Arbitrage secret" not in text


def test_a_confidential_projects_plan_is_404_for_an_outsider(client, world, plan):
    client.force_login(world.pm)
    assert client.get(reverse("portfolio:project_plan_export", args=["PRJ-S"])).status_code == 404


def test_the_plan_exports_query_count_does_not_grow_with_the_plan(client, world, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.pm)
    url = reverse("portfolio:project_plan_export", args=["PRJ-A"])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    for number in range(10):
        other = ProjectFactory(code=f"PRJ-{number:02d}", project_manager=world.other_pm)
        day = date(2026, 5, number + 1)
        provider = Milestone.objects.create(
            project=other, name=f"Lot {number}", baseline_date=day, forecast_date=day
        )
        own = Milestone.objects.create(
            project=plan, name=f"Étape {number}", baseline_date=day, forecast_date=day
        )
        ProjectDependency.objects.create(
            from_project=plan, to_project=other, consumer_milestone=own, provider_milestone=provider
        )
    # The session, its user, the user's roles (groups), the project (visible_to), its milestones with
    # their owners, the dependencies with both projects and milestones.
    assert count() == few == 6
