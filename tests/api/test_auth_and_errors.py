"""How the API authenticates and how it answers errors: token for integrations, session (with its CSRF
check) for the browser, JSON for every error, the schema and its documentation for signed-in users."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.exceptions import exception_handler

pytestmark = pytest.mark.django_db


def test_a_token_authenticates_and_a_bad_one_is_a_401_in_json(api, world, records):
    good = api(world.pm).get("/api/projects/")
    bad = APIClient(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION="Token not-a-token").get("/api/projects/")

    assert good.status_code == 200
    assert bad.status_code == 401
    assert bad["Content-Type"] == "application/json"
    assert bad.json() == {"detail": "Invalid token."}
    assert bad["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/projects/"),
        ("get", "/api/projects/PRJ-0001/"),
        ("post", "/api/projects/PRJ-0001/status-reports/"),
        ("post", "/api/risks/"),
        ("patch", "/api/actions/ACT-2026-0001/"),
        ("get", "/api/kpi-measurements/"),
        ("get", "/api/schema/"),
    ],
)
def test_without_credentials_every_endpoint_answers_401_in_json(world, records, method, url):
    response = getattr(APIClient(HTTP_ACCEPT_LANGUAGE="en"), method)(url)

    assert response.status_code == 401
    assert json.loads(response.content) == {"detail": "Authentication credentials were not provided."}


def test_a_deactivated_users_token_stops_working(api, world, records):
    client = api(world.pm)
    world.pm.is_active = False
    world.pm.save(update_fields=["is_active"])

    response = client.get("/api/projects/")

    assert response.status_code == 401 and response.json() == {"detail": "User inactive or deleted."}


def test_the_browsers_session_works_and_its_writes_need_the_csrf_token(world, records):
    browser = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(world.pm)

    read = browser.get("/api/projects/")
    write = browser.patch(
        f"/api/actions/{records.action.reference}/", {"state": "in_progress"}, format="json"
    )
    browser.get("/accounts/api-token/")  # any page of the app sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    with_token = browser.patch(
        f"/api/actions/{records.action.reference}/",
        {"state": "in_progress"},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json() == {"detail": "CSRF Failed: CSRF cookie not set."}
    assert with_token.status_code == 200


def test_a_url_under_api_that_matches_nothing_is_a_json_404(api, world):
    response = api(world.pm).get("/api/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_body_that_is_not_json_is_refused_in_json(api, world, records):
    client = api(world.pm)

    garbled = client.generic("POST", "/api/risks/", "{not json", content_type="application/json")
    form = client.post("/api/risks/", {"title": "x"})  # a form post: the API speaks JSON only

    assert garbled.status_code == 400 and "detail" in garbled.json()
    assert form.status_code == 415 and "detail" in form.json()


def test_a_models_validation_error_becomes_a_400_per_field_never_a_500():
    error = ValidationError({"residual_reason": ["Say why."], "__all__": ["One home only."]})

    response = exception_handler(error, {})

    assert response.status_code == 400
    assert response.data == {"residual_reason": ["Say why."], "non_field_errors": ["One home only."]}
    assert exception_handler(ValidationError("Plain message."), {}).data == {
        "non_field_errors": ["Plain message."]
    }


def test_the_schema_and_its_documentation_are_for_signed_in_users(client, api, world):
    schema = api(world.member).get("/api/schema/")
    client.force_login(world.member)
    docs = client.get("/api/docs/")
    script = client.get("/api/docs/", {"script": ""})
    client.logout()

    assert schema.status_code == 200 and schema["Content-Type"].startswith("application/vnd.oai.openapi+json")
    body = json.loads(schema.content)
    assert body["openapi"].startswith("3.") and "/api/projects/{code}/status-reports/" in body["paths"]
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "<script>" not in page and "<style>" not in page, "no inline script or style (CSP)"
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "?script=" in page
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "validatorUrl" in script.content.decode()  # set to null: no badge fetched from the internet
    assert client.get("/api/docs/").status_code == 302  # signed out: to the sign-in page


def test_the_schema_is_valid_and_generates_without_warnings():
    out = io.StringIO()

    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out)

    schema = json.loads(out.getvalue())
    assert {"/api/projects/", "/api/risks/{reference}/", "/api/kpi-measurements/"} <= set(schema["paths"])
    errors = schema["paths"]["/api/risks/"]["post"]["responses"]
    assert {"201", "400", "401", "403"} <= set(errors)


# --- The token page ---------------------------------------------------------------------------------


def test_a_user_makes_replaces_and_revokes_their_token(client, world):
    client.force_login(world.pm)

    first = client.post("/accounts/api-token/", {"action": "create"}, HTTP_ACCEPT_LANGUAGE="en")
    key = first.context["new_key"]
    again = client.get("/accounts/api-token/", HTTP_ACCEPT_LANGUAGE="en")
    replaced = client.post("/accounts/api-token/", {"action": "rotate"}, HTTP_ACCEPT_LANGUAGE="en")
    new_key = replaced.context["new_key"]

    assert key in first.content.decode()
    assert key not in again.content.decode(), "the key is shown once, when it is made"
    assert new_key != key
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/projects/").status_code == 401
    assert APIClient(HTTP_AUTHORIZATION=f"Token {new_key}").get("/api/projects/").status_code == 200
    client.post("/accounts/api-token/", {"action": "revoke"})
    assert not Token.objects.filter(user=world.pm).exists()
    assert APIClient(HTTP_AUTHORIZATION=f"Token {new_key}").get("/api/projects/").status_code == 401


def test_the_token_page_needs_a_sign_in(client):
    assert client.get("/accounts/api-token/").status_code == 302


def test_an_administrator_makes_a_token_from_the_command_line(world):
    out = io.StringIO()

    call_command("drf_create_token", "member", stdout=out)

    assert Token.objects.get(user=world.member).key in out.getvalue()


# --- Input PostgreSQL would refuse (found by bin/api-check on PostgreSQL) -------------------------------


def test_a_nul_character_in_a_code_or_a_reference_names_nothing(api, world, records):
    client = api(world.pmo)

    in_path = client.get("/api/projects/PRJ%000001/")
    in_submission = client.post("/api/projects/PRJ%000001/status-reports/", {}, format="json")
    in_body = client.post(
        "/api/actions/",
        {"title": "x", "owner": "p\x00mo", "due_date": "2031-01-01", "risk": "R\x00"},
        format="json",
    )

    assert in_path.status_code == 404 and in_submission.status_code == 404
    assert in_body.status_code == 400
    assert in_body.json() == {"owner": ["Give a login."], "risk": ["Give a reference."]}


def test_a_moment_is_taken_to_utc_and_one_that_is_not_a_moment_is_a_400(api, world, records):
    client = api(world.pmo)

    # An offset Python parses and PostgreSQL refuses (beyond ±15:59): read in UTC, it is a moment.
    odd_offset = client.get("/api/meetings/", {"starts_at_after": "0628-04-20T23:53:20+17:13"})
    before_year_one = client.get("/api/meetings/", {"starts_at_before": "0001-01-01T01:00:00+05:00"})

    assert odd_offset.status_code == 200 and odd_offset.json()["count"] == 1
    assert before_year_one.status_code == 400 and set(before_year_one.json()) == {"starts_at"}


def test_a_token_request_leaves_no_session_behind(api, world, records):
    from django.contrib.sessions.models import Session

    response = api(world.pm).get("/api/projects/")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()
