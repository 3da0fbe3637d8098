"""What once made the API answer 500: a change that puts a record out of its author's sight, bodies
Python reads but no answer can carry (half a surrogate pair, nesting 5,000 deep), the database down.
Each now has its answer, in JSON."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

from risks.models import Issue, Risk
from risks.services import issue_create
from tests.api.test_status_writes import URL as STATUS_URL
from tests.factories import make_risk

pytestmark = pytest.mark.django_db

SURROGATE = '"\\ud800"'  # the JSON text of a string holding half of a UTF-16 surrogate pair


# --- A change that puts the record out of its author's sight ---------------------------------------------


@pytest.fixture
def handed_over(world, records):
    """The member owns a risk and an issue about the confidential project, which they may not open."""
    risk = make_risk(project=records.secret, owner=world.member, by=world.other_pm, title="Fuite")
    issue = issue_create(
        issue=Issue(project=records.secret, owner=world.member, title="Panne"), by=world.other_pm
    )
    return risk, issue


def test_an_owner_who_hands_over_their_risk_is_told_it_is_saved(api, world, records, handed_over):
    risk, _issue = handed_over

    response = api(world.member).patch(f"/api/risks/{risk.reference}/", {"owner": "pm"}, format="json")

    assert response.status_code == 204
    assert Risk.objects.get(pk=risk.pk).owner == world.pm
    assert api(world.member).get(f"/api/risks/{risk.reference}/").status_code == 404


def test_an_owner_who_hands_over_their_issue_is_told_it_is_saved(api, world, records, handed_over):
    _risk, issue = handed_over

    response = api(world.member).patch(f"/api/issues/{issue.reference}/", {"owner": "pm"}, format="json")

    assert response.status_code == 204
    assert Issue.objects.get(pk=issue.pk).owner == world.pm


def test_an_owner_who_keeps_sight_of_the_risk_reads_it_back(api, world, records):
    risk = records.of["PRJ-0001"].risk  # pm's project: pm still reads it after handing it over

    response = api(world.pm).patch(f"/api/risks/{risk.reference}/", {"owner": "member"}, format="json")

    assert response.status_code == 200 and response.json()["owner"]["username"] == "member"


# --- Bodies no answer can carry ---------------------------------------------------------------------------


def choice_fields(records) -> list[tuple[str, str, str, dict]]:
    """(method, url, field, the rest of a valid body) for every choice field the API accepts."""
    risk = records.of["PRJ-0001"].risk.reference
    issue = records.of["PRJ-0001"].issue.reference
    action = records.action.reference
    new_risk = {"title": "Départ", "project": "PRJ-0001", "probability": 3, "impact": 3}
    risk_choices = ["kind", "probability", "impact", "response", "residual_probability", "residual_impact"]
    rags = ["overall_rag", "schedule_rag", "cost_rag", "scope_rag", "resources_rag"]
    return [
        *[("post", "/api/risks/", field, new_risk) for field in risk_choices],
        *[("patch", f"/api/risks/{risk}/", field, {}) for field in risk_choices],
        *[
            ("post", "/api/issues/", field, {"title": "Panne", "project": "PRJ-0001"})
            for field in ("severity", "state")
        ],
        *[("patch", f"/api/issues/{issue}/", field, {}) for field in ("severity", "state")],
        *[("post", STATUS_URL.format(code="PRJ-0001"), field, {"summary": "Recette."}) for field in rags],
        ("patch", f"/api/actions/{action}/", "state", {}),
    ]


def send(client, method: str, url: str, body: str):
    return client.generic(method.upper(), url, body, content_type="application/json")


def test_half_a_surrogate_pair_in_any_choice_field_is_refused_with_a_message(api, world, records):
    client = api(world.pmo)
    answers = {}
    for method, url, field, rest in choice_fields(records):
        body = json.dumps(rest)[:-1] + ("," if rest else "") + f'"{field}": {SURROGATE}}}'
        response = send(client, method, url, body)
        answers[(method, url, field)] = (response.status_code, response.json().get("detail", ""))

    assert len(answers) == 22
    message = (
        "JSON parse error: a string holds half of a UTF-16 surrogate pair (\\ud800 to \\udfff alone), "
        "which is not text."
    )
    assert set(answers.values()) == {(400, message)}


def test_a_full_surrogate_pair_is_text(api, world, records):
    risk = records.of["PRJ-0001"].risk
    body = '{"title": "Risque \\ud83d\\ude80"}'  # a rocket, written as its UTF-16 pair

    response = send(api(world.pmo), "patch", f"/api/risks/{risk.reference}/", body)

    assert response.status_code == 200 and response.json()["title"] == "Risque \U0001f680"


@pytest.mark.parametrize(
    "body",
    ["[" * 5000 + "]" * 5000, '{"a": ' * 5000 + "1" + "}" * 5000, '{"title": ' + "[" * 40 + "]" * 40 + "}"],
    ids=["lists 5,000 deep", "objects 5,000 deep", "40 deep"],
)
def test_a_body_nested_too_deep_is_refused_with_a_message(api, world, records, body):
    response = send(api(world.pmo), "post", "/api/risks/", body)

    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error: the body is nested more than 32 levels deep."}


# --- The database down ----------------------------------------------------------------------------------


def database_down():
    """Every new query fails as when PostgreSQL is unreachable."""
    return mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("server closed"))


def test_with_the_database_down_the_api_answers_503_in_json(api, world, records):
    client = api(world.pmo)
    client.raise_request_exception = False
    with database_down():
        read = client.get("/api/projects/")
        write = client.patch(
            f"/api/risks/{records.of['PRJ-0001'].risk.reference}/", {"impact": 1}, format="json"
        )

    for response in (read, write):
        assert response.status_code == 503
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "The database is unavailable: try again in a moment."}
        assert response["Retry-After"] == "30"


def test_with_the_database_down_a_page_answers_503_with_a_page_saying_so(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.pm)
    with database_down():
        page = client.get("/portfolio/mine/", HTTP_ACCEPT_LANGUAGE="en")
        api_page = client.get("/api/risks/", HTTP_ACCEPT_LANGUAGE="en")  # with the session, read first

    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert "The database is not answering" in page.content.decode()
    assert api_page.status_code == 503 and "database is unavailable" in api_page.json()["detail"]
