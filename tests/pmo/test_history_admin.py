"""The audit trail cannot be altered through the application: no revert, no historical row changed or
deleted in the admin, by anyone (superusers included), the decision log's above all."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from governance import services as governance
from governance.models import Decision
from portfolio.models import Project
from tests.factories import CommitteeFactory, ProjectFactory

pytestmark = pytest.mark.django_db

HistoricalDecision = Decision.history.model


@pytest.fixture
def decision(world):
    committee = CommitteeFactory(secretary=world.pmo)
    decision = governance.decision_record(committee=committee, title="Go pour le pilote", by=world.pmo)
    governance.decision_set_implementation(decision=decision, implementation="in_progress")
    return decision


def trail(decision) -> list[tuple]:
    return list(
        HistoricalDecision.objects.filter(id=decision.pk)
        .order_by("history_id")
        .values_list("history_id", "history_type", "history_user", "title", "implementation")
    )


def test_a_superuser_reads_a_decisions_versions_in_the_admin_but_cannot_revert_one(client, world, decision):
    before = trail(decision)
    first = decision.history.earliest()
    client.force_login(world.admin)
    version = reverse("admin:governance_decision_simple_history", args=[decision.pk, first.history_id])

    assert client.get(reverse("admin:governance_decision_history", args=[decision.pk])).status_code == 200
    page = client.get(version)
    assert page.status_code == 200 and "Revert" not in page.content.decode()
    assert client.post(version, {"title": "Réécrit", "implementation": "not_started"}).status_code == 403

    decision.refresh_from_db()
    assert decision.implementation == "in_progress" and trail(decision) == before


def test_no_version_page_reverts_even_where_the_admin_may_change_the_object(client, world):
    project = ProjectFactory(name="Nom d'origine", directorate=world.it)
    project.name = "Nom actuel"
    project.save()
    client.force_login(world.admin)
    version = reverse(
        "admin:portfolio_project_simple_history", args=[project.pk, project.history.earliest().pk]
    )

    assert client.post(version, {"name": "Nom d'origine", "code": project.code}).status_code == 403
    project.refresh_from_db()
    assert project.name == "Nom actuel" and project.history.count() == 2


def test_historical_decisions_are_read_only_in_the_admin_even_for_a_superuser(client, world, decision):
    before = trail(decision)
    record = decision.history.latest()
    request = RequestFactory().get("/admin/")
    request.user = world.admin
    history_admin = admin.site._registry[HistoricalDecision]
    assert history_admin.has_view_permission(request, record)
    assert not history_admin.has_add_permission(request)
    assert not history_admin.has_change_permission(request, record)
    assert not history_admin.has_delete_permission(request, record)

    client.force_login(world.admin)
    change = reverse("admin:governance_historicaldecision_change", args=[record.pk])
    delete = reverse("admin:governance_historicaldecision_delete", args=[record.pk])
    assert client.get(reverse("admin:governance_historicaldecision_changelist")).status_code == 200
    assert client.get(change).status_code == 200  # read
    assert client.post(change, {"title": "Réécrit", "history_type": "~"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert (
        client.post(reverse("admin:governance_historicaldecision_add"), {"title": "Faux"}).status_code == 403
    )
    changelist = reverse("admin:governance_historicaldecision_changelist")
    bulk_delete = {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}
    client.post(changelist, bulk_delete)
    assert trail(decision) == before


def test_every_tracked_models_history_is_listed_read_only_in_the_admin(world):
    request = RequestFactory().get("/admin/")
    request.user = world.admin
    histories = [model for model in admin.site._registry if model.__name__.startswith("Historical")]
    assert {model.__name__ for model in histories} == {
        "HistoricalProject",
        "HistoricalStatusReport",
        "HistoricalMilestone",
        "HistoricalCommittee",
        "HistoricalMeeting",
        "HistoricalDecision",
        "HistoricalAction",
        "HistoricalRisk",
        "HistoricalIssue",
    }
    for model in histories:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
    assert Project.history.model in histories
