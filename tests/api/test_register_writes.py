"""Risks, issues and actions recorded and changed through the API, with the risk pages' and the
action page's rules and permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from governance import services
from governance.models import Action, Meeting
from risks.models import Issue, Risk, RiskAssessment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def risk_body(**changes) -> dict:
    body = {"title": "Départ de l'architecte", "project": "PRJ-0001", "probability": 4, "impact": 3}
    body.update(changes)
    return body


# --- Risks ----------------------------------------------------------------------------------------


def test_a_manager_records_a_risk_on_their_project(api, world, records):
    response = api(world.pm).post("/api/risks/", risk_body(cause="Marché tendu"), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    risk = Risk.objects.get(reference=body["reference"])
    assert (body["project"], body["score"], body["level"], body["owner"]["username"]) == (
        "PRJ-0001",
        12,
        "high",
        "pm",
    )
    assert body["next_review_on"] == risk.next_review_on.isoformat() > TODAY.isoformat()
    assert risk.assessments.count() == 1  # the first assessment, as from the page


def test_the_models_rules_come_back_per_field(api, world, records):
    response = api(world.pm).post(
        "/api/risks/",
        risk_body(residual_probability=5, residual_impact=4, response="exploit", probability=7),
        format="json",
    )
    second = api(world.pm).post(
        "/api/risks/", risk_body(residual_probability=5, residual_impact=4, response="exploit"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"probability": ['"7" is not a valid choice.']}
    assert second.status_code == 400
    assert second.json() == {
        "residual_reason": [
            "The residual score (20) is above the inherent score (12): say why, or lower it."
        ],
        "response": ["“Exploit” is not a response to a threat."],
    }
    assert not Risk.objects.filter(title="Départ de l'architecte").exists()


@pytest.mark.parametrize(
    ("role", "body", "expected"),
    [
        ("pm", risk_body(project="PRJ-0002"), 403),  # visible, another manager's
        ("pm", risk_body(project="PRJ-0003"), 400),  # confidential: answered as an unknown code
        ("pm", risk_body(project=None, directorate="DSI"), 403),  # transverse risks are the PMO's
        ("executive", risk_body(), 403),
        ("member", risk_body(), 403),
        ("pmo", risk_body(project=None, directorate="DSI"), 201),
        ("pmo", risk_body(project="PRJ-0003"), 201),
    ],
)
def test_who_may_record_a_risk(api, world, records, role, body, expected):
    response = api(getattr(world, role)).post("/api/risks/", body, format="json")

    assert response.status_code == expected, response.content
    if expected == 400:
        assert response.json() == {"project": ["No project has the code “PRJ-0003”."]}


def test_changing_a_risks_scores_is_a_new_assessment_and_only_the_fields_sent_change(api, world, records):
    risk = records.of["PRJ-0001"].risk
    client = api(world.pm)

    response = client.patch(
        f"/api/risks/{risk.reference}/", {"impact": 2, "mitigation_plan": "Binôme"}, format="json"
    )

    assert response.status_code == 200, response.content
    risk.refresh_from_db()
    assert (risk.probability, risk.impact, risk.score, risk.title) == (4, 2, 8, "Risque 1")
    assert risk.mitigation_plan == "Binôme"
    assert RiskAssessment.objects.filter(risk=risk).count() == 2
    assert response.json()["level"] == "medium"


def test_who_may_change_a_risk(api, world, records):
    theirs = records.of["PRJ-0002"].risk
    secret = records.of["PRJ-0003"].risk

    assert (
        api(world.pm).patch(f"/api/risks/{theirs.reference}/", {"impact": 1}, format="json").status_code
        == 403
    )
    assert (
        api(world.pm).patch(f"/api/risks/{secret.reference}/", {"impact": 1}, format="json").status_code
        == 404
    )
    assert (
        api(world.executive)
        .patch(f"/api/risks/{theirs.reference}/", {"impact": 1}, format="json")
        .status_code
        == 403
    )
    assert (
        api(world.other_pm).patch(f"/api/risks/{theirs.reference}/", {"impact": 1}, format="json").status_code
        == 200
    )
    assert api(world.pm).put(f"/api/risks/{theirs.reference}/", risk_body(), format="json").status_code == 405


def test_a_change_that_blanks_a_required_field_is_refused(api, world, records):
    risk = records.of["PRJ-0001"].risk

    response = api(world.pm).patch(f"/api/risks/{risk.reference}/", {"title": ""}, format="json")

    assert response.status_code == 400 and response.json() == {"title": ["This field may not be blank."]}


# --- Issues ---------------------------------------------------------------------------------------


def test_resolving_an_issue_needs_its_resolution(api, world, records):
    issue = records.of["PRJ-0001"].issue
    client = api(world.pm)

    refused = client.patch(f"/api/issues/{issue.reference}/", {"state": "resolved"}, format="json")
    resolved = client.patch(
        f"/api/issues/{issue.reference}/",
        {"state": "resolved", "resolution": "Serveur remplacé."},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json() == {"resolution": ["Say how the issue was resolved: the resolution is required."]}
    assert resolved.status_code == 200
    assert resolved.json()["resolved_on"] == TODAY.isoformat()


def test_recording_an_issue(api, world, records):
    created = api(world.pm).post(
        "/api/issues/", {"title": "Licence expirée", "project": "PRJ-0001", "severity": "high"}, format="json"
    )
    refused = api(world.pm).post("/api/issues/", {"title": "Ailleurs", "project": "PRJ-0002"}, format="json")

    assert created.status_code == 201, created.content
    assert Issue.objects.get(reference=created.json()["reference"]).severity == "high"
    assert refused.status_code == 403


# --- Actions --------------------------------------------------------------------------------------


def test_the_owner_marks_their_action_done_with_a_note(api, world, records):
    url = f"/api/actions/{records.action.reference}/"
    client = api(world.pm)

    refused = client.patch(url, {"state": "done"}, format="json")
    done = client.patch(url, {"state": "done", "completion_note": "Chiffrage transmis."}, format="json")

    assert refused.status_code == 400
    assert refused.json() == {"completion_note": ["Say in a few words what was done."]}
    assert done.status_code == 200
    assert done.json()["state"] == "done" and done.json()["completed_on"] == TODAY.isoformat()


def test_who_may_change_an_action(api, world, records):
    url = f"/api/actions/{records.action.reference}/"

    assert api(world.member).patch(url, {"state": "in_progress"}, format="json").status_code == 403
    assert api(world.executive).patch(url, {"state": "in_progress"}, format="json").status_code == 403
    assert api(world.pmo).patch(url, {"state": "in_progress"}, format="json").status_code == 200
    hidden = f"/api/actions/{records.secret_action.reference}/"
    assert api(world.pm).patch(hidden, {"state": "in_progress"}, format="json").status_code == 404


def test_a_mitigation_action_for_a_risk(api, world, records):
    risk = records.of["PRJ-0001"].risk
    body = {
        "title": "Binômer l'architecte",
        "owner": "pm",
        "due_date": (TODAY + timedelta(days=10)).isoformat(),
    }

    created = api(world.pm).post("/api/actions/", {**body, "risk": risk.reference}, format="json")
    refused = api(world.pm).post(
        "/api/actions/", {**body, "risk": records.of["PRJ-0002"].risk.reference}, format="json"
    )
    neither = api(world.pm).post("/api/actions/", body, format="json")

    assert created.status_code == 201, created.content
    action = Action.objects.get(reference=created.json()["reference"])
    assert action.origin == Action.Origin.RISK and list(action.risks.all()) == [risk]
    assert created.json()["project"] == "PRJ-0001"
    assert refused.status_code == 403
    assert neither.status_code == 400
    assert neither.json() == {
        "non_field_errors": ["Give either the risk or the meeting the action comes from."]
    }


def test_an_action_recorded_in_a_meeting_under_way(api, world, records):
    meeting = records.meeting
    body = {
        "title": "Rédiger le cahier des charges",
        "owner": "member",
        "due_date": (TODAY + timedelta(days=14)).isoformat(),
        "meeting": meeting.pk,
    }
    client = api(world.pmo)

    not_started = client.post("/api/actions/", body, format="json")
    services.meeting_start(meeting=meeting, by=world.pmo)
    by_a_reader = api(world.member).post("/api/actions/", body, format="json")
    elsewhere = client.post("/api/actions/", {**body, "decision": records.decision.reference}, format="json")
    taken = services.decision_record(
        committee=meeting.committee, meeting=meeting, title="Lancer l'appel d'offres", by=world.pmo
    )
    recorded = client.post("/api/actions/", {**body, "decision": taken.reference}, format="json")

    assert not_started.status_code == 400 and not_started.json() == {"meeting": ["Start the meeting first."]}
    assert by_a_reader.status_code == 403
    assert elsewhere.status_code == 400
    assert elsewhere.json() == {"decision": ["This decision was not taken in this meeting."]}
    assert recorded.status_code == 201, recorded.content
    action = recorded.json()
    assert (action["meeting"], action["decision"], action["owner"]["username"]) == (
        meeting.pk,
        taken.reference,
        "member",
    )
    assert Meeting.objects.get(pk=meeting.pk).revision > meeting.revision


def test_the_audit_trail_names_who_changed_a_record_through_the_api(api, world, records):
    issue = records.of["PRJ-0001"].issue

    response = api(world.pm).patch(f"/api/issues/{issue.reference}/", {"severity": "critical"}, format="json")

    assert response.status_code == 200
    latest = issue.history.order_by("-history_date").first()
    assert (latest.severity, latest.history_user) == ("critical", world.pm)
