"""The sign-in lockout behind a reverse proxy: wrong passwords lock the client's address out, not the
proxy's (every request comes from the proxy), and an address the client writes itself in
X-Forwarded-For does not escape a lockout."""

import importlib.util
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SETTINGS = Path(__file__).resolve().parents[2] / "pmo" / "settings.py"
PROXY = "10.0.0.2"  # the reverse proxy, as gunicorn sees it
CLIENT, OTHER_CLIENT = "203.0.113.5", "198.51.100.7"
CLIENT_IP_SETTINGS = ("AXES_IPWARE_PROXY_COUNT", "AXES_IPWARE_META_PRECEDENCE_ORDER")


@pytest.fixture
def deployed(monkeypatch, settings):
    """Applies the client-address settings that `pmo/settings.py` derives from the environment."""

    def deploy(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name in CLIENT_IP_SETTINGS:
            setattr(settings, name, getattr(module, name))

    return deploy


def sign_in(client, password: str, *, forwarded_for: str | None, username: str = "pm"):
    """A sign-in through the proxy, which appends the address it saw to X-Forwarded-For."""
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_ACCEPT_LANGUAGE="en",
        **headers,
    )


def test_behind_one_proxy_wrong_passwords_lock_that_client_address_only(client, world, settings, deployed):
    deployed(AXES_PROXY_COUNT="1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", forwarded_for=CLIENT)

    locked = sign_in(client, world.password, forwarded_for=CLIENT)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session

    elsewhere = sign_in(client, world.password, forwarded_for=OTHER_CLIENT)
    assert elsewhere.status_code == 302
    assert client.session["_auth_user_id"] == str(world.pm.pk)


def test_behind_one_proxy_addresses_the_client_writes_do_not_escape_the_lockout(
    client, world, settings, deployed
):
    deployed(AXES_PROXY_COUNT="1")
    # The client sends its own X-Forwarded-For each time; the proxy appends the address it saw.
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", forwarded_for=f"192.0.2.{attempt}, {CLIENT}")

    assert sign_in(client, world.password, forwarded_for=f"192.0.2.99, {CLIENT}").status_code == 429


def test_without_a_proxy_the_x_forwarded_for_header_is_not_believed(client, world, settings, deployed):
    deployed(AXES_PROXY_COUNT="0")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", forwarded_for=f"192.0.2.{attempt}")

    assert sign_in(client, world.password, forwarded_for="192.0.2.99").status_code == 429
