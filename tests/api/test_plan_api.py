"""The plan through the API: milestones and dependencies written by the project's manager and the PMO
with the plan's rules, change requests and baselines read, nothing about a confidential project shown
to someone who may not see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planning.models import Baseline, BaselineMilestone, ChangeRequest, ChangeRequestMilestone
from portfolio.models import Milestone, Phase, Project, ProjectDependency, ProjectPhase
from tests.api.conftest import TODAY, add_records
from tests.factories import ProjectFactory


def dependency(consumer, provider, *, needed_by=None, **fields) -> ProjectDependency:
    return ProjectDependency.objects.create(
        from_project=consumer,
        to_project=provider,
        consumer_milestone=consumer.milestones.first(),
        provider_milestone=provider.milestones.first(),
        needed_by=needed_by,
        **fields,
    )


def plan_of(project, number: int) -> None:
    """A planned phase, a baseline with its milestone, and a change request moving it."""
    milestone = project.milestones.first()
    build = Phase.objects.get_or_create(name="Réalisation", defaults={"name_en": "Build", "order": 3})[0]
    ProjectPhase.objects.create(project=project, phase=build, planned_start=TODAY)
    baseline = Baseline.objects.create(
        project=project, number=1, origin=Baseline.Origin.GATE, currency="MAD", start=TODAY
    )
    BaselineMilestone.objects.create(
        baseline=baseline, milestone=milestone, name=milestone.name, date=milestone.baseline_date, weight=1
    )
    change = ChangeRequest.objects.create(
        reference=f"CR-2026-{number:04d}", project=project, title=f"Décaler {number}", reason="Retard"
    )
    ChangeRequestMilestone.objects.create(
        change_request=change, milestone=milestone, new_date=TODAY + timedelta(days=60)
    )


@pytest.fixture
def plan(records):
    for number, project in enumerate((records.mine, records.theirs, records.secret), start=1):
        plan_of(project, number)
    return records


# --- Milestones -----------------------------------------------------------------------------------


def test_the_project_manager_adds_a_milestone_and_its_forecast_defaults_to_its_baseline(api, world, records):
    response = api(world.pm).post(
        "/api/milestones/",
        {"project": "PRJ-0001", "name": "Go-live", "baseline_date": "2026-09-01", "owner": "pm"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["project"], body["forecast_date"], body["owner"]["username"]) == (
        "PRJ-0001",
        "2026-09-01",
        "pm",
    )
    assert body["position"] == records.of["PRJ-0001"].milestone.position + 1 and body["version"] == 1


def test_a_reader_cannot_add_a_milestone_and_an_outsider_is_told_the_project_does_not_exist(
    api, world, records
):
    sent = {"name": "X", "baseline_date": "2026-09-01"}
    reader = api(world.pm).post("/api/milestones/", {**sent, "project": "PRJ-0002"}, format="json")
    outsider = api(world.pm).post("/api/milestones/", {**sent, "project": "PRJ-0003"}, format="json")

    assert reader.status_code == 403
    assert outsider.status_code == 400 and "PRJ-0003" in outsider.json()["project"][0]
    assert not Milestone.objects.filter(name="X").exists()


def test_an_outsider_gets_404_on_a_confidential_projects_milestone(api, world, records):
    secret = records.of["PRJ-0003"].milestone
    client = api(world.pm)

    assert client.get(f"/api/milestones/{secret.pk}/").status_code == 404
    assert client.patch(f"/api/milestones/{secret.pk}/", {"name": "Y"}, format="json").status_code == 404
    assert client.delete(f"/api/milestones/{secret.pk}/?reason=x").status_code == 404
    assert "PRJ-0003" not in client.get("/api/milestones/").content.decode()


def test_the_baseline_date_is_locked_once_the_project_has_a_baseline(api, world, records):
    Project.objects.filter(pk=records.mine.pk).update(baseline_version=1)
    milestone = records.of["PRJ-0001"].milestone
    url = f"/api/milestones/{milestone.pk}/"

    refused = api(world.pm).patch(url, {"baseline_date": "2027-01-01"}, format="json")
    moved = api(world.pm).patch(url, {"forecast_date": "2027-01-01"}, format="json")

    assert refused.status_code == 400 and "change request" in refused.json()["baseline_date"][0]
    assert moved.status_code == 200 and moved.json()["forecast_date"] == "2027-01-01"
    milestone.refresh_from_db()
    assert milestone.baseline_date == TODAY - timedelta(days=10)


def test_a_change_from_a_stale_version_is_refused_with_the_current_milestone(api, world, records):
    milestone = records.of["PRJ-0001"].milestone
    url = f"/api/milestones/{milestone.pk}/"
    first = api(world.pm).patch(url, {"name": "Recette v2", "version": 1}, format="json")

    stale = api(world.pmo).patch(url, {"name": "Recette v3", "version": 1}, format="json")

    assert first.status_code == 200 and first.json()["version"] == 2
    assert stale.status_code == 409 and stale.json()["current"]["name"] == "Recette v2"
    assert Milestone.objects.get(pk=milestone.pk).name == "Recette v2"


def test_a_reader_may_not_change_a_milestone(api, world, records):
    milestone = records.of["PRJ-0002"].milestone
    response = api(world.pm).patch(f"/api/milestones/{milestone.pk}/", {"name": "Z"}, format="json")
    assert response.status_code == 403


def test_deleting_a_milestone_needs_a_reason_kept_in_its_history(api, world, records):
    milestone = records.of["PRJ-0001"].milestone
    url = f"/api/milestones/{milestone.pk}/"

    without = api(world.pm).delete(url)
    deleted = api(world.pm).delete(url + "?reason=Abandonné par le COPIL")

    assert without.status_code == 400 and "reason" in without.json()
    assert deleted.status_code == 204
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    last = Milestone.history.filter(id=milestone.pk).latest("history_date")
    assert (last.history_type, last.history_change_reason) == ("-", "Abandonné par le COPIL")
    assert last.history_user == world.pm


# --- Dependencies ---------------------------------------------------------------------------------


def record_dependency(client, records, **more):
    """PRJ-0001 (the user's) waits for PRJ-0002's milestone."""
    mine, theirs = records.of["PRJ-0001"].milestone, records.of["PRJ-0002"].milestone
    sent = {"consumer": "PRJ-0001", "provider": "PRJ-0002", "consumer_milestone": mine.pk}
    return client.post("/api/dependencies/", {**sent, "provider_milestone": theirs.pk, **more}, format="json")


def test_the_consumer_records_a_dependency_and_the_provider_accepts_it(api, world, records):
    theirs = records.of["PRJ-0002"].milestone
    created = record_dependency(
        api(world.pm),
        records,
        needed_by=(theirs.forecast_date - timedelta(days=1)).isoformat(),
        kind="deliverable",
        description="Interface comptable",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["broken"], body["accepted"], body["description"]) == (True, False, "Interface comptable")
    url = f"/api/dependencies/{body['id']}/accept/"

    by_consumer = api(world.pm).post(url)
    by_provider = api(world.other_pm).post(url)

    assert by_consumer.status_code == 403
    assert by_provider.status_code == 200 and by_provider.json()["accepted_by"]["username"] == "other_pm"


def test_a_new_needed_by_date_asks_the_provider_to_accept_again(api, world, records):
    link = dependency(
        records.mine, records.theirs, accepted_by=world.other_pm, accepted_at=records.mine.updated_at
    )
    response = api(world.pm).patch(
        f"/api/dependencies/{link.pk}/", {"needed_by": "2027-06-30"}, format="json"
    )
    assert response.status_code == 200 and response.json()["accepted"] is False


def test_a_needed_by_date_left_out_is_the_consumer_milestones_forecast_as_on_the_page(api, world, records):
    created = record_dependency(api(world.pm), records)

    assert created.status_code == 201, created.json()
    assert created.json()["needed_by"] == records.of["PRJ-0001"].milestone.forecast_date.isoformat()


def test_a_negative_weight_is_refused_with_the_pages_message(api, world, records):
    milestone = records.of["PRJ-0001"].milestone
    response = api(world.pm).patch(f"/api/milestones/{milestone.pk}/", {"weight": "-1"}, format="json")

    assert response.status_code == 400
    assert response.json()["weight"] == ["The weight cannot be negative."]


def test_a_milestone_of_another_project_is_refused(api, world, records):
    response = api(world.pm).post(
        "/api/dependencies/",
        {
            "consumer": "PRJ-0001",
            "provider": "PRJ-0002",
            "provider_milestone": records.of["PRJ-0001"].milestone.pk,
        },
        format="json",
    )
    assert response.status_code == 400 and "provider_milestone" in response.json()


def test_the_broken_filter_applies_the_one_broken_rule(api, world, records):
    late = dependency(records.mine, records.theirs, needed_by=TODAY)  # theirs is forecast in 10 days
    on_time = dependency(
        records.theirs,
        records.mine,
        needed_by=TODAY + timedelta(days=30),
        kind=ProjectDependency.Kind.TECHNICAL,
    )
    client = api(world.pmo)

    broken = [row["id"] for row in client.get("/api/dependencies/", {"broken": "true"}).json()["results"]]
    fine = [row["id"] for row in client.get("/api/dependencies/", {"broken": "false"}).json()["results"]]

    assert broken == [late.pk] and fine == [on_time.pk]
    assert set(ProjectDependency.objects.broken().values_list("pk", flat=True)) == {late.pk}


def test_a_dependency_on_a_confidential_project_is_not_listed_for_who_may_not_see_it(api, world, records):
    hidden = dependency(records.mine, records.secret, needed_by=TODAY)
    also_hidden = dependency(records.secret, records.theirs, needed_by=TODAY)
    client = api(world.pm)

    listed = client.get("/api/dependencies/", {"project": "PRJ-0001"})

    assert listed.status_code == 200 and listed.json()["results"] == []
    assert "PRJ-0003" not in client.get("/api/dependencies/").content.decode()
    for link in (hidden, also_hidden):
        assert client.get(f"/api/dependencies/{link.pk}/").status_code == 404
    assert client.post(f"/api/dependencies/{hidden.pk}/accept/").status_code == 404
    pmo = [row["provider"] for row in api(world.pmo).get("/api/dependencies/").json()["results"]]
    assert sorted(pmo) == ["PRJ-0002", "PRJ-0003"]


def test_only_the_consumers_manager_or_the_pmo_deletes_a_dependency(api, world, records):
    link = dependency(records.mine, records.theirs)

    assert api(world.other_pm).delete(f"/api/dependencies/{link.pk}/").status_code == 403
    assert api(world.pm).delete(f"/api/dependencies/{link.pk}/?reason=Plus utile").status_code == 204
    assert not ProjectDependency.objects.exists()


# --- Planned phases -------------------------------------------------------------------------------


def test_the_project_manager_plans_a_phase_with_its_dates_in_order(api, world, records):
    phase = Phase.objects.order_by("order").first()
    client = api(world.pm)
    sent = {"project": "PRJ-0001", "phase": phase.pk, "planned_start": "2026-01-05"}

    backwards = client.post("/api/planned-phases/", {**sent, "planned_end": "2026-01-01"}, format="json")
    planned = client.post("/api/planned-phases/", {**sent, "planned_end": "2026-03-31"}, format="json")
    again = client.post("/api/planned-phases/", sent, format="json")
    moved = client.patch(
        f"/api/planned-phases/{planned.json()['id']}/", {"planned_end": "2026-04-30"}, format="json"
    )

    assert backwards.status_code == 400 and "planned_end" in backwards.json()
    assert planned.status_code == 201 and planned.json()["project"] == "PRJ-0001"
    assert again.status_code == 400 and "phase" in again.json()
    assert moved.status_code == 200 and moved.json()["planned_end"] == "2026-04-30"


def test_a_reader_may_not_plan_another_managers_phases(api, world, records):
    phase = Phase.objects.order_by("order").first()
    response = api(world.pm).post(
        "/api/planned-phases/", {"project": "PRJ-0002", "phase": phase.pk}, format="json"
    )
    planned = ProjectPhase.objects.create(project=records.theirs, phase=phase)

    assert response.status_code == 403
    assert api(world.pm).delete(f"/api/planned-phases/{planned.pk}/").status_code == 403
    assert api(world.other_pm).delete(f"/api/planned-phases/{planned.pk}/").status_code == 204


# --- Change requests and baselines (read) ---------------------------------------------------------


def test_change_requests_and_baselines_are_read_with_their_milestones(api, world, plan):
    client = api(world.pm)
    requests = client.get("/api/change-requests/", {"project": "PRJ-0001"}).json()["results"]
    baselines = client.get("/api/baselines/", {"project": "PRJ-0001"}).json()["results"]

    [change] = requests
    assert change["reference"] == "CR-2026-0001" and change["state"] == "draft"
    assert change["milestones"][0]["name"] == "Recette 1"
    [baseline] = baselines
    assert baseline["number"] == 1 and baseline["milestones"][0]["name"] == "Recette 1"


def test_a_confidential_projects_change_requests_and_baselines_are_hidden(api, world, plan):
    client = api(world.pm)

    for url in ("/api/change-requests/", "/api/baselines/", "/api/planned-phases/"):
        assert "PRJ-0003" not in client.get(url).content.decode()
    assert client.get("/api/change-requests/CR-2026-0003/").status_code == 404
    secret = Baseline.objects.get(project=plan.secret)
    assert client.get(f"/api/baselines/{secret.pk}/").status_code == 404
    assert api(world.other_pm).get("/api/change-requests/CR-2026-0003/").status_code == 200


def test_the_plan_endpoints_are_read_only_where_they_should_be(api, world, plan):
    client = api(world.pmo)
    assert client.post("/api/change-requests/", {}, format="json").status_code == 405
    assert client.post("/api/baselines/", {}, format="json").status_code == 405


# --- Query counts ---------------------------------------------------------------------------------

# Per list: token (with its user), the user's groups (roles), the count, the page of rows with their
# joined relations, then each prefetched relation.
PLAN_LIST_QUERIES = {
    "/api/milestones/": 4,
    "/api/dependencies/": 4,
    "/api/planned-phases/": 4,
    "/api/change-requests/": 5,  # + their milestone changes
    "/api/baselines/": 5,  # + their milestones
}


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["pmo", "pm"])
def test_plan_list_query_counts_do_not_grow_with_rows(api, world, plan, role):
    client = api(getattr(world, role))
    dependency(plan.mine, plan.theirs)
    few = {url: queries(client, url) for url in PLAN_LIST_QUERIES}

    for number in range(4, 10):
        project = ProjectFactory(code=f"PRJ-{number:04d}", project_manager=world.other_pm)
        add_records(project, world.member, number=number)
        plan_of(project, number)
        dependency(project, plan.mine, needed_by=TODAY)

    assert {url: queries(client, url) for url in PLAN_LIST_QUERIES} == few == PLAN_LIST_QUERIES
