"""Sign-in protection: repeated wrong passwords lock the account out, idle sessions end, and every page
carries the security headers (Content Security Policy, no framing)."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from pmo.middleware import ACTIVITY_KEY

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(
        reverse("login"), {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_five_wrong_passwords_lock_the_account_out_even_for_the_right_one(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert "Please enter a correct username" in sign_in(client, "pm", "wrong").content.decode()

    locked = sign_in(client, "pm", "wrong")
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()
    assert "Try again in 15 minutes" in locked.content.decode()

    still_locked = sign_in(client, "pm", world.password)
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_for_that_account_only(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "pm", "wrong")

    sign_in(client, "pmo", world.password)

    assert client.session["_auth_user_id"] == str(world.pmo.pk)


def test_a_successful_sign_in_forgets_the_earlier_mistakes(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "pm", "wrong")
    sign_in(client, "pm", world.password)
    client.post(reverse("logout"))

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "pm", "wrong")
    sign_in(client, "pm", world.password)

    assert client.session["_auth_user_id"] == str(world.pm.pk)


def test_a_weak_password_is_refused_with_the_reasons(client, world):
    client.force_login(world.pm)
    response = client.post(
        reverse("password_change"),
        {"old_password": world.password, "new_password1": "12345678", "new_password2": "12345678"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    page = response.content.decode()
    assert "This password is too short. It must contain at least 10 characters." in page
    assert "This password is too common." in page
    assert "This password is entirely numeric." in page


def test_a_session_idle_longer_than_the_timeout_is_signed_out(client, world):
    client.force_login(world.pm)
    assert client.get("/portfolio/mine/").status_code == 200

    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())

    response = client.get("/portfolio/mine/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_activity_pushes_the_expiry_back_at_most_once_a_minute(client, world, settings):
    settings.SESSION_ACTIVITY_RESOLUTION = 60
    client.force_login(world.pm)
    client.get("/portfolio/mine/")
    key = client.session.session_key
    first_expiry = Session.objects.get(session_key=key).expire_date

    client.get("/portfolio/mine/")
    assert Session.objects.get(session_key=key).expire_date == first_expiry, "saved again within a minute"

    session = client.session
    session[ACTIVITY_KEY] = int(time.time()) - settings.SESSION_ACTIVITY_RESOLUTION
    session.save()
    saved_expiry = Session.objects.get(session_key=key).expire_date
    Session.objects.filter(session_key=key).update(expire_date=saved_expiry - timezone.timedelta(minutes=5))

    client.get("/portfolio/mine/")
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > saved_expiry - timezone.timedelta(minutes=5)
    assert renewed >= timezone.now() + timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


@pytest.mark.parametrize("path", ["/accounts/login/", "/portfolio/mine/"])
def test_pages_carry_a_content_security_policy_without_inline_scripts(client, world, path):
    client.force_login(world.pm)

    response = client.get(path)

    policy = dict(
        directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
