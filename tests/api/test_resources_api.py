"""People by role through the API: roles (written by the PMO), capacity (read by oversight, written by
the PMO), demand (read by who sees the project, written by who changes it), the allocation (confidential
projects never named)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resources.models import Capacity, Demand, ResourceRole
from tests.factories import ProjectFactory

MONTH = date(2026, 3, 1)


@pytest.fixture
def people(world):
    dev = ResourceRole.objects.create(code="DEV", name="Développeur", name_en="Developer")
    mine = ProjectFactory(code="P-MINE", directorate=world.it, project_manager=world.pm)
    secret = ProjectFactory(
        code="P-SECRET", directorate=world.it, project_manager=world.other_pm, confidential=True
    )
    Capacity.objects.create(directorate=world.it, role=dev, month=MONTH, fte=Decimal(2))
    demands = {
        project.code: Demand.objects.create(project=project, role=dev, month=MONTH, fte=Decimal("1.5"))
        for project in (mine, secret)
    }
    return dev, demands


def test_roles_are_read_by_everyone_and_written_by_the_pmo(api, world, people):
    assert [r["code"] for r in api(world.member).get("/api/resource-roles/").json()["results"]] == ["DEV"]
    new = {"code": "BA", "name": "Analyste", "name_en": "Analyst"}
    assert api(world.pm).post("/api/resource-roles/", new, format="json").status_code == 403
    assert api(world.pmo).post("/api/resource-roles/", new, format="json").status_code == 201
    assert api(world.pmo).patch("/api/resource-roles/BA/", {"order": 3}, format="json").json()["order"] == 3
    assert api(world.pm).patch("/api/resource-roles/BA/", {"order": 4}, format="json").status_code == 403


def test_capacity_is_read_by_oversight_and_written_by_the_pmo(api, world, people):
    assert api(world.pm).get("/api/capacities/").json()["count"] == 0
    assert api(world.executive).get("/api/capacities/").json()["count"] == 1
    new = {"directorate": "DSI", "role": "DEV", "month": "2026-03-20", "fte": "3"}
    assert api(world.pm).post("/api/capacities/", new, format="json").status_code == 403
    replaced = api(world.pmo).post("/api/capacities/", new, format="json")
    assert replaced.status_code == 200 and replaced.json()["fte"] == "3.00"
    assert api(world.pmo).post("/api/capacities/", {**new, "fte": "-1"}, format="json").status_code == 400
    pk = replaced.json()["id"]
    assert (
        api(world.executive).patch(f"/api/capacities/{pk}/", {"fte": "1"}, format="json").status_code == 403
    )
    assert api(world.pmo).delete(f"/api/capacities/{pk}/").status_code == 204
    assert Capacity.history.filter(history_type="-").get().history_user == world.pmo


def test_demand_is_read_by_who_sees_the_project_and_written_by_who_changes_it(api, world, people):
    _dev, demands = people
    listed = api(world.pm).get("/api/demands/").json()["results"]
    assert [row["project"] for row in listed] == ["P-MINE"]
    secret = demands["P-SECRET"]
    assert api(world.pm).get(f"/api/demands/{secret.pk}/").status_code == 404
    new = {"project": "P-MINE", "role": "DEV", "month": "2026-04-01", "fte": "0.5", "person": "pm"}
    created = api(world.pm).post("/api/demands/", new, format="json")
    assert created.status_code == 201 and created.json()["person"] == "pm"
    assert Demand.objects.get(pk=created.json()["id"]).updated_by == world.pm
    assert api(world.executive).post("/api/demands/", new, format="json").status_code == 403
    assert (
        api(world.pm).post("/api/demands/", {**new, "project": "P-SECRET"}, format="json").status_code == 400
    )
    assert (
        api(world.other_pm).patch(f"/api/demands/{secret.pk}/", {"fte": "2"}, format="json").json()["fte"]
        == "2.00"
    )
    assert api(world.pm).delete(f"/api/demands/{created.json()['id']}/").status_code == 204


def test_the_allocation_never_names_a_project_the_reader_may_not_see(api, world, people):
    query = {"start": "2026-03", "months": 2}
    body = api(world.pm).get("/api/resources/allocation/", query).json()
    (cell,) = body["cells"]
    assert cell["capacity"] == "2.00" and cell["demand"] == "3.00" and cell["level"] == "over"
    assert cell["projects"] == [{"code": "P-MINE", "fte": "1.50"}] and cell["other_fte"] == "1.50"
    assert b"P-SECRET" not in api(world.pm).get("/api/resources/allocation/", query).content
    pmo_cell = api(world.pmo).get("/api/resources/allocation/", query).json()["cells"][0]
    assert {p["code"] for p in pmo_cell["projects"]} == {"P-MINE", "P-SECRET"} and pmo_cell[
        "other_fte"
    ] == "0.00"
    assert len(body["months"]) == 2
    assert api(world.pm).get("/api/resources/allocation/", {"start": "2026-13"}).status_code == 400
    assert api(world.pm).get("/api/resources/allocation/", {"role": "NOPE"}).status_code == 400


@pytest.mark.parametrize(
    "url", ["/api/demands/", "/api/capacities/", "/api/resources/allocation/?start=2026-03"]
)
def test_the_queries_do_not_grow_with_rows(api, world, people, url):
    dev, _demands = people
    client = api(world.pmo)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for month in range(4, 13):
        Capacity.objects.create(directorate=world.it, role=dev, month=date(2026, month, 1), fte=1)
        for _n in range(3):
            Demand.objects.create(
                project=ProjectFactory(directorate=world.it), role=dev, month=date(2026, month, 1), fte=1
            )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries) <= 8
