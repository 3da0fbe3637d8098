"""Reading through the API: every list and detail with the interface's permissions (what a user may
not see is not listed and answers 404), pagination, filters, ordering, and query counts that do not
grow with the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import add_records
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

ROLES = ["admin", "pmo", "executive", "pm", "other_pm", "member"]
OVERSIGHT = {"admin", "pmo", "executive"}


def listed(response, key: str) -> list:
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def identifiers(records, role: str) -> dict[str, tuple[str, str, set]]:
    """Per endpoint: (the list's URL, the key naming a row, the rows `role` sees)."""
    seen = {"PRJ-0001", "PRJ-0002", "PRJ-0003"}
    if role in ("pm", "member"):
        seen -= {"PRJ-0003"}
    of = records.of
    committees = (
        {"copil-dig", "comite-tech"} if role in OVERSIGHT else {"copil-dig"} if role == "member" else set()
    )
    decisions = {records.decision.reference, records.secret_decision.reference}
    actions = {records.action.reference, records.secret_action.reference}
    if role not in OVERSIGHT:
        decisions = {records.decision.reference} if role != "other_pm" else decisions
        actions = {
            "pm": {records.action.reference},
            "member": actions,
            "other_pm": actions,  # both are about projects they manage
        }[role]
    kpis = {"satisfaction", "benefits"} if role in OVERSIGHT else {"satisfaction"} if "pm" in role else set()
    measurements = {
        "satisfaction:PRJ-0001",
        "satisfaction:PRJ-0003",
        "benefits:",
    }
    if role not in OVERSIGHT:
        measurements = {
            "pm": {"satisfaction:PRJ-0001"},
            "other_pm": {"satisfaction:PRJ-0001", "satisfaction:PRJ-0003"},
            "member": set(),
        }[role]
    return {
        "projects": ("/api/projects/", "code", seen),
        "status-reports": ("/api/status-reports/", "project", seen),
        "milestones": ("/api/milestones/", "project", seen),
        "risks": ("/api/risks/", "reference", {of[code].risk.reference for code in seen}),
        "issues": ("/api/issues/", "reference", {of[code].issue.reference for code in seen}),
        "committees": ("/api/committees/", "code", committees),
        "meetings": ("/api/meetings/", "committee", {"copil-dig"} if committees else set()),
        "decisions": ("/api/decisions/", "reference", decisions),
        "actions": ("/api/actions/", "reference", actions),
        "kpis": ("/api/kpis/", "code", kpis),
        "kpi-measurements": ("/api/kpi-measurements/", None, measurements),
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_what_the_interface_shows_them(api, world, records, role):
    client = api(getattr(world, role))

    for name, (url, key, expected) in identifiers(records, role).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.content)
        rows = response.json()["results"]
        if key is None:
            got = {f"{row['kpi']}:{row['project'] or ''}" for row in rows}
        else:
            got = {row[key] for row in rows}
        assert got == expected, (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_an_object_the_user_may_not_see_answers_404_and_one_they_may_200(api, world, records, role):
    client = api(getattr(world, role))
    secret = records.of["PRJ-0003"]
    sees_secret = role not in ("pm", "member")
    details = {
        "/api/projects/PRJ-0003/": sees_secret,
        f"/api/status-reports/{secret.status.pk}/": sees_secret,
        f"/api/milestones/{secret.milestone.pk}/": sees_secret,
        f"/api/risks/{secret.risk.reference}/": sees_secret,
        f"/api/issues/{secret.issue.reference}/": sees_secret,
        "/api/projects/PRJ-0001/": True,
        f"/api/risks/{records.of['PRJ-0002'].risk.reference}/": True,
        "/api/committees/copil-dig/": role in OVERSIGHT or role == "member",
        f"/api/meetings/{records.meeting.pk}/": role in OVERSIGHT or role == "member",
        f"/api/decisions/{records.secret_decision.reference}/": role in OVERSIGHT or role == "other_pm",
        f"/api/actions/{records.action.reference}/": True,
        "/api/kpis/benefits/": role in OVERSIGHT,
        "/api/kpis/satisfaction/": role != "member",
    }

    answers = {url: client.get(url).status_code for url in details}

    assert answers == {url: 200 if visible else 404 for url, visible in details.items()}
    assert client.get("/api/projects/PRJ-9999/").json() == {"detail": "No Project matches the given query."}


def test_a_project_comes_with_its_latest_status(api, world, records):
    body = api(world.pm).get("/api/projects/PRJ-0002/").json()

    status = records.of["PRJ-0002"].status
    assert body["current_rag"] == "green"
    assert body["latest_status"]["id"] == status.pk
    assert body["latest_status"]["week"] == status.period_label
    assert body["latest_status"]["percent_complete"] == "40.00"
    assert body["directorate"] == {"code": "DF", "name": world.finance.name}
    assert body["project_manager"] == {"username": "other_pm", "name": str(world.other_pm)}
    assert body["budget"] == "2500000.00"


def test_an_owner_reads_their_action_about_a_confidential_project_without_its_name(api, world, records):
    body = api(world.member).get(f"/api/actions/{records.secret_action.reference}/").json()

    assert body["title"] == "Préparer l'arbitrage"
    assert body["project"] is None and body["decision"] is None
    seen_by_pmo = api(world.pmo).get(f"/api/actions/{records.secret_action.reference}/").json()
    assert seen_by_pmo["project"] == "PRJ-0003"
    assert seen_by_pmo["decision"] == records.secret_decision.reference


def test_lists_are_paginated_with_a_page_size_the_client_chooses_within_a_limit(api, world, records):
    client = api(world.pmo)
    for number in range(4, 9):
        ProjectFactory(code=f"PRJ-{number:04d}", directorate=world.it)

    first = client.get("/api/projects/", {"page_size": 3}).json()
    second = client.get(first["next"]).json()
    capped = client.get("/api/projects/", {"page_size": 10_000}).json()
    past_the_end = client.get("/api/projects/", {"page": 99})

    assert first["count"] == 8 and len(first["results"]) == 3 and first["previous"] is None
    assert [row["code"] for row in second["results"]] == ["PRJ-0004", "PRJ-0005", "PRJ-0006"]
    assert len(capped["results"]) == 8  # below the limit of 200: all of them
    assert past_the_end.status_code == 404 and "detail" in past_the_end.json()


def test_filters_and_ordering(api, world, records):
    client = api(world.pmo)

    by_directorate = listed(client.get("/api/projects/", {"directorate": "DSI"}), "code")
    amber = listed(client.get("/api/projects/", {"rag": "amber"}), "code")
    by_manager = listed(
        client.get("/api/projects/", {"project_manager": "other_pm", "ordering": "-code"}), "code"
    )
    reports = listed(client.get("/api/status-reports/", {"project": "PRJ-0002", "latest": "true"}), "project")
    open_actions = listed(client.get("/api/actions/", {"overdue": "true"}), "reference")
    high = listed(client.get("/api/risks/", {"level": "critical", "directorate": "DF"}), "reference")

    assert by_directorate == ["PRJ-0001", "PRJ-0003"]
    assert amber == ["PRJ-0001", "PRJ-0003"]
    assert by_manager == ["PRJ-0003", "PRJ-0002"]
    assert reports == ["PRJ-0002"]
    assert open_actions == [records.action.reference]
    assert high == [records.of["PRJ-0002"].risk.reference]  # 4 x 4 = 16: critical by default


def test_a_filter_value_that_is_not_understood_is_a_400_with_its_message(api, world, records):
    response = api(world.pmo).get("/api/projects/", {"state": "flying", "forecast_end_after": "soon"})

    assert response.status_code == 400
    assert set(response.json()) == {"state", "forecast_end"}


# --- Query counts ---------------------------------------------------------------------------------

# Per list: token (with its user), the user's groups (roles), the count, the page of rows with their
# joined relations, then each prefetched relation.
LIST_QUERIES = {
    "/api/projects/": 4,
    "/api/status-reports/": 4,
    "/api/milestones/": 4,
    "/api/risks/": 5,  # + the risk policy (levels)
    "/api/issues/": 4,
    "/api/committees/": 5,  # + their members
    "/api/meetings/": 5,  # + their agenda items
    "/api/decisions/": 4,
    "/api/actions/": 4,
    "/api/kpis/": 4,
    "/api/kpi-measurements/": 4,
}


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["pmo", "member"])
def test_list_query_counts_do_not_grow_with_rows(api, world, records, role):
    client = api(getattr(world, role))
    few = {url: queries(client, url) for url in LIST_QUERIES}

    for number in range(4, 10):
        project = ProjectFactory(code=f"PRJ-{number:04d}", project_manager=world.other_pm)
        add_records(project, world.member, number=number)

    expected = dict(LIST_QUERIES)
    if role == "member":
        # A committee member reads no KPI: the empty querysets are not even asked for.
        expected.update({"/api/kpis/": 2, "/api/kpi-measurements/": 2})
    assert {url: queries(client, url) for url in LIST_QUERIES} == few == expected


def test_a_status_that_left_values_unknown_reads_them_as_null_never_a_colour_or_0(api, world, records):
    status = records.of["PRJ-0002"].status
    type(status).objects.filter(pk=status.pk).update(
        schedule_rag="", cost_rag="", percent_complete=None, actual_cost=None
    )

    body = api(world.pm).get("/api/projects/PRJ-0002/").json()["latest_status"]
    report = api(world.pm).get(f"/api/status-reports/{status.pk}/").json()

    for read in (body, report):
        assert (read["schedule_rag"], read["cost_rag"]) == (None, None)
        assert (read["percent_complete"], read["actual_cost"]) == (None, None)
        assert read["scope_rag"] == status.scope_rag and read["overall_rag"] == status.overall_rag


def test_the_schema_says_which_status_values_may_be_unknown():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for name in ("StatusReport", "StatusSummary"):
        properties = schema["components"]["schemas"][name]["properties"]
        for field in (
            "schedule_rag",
            "cost_rag",
            "scope_rag",
            "resources_rag",
            "percent_complete",
            "actual_cost",
        ):
            assert properties[field].get("nullable") or {"type": "null"} in properties[field].get(
                "oneOf", []
            ), (
                name,
                field,
            )
        assert not properties["overall_rag"].get("nullable")
