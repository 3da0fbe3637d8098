"""A project manager submits the weekly status through the API: the same form's rules and the same
service as the page, the same permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portfolio.models import StatusReport
from portfolio.models.status import current_period

pytestmark = pytest.mark.django_db

URL = "/api/projects/{code}/status-reports/"


def status(project=None, **changes) -> dict:
    """This week's status, the ratings of the project's last report unchanged (else they need saying why)."""
    last = project.last_report if project is not None else None
    body = {
        name: getattr(last, name) if last else "green"
        for name in ("overall_rag", "schedule_rag", "cost_rag", "scope_rag", "resources_rag")
    }
    body.update(
        {
            "percent_complete": "45.5",
            "actual_cost": 1_250_000,
            "forecast_at_completion": "2600000.00",
            "summary": "Recette en cours.",
            "achievements": "Lot 1 livré.",
            "next_steps": "Lot 2.",
            "explanation": "Amber while the lot 2 contract is signed."
            if last and last.overall_rag != "green"
            else "",
        }
    )
    body.update(changes)
    return body


def test_a_manager_submits_a_status_that_appears_in_the_projects_history(api, world, records, client):
    response = api(world.pm).post(URL.format(code="PRJ-0001"), status(records.mine), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    report = StatusReport.objects.get(pk=body["id"])
    assert body["project"] == "PRJ-0001" and body["period"] == current_period().isoformat()
    assert body["revision"] == 2  # this week had a status already: a new revision, the old one kept
    assert body["submitted_by"]["username"] == "pm" and body["is_latest"] is True
    assert report.percent_complete == 45.5 and report.actual_cost == 1_250_000
    assert StatusReport.objects.filter(project=records.mine, period=report.period).count() == 2
    records.mine.refresh_from_db()
    assert records.mine.last_report == report
    client.force_login(world.pm)
    page = client.get("/portfolio/projects/PRJ-0001/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["report"] == report
    assert report in page.context["reports"]
    assert "45 %" in page.content.decode() or "46 %" in page.content.decode()


def test_an_amber_rating_without_explanation_is_refused_with_a_message_per_field(api, world, records):
    response = api(world.pm).post(
        URL.format(code="PRJ-0001"),
        status(cost_rag="amber", percent_complete="140", actual_cost=-5, overall_rag="purple"),
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"percent_complete", "actual_cost", "overall_rag"}
    assert errors["overall_rag"] == ['"purple" is not a valid choice.']
    assert StatusReport.objects.filter(project=records.mine).count() == 1


def test_the_forms_rules_answer_in_json(api, world, records):
    theirs = records.theirs  # green last week
    response = api(world.other_pm).post(
        URL.format(code="PRJ-0002"), status(theirs, cost_rag="amber", percent_complete="10"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "explanation": [
            "Explain why % complete went down (it was 40 % in the last report).",
            "Explain the amber or red rating of: Cost.",
            "Explain why the rating changed since the last report: Cost.",
        ]
    }
    explained = status(theirs, cost_rag="amber", percent_complete="10", explanation="Re-chiffrage du lot 2.")
    assert api(world.other_pm).post(URL.format(code="PRJ-0002"), explained, format="json").status_code == 201


def test_milestone_dates_are_updated_with_the_status_and_checked_like_on_the_page(api, world, records):
    milestone = records.of["PRJ-0001"].milestone
    other = records.of["PRJ-0002"].milestone
    client = api(world.pm)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    refused = client.post(
        URL.format(code="PRJ-0001"),
        status(
            records.mine,
            milestones=[
                {"id": other.pk, "forecast_date": tomorrow},
                {"id": milestone.pk, "forecast_date": tomorrow, "actual_date": tomorrow},
            ],
        ),
        format="json",
    )
    accepted = client.post(
        URL.format(code="PRJ-0001"),
        status(records.mine, milestones=[{"id": milestone.pk, "forecast_date": tomorrow}]),
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json() == {
        "milestones": [
            {"id": ["This milestone is not one of the project's."]},
            {"actual_date": ["A milestone cannot be reached in the future."]},
        ]
    }
    assert accepted.status_code == 201
    milestone.refresh_from_db()
    assert milestone.forecast_date.isoformat() == tomorrow


def test_a_status_based_on_an_older_report_is_refused_as_a_conflict(api, world, records):
    stale = records.mine.last_report_id
    assert (
        api(world.pmo).post(URL.format(code="PRJ-0001"), status(records.mine), format="json").status_code
        == 201
    )

    response = api(world.pm).post(
        URL.format(code="PRJ-0001"), status(records.mine, based_on=stale), format="json"
    )

    assert response.status_code == 409
    assert response.json()["current"]["submitted_by"]["username"] == "pmo"
    assert StatusReport.objects.filter(project=records.mine).count() == 2


@pytest.mark.parametrize(
    ("role", "code", "expected"),
    [
        ("pm", "PRJ-0002", 403),  # visible, managed by someone else
        ("pm", "PRJ-0003", 404),  # confidential: does not exist for them
        ("executive", "PRJ-0001", 403),
        ("member", "PRJ-0001", 403),
        ("pmo", "PRJ-0003", 201),
        ("other_pm", "PRJ-0003", 201),
        ("pm", "PRJ-0404", 404),
    ],
)
def test_who_may_submit_a_status(api, world, records, role, code, expected):
    project = {"PRJ-0001": records.mine, "PRJ-0002": records.theirs, "PRJ-0003": records.secret}.get(code)
    response = api(getattr(world, role)).post(URL.format(code=code), status(project), format="json")

    assert response.status_code == expected
    if expected != 201:
        assert set(response.json()) == {"detail"}
