"""Delivery confidence through the API: the projects' `delivery_confidence` as at today, and the
assessments listed for whoever sees their project and recorded by the PMO with the page's rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from portfolio.assurance import confidence_as_at, confidence_record
from portfolio.models import DeliveryConfidence, Project, StatusPolicy
from portfolio.models.assurance import ConfidenceScale

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def assess(code: str, rating: str, *, days_ago: int, user) -> DeliveryConfidence:
    return confidence_record(
        project=Project.objects.get(code=code),
        rating=rating,
        assessed_on=TODAY - timedelta(days=days_ago),
        reason="Revue",
        user=user,
    )


@pytest.fixture
def assessed(world, records):
    assess("PRJ-0001", "amber", days_ago=40, user=world.pmo)
    assess("PRJ-0001", "green", days_ago=5, user=world.pmo)
    assess("PRJ-0003", "red", days_ago=2, user=world.pmo)  # the confidential project
    # Dated after today: not the project's confidence as at today.
    DeliveryConfidence.objects.create(
        project=Project.objects.get(code="PRJ-0002"), rating="red", assessed_on=TODAY + timedelta(days=2)
    )


def test_projects_carry_their_confidence_as_at_today(api, world, assessed):
    body = api(world.pmo).get("/api/projects/").json()["results"]
    truth = confidence_as_at(Project.objects.values_list("pk", flat=True), TODAY)
    by_code = {p.code: truth.get(p.pk) for p in Project.objects.all()}

    for project in body:
        expected = by_code[project["code"]]
        assert project["delivery_confidence"] == (expected.rating if expected else None)
        assert project["delivery_confidence_on"] == (expected.assessed_on.isoformat() if expected else None)
    assert {p["code"]: p["delivery_confidence"] for p in body}["PRJ-0002"] is None


def test_assessments_are_listed_for_the_projects_the_reader_sees(api, world, assessed):
    mine = api(world.pm).get("/api/confidence-assessments/").json()
    oversight = api(world.executive).get("/api/confidence-assessments/").json()

    visible = set(Project.objects.visible_to(world.pm).values_list("code", flat=True))
    assert {row["project"] for row in mine["results"]} == {"PRJ-0001", "PRJ-0002"} <= visible
    assert "PRJ-0003" not in str(mine)  # the confidential project's code never reaches the manager
    assert oversight["count"] == DeliveryConfidence.objects.count()
    filtered = api(world.pm).get("/api/confidence-assessments/", {"project": "PRJ-0001"}).json()["results"]
    assert [row["rating"] for row in filtered] == ["green", "amber"]  # newest first
    hidden = DeliveryConfidence.objects.get(project__code="PRJ-0003")
    assert api(world.pm).get(f"/api/confidence-assessments/{hidden.pk}/").status_code == 404


def test_the_pmo_records_an_assessment_with_its_follow_up(api, world, records):
    response = api(world.pmo).post(
        "/api/confidence-assessments/",
        {"project": "PRJ-0002", "rating": "amber_red", "reason": "Ressources clés absentes"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    saved = DeliveryConfidence.objects.get(pk=body["id"])
    assert (saved.rating, saved.assessed_on, saved.assessed_by, saved.source) == (
        "amber_red",
        TODAY,
        world.pmo,
        "pmo",
    )
    assert body["follow_up_due"] == (TODAY + timedelta(days=settings.CONFIDENCE_FOLLOW_UP_DAYS)).isoformat()
    project = api(world.pmo).get("/api/projects/PRJ-0002/").json()
    assert (project["delivery_confidence"], project["delivery_confidence_on"]) == (
        "amber_red",
        TODAY.isoformat(),
    )


def test_the_page_s_rules_come_back_per_field(api, world, records):
    client = api(world.pmo)
    no_reason = client.post(
        "/api/confidence-assessments/", {"project": "PRJ-0001", "rating": "red"}, format="json"
    )
    future = client.post(
        "/api/confidence-assessments/",
        {"project": "PRJ-0001", "rating": "green", "assessed_on": (TODAY + timedelta(days=1)).isoformat()},
        format="json",
    )
    StatusPolicy.objects.update_or_create(pk=1, defaults={"confidence_scale": ConfidenceScale.RAG3})
    off_scale = client.post(
        "/api/confidence-assessments/",
        {"project": "PRJ-0001", "rating": "amber_green", "reason": "x"},
        format="json",
    )

    assert (no_reason.status_code, list(no_reason.json())) == (400, ["reason"])
    assert (future.status_code, list(future.json())) == (400, ["assessed_on"])
    assert (off_scale.status_code, list(off_scale.json())) == (400, ["rating"])
    assert not DeliveryConfidence.objects.exists()


@pytest.mark.parametrize("writer", ["pm", "executive", "member"])
def test_only_the_pmo_and_administrators_record_one(api, world, records, writer):
    response = api(getattr(world, writer)).post(
        "/api/confidence-assessments/", {"project": "PRJ-0001", "rating": "green"}, format="json"
    )

    assert response.status_code == 403
    assert not DeliveryConfidence.objects.exists()


def test_the_schema_documents_the_endpoint(api, world):
    schema = api(world.member).get("/api/schema/", {"format": "json"}).json()

    assert {"get", "post"} <= set(schema["paths"]["/api/confidence-assessments/"])
    assert "delivery_confidence" in schema["components"]["schemas"]["Project"]["properties"]
