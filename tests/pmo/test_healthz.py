from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_with_the_state_of_each_part(client, settings):
    settings.REDIS_URL = None

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"] == {"state": "in-process"}
    assert body["workers"]["state"] == "in-process"
    assert body["status"] == "ok"


def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch("pmo.health.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "vendor": mock.ANY, "error": "OperationalError"}
    assert response.json()["status"] == "down"


def test_an_unreachable_broker_degrades_but_does_not_fail_the_check(client, settings):
    # Port 9 (discard) has nothing listening on these machines.
    settings.REDIS_URL = "redis://:s3cret@127.0.0.1:9/0"
    with mock.patch("pmo.health.celery_app.connection_for_write") as connect:
        connect.return_value.__enter__.return_value.ensure_connection.side_effect = ConnectionRefusedError
        response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["broker"]["state"] == "unreachable"
    assert body["status"] == "degraded"
    assert "s3cret" not in response.content.decode()


def test_healthz_needs_no_sign_in_and_is_never_cached(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
