"""The what-if page: before / after computed and shown, nothing written; saved as a scenario and reopened;
its query count does not grow with the projects it moves."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from finance.selectors import financial_view
from pmo.months import FiscalYear
from portfolio.adjustments import Adjustment
from resources.allocation import allocation
from resources.models import Scenario, ScenarioChange
from tests.factories import ProjectFactory
from tests.resources.conftest import months_from

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def whatif_query(load, *changes) -> dict:
    query = {"from": load.m1.strftime("%Y-%m"), "project": []}
    for project, shift, pause in changes:
        query["project"].append(project.pk)
        query[f"shift-{project.pk}"] = shift
        if pause:
            query[f"pause-{project.pk}"] = "on"
    return query


def test_the_preview_shows_before_and_after_and_writes_nothing(client, world, load):
    client.force_login(world.pmo)
    before = row_counts()

    response = client.get(reverse("resources:whatif"), whatif_query(load, (load.a, 3, False)))

    assert response.status_code == 200
    assert row_counts() == before
    comparison = response.context["comparison"]
    # Derived from the allocation rule itself: with and without the shift.
    months = months_from(load.m1, 15)
    expected_before = len(allocation(months=months, directorates=[world.it.pk]).over_cells())
    expected_after = len(
        allocation(
            months=months,
            directorates=[world.it.pk],
            adjustments={load.a.pk: Adjustment(shift_months=3)},
            from_month=load.m1,
        ).over_cells()
    )
    assert (comparison.over_before, comparison.over_after) == (expected_before, expected_after) == (3, 0)
    page = response.content.decode()
    assert 'data-over-before="3" data-over-after="0"' in page
    assert "whatif-changed" in page
    # The money: the fiscal year's forecast of the moved project, from the financial view itself.
    year = FiscalYear.of(load.m1)
    view = financial_view(
        user=world.pmo, fiscal_year=year, on=load.today,
        adjustments={load.a.pk: Adjustment(shift_months=3)}, from_month=load.m1,
    )  # fmt: skip
    moved = next(p for p in view.projects if p.pk == load.a.pk)
    assert comparison.money_after.moved_forecast == moved.converted_total.forecast
    after_by_month = {m: a for (kind, m), a in moved.converted_by_month.items() if kind == "forecast"}
    assert [(m, a) for m, _b, a in comparison.monthly if a] == sorted(
        (m, a) for m, a in after_by_month.items() if a and m in year
    )
    assert any(before != after for _m, before, after in comparison.monthly)  # the forecast moved 3 months


def test_htmx_gets_the_body_only(client, world, load):
    client.force_login(world.pmo)
    response = client.get(
        reverse("resources:whatif"), whatif_query(load, (load.a, 0, True)), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert '<div id="whatif-body">' in page and "<html" not in page


def test_saved_as_a_scenario_and_reopened(client, world, load):
    client.force_login(world.pmo)
    query = whatif_query(load, (load.a, 3, False), (load.b, 0, True))
    response = client.post(
        reverse("resources:whatif"), {**query, "name": "Décaler Alpha", "description": "x"}
    )

    scenario = Scenario.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("resources:scenario_detail", args=[scenario.pk])
    assert (scenario.name, scenario.state, scenario.from_month, scenario.created_by) == (
        "Décaler Alpha", Scenario.State.DRAFT, load.m1, world.pmo,
    )  # fmt: skip
    changes = {(c.project_id, c.shift_months, c.pause) for c in ScenarioChange.objects.all()}
    assert changes == {(load.a.pk, 3, False), (load.b.pk, 0, True)}

    reopened = client.get(reverse("resources:whatif"), {"scenario": scenario.pk})
    page = reopened.content.decode()
    assert f'name="shift-{load.a.pk}" value="3"' in page
    assert f'name="pause-{load.b.pk}" checked' in page
    assert reopened.context["comparison"].over_after == 0


def test_a_scenario_needs_a_name_and_a_change(client, world, load):
    client.force_login(world.pmo)
    response = client.post(
        reverse("resources:whatif"), {**whatif_query(load, (load.a, 0, False)), "name": "x"}
    )
    assert response.status_code == 400
    assert not Scenario.objects.exists()


def test_only_the_pmo_and_administrators(client, world, load):
    for user, status in ((world.pmo, 200), (world.admin, 200), (world.pm, 403), (world.executive, 403)):
        client.force_login(user)
        assert client.get(reverse("resources:whatif")).status_code == status


def test_the_what_if_query_count_does_not_grow_with_projects(client, world, load, django_assert_num_queries):
    client.force_login(world.pmo)
    client.get(reverse("resources:whatif"))  # warm the session
    url = reverse("resources:whatif")
    # session, user, roles; the options, the chosen projects; the directorates and roles, the allocation
    # before and after (2 each); the financial view before and after (categories, amounts, statuses' spend,
    # the projects with money: 4 each, no exchange rate needed): 19, whatever the projects and changes.
    with django_assert_num_queries(19) as one:
        client.get(url, whatif_query(load, (load.a, 3, False)))
    more = [ProjectFactory(directorate=world.finance) for _ in range(3)]
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(
            url, whatif_query(load, (load.a, 3, False), (load.b, -1, False), *[(p, 2, False) for p in more])
        )
