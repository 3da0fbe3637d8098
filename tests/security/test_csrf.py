"""Every request that may change something needs the CSRF token, the htmx ones included."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from governance.services import meeting_start
from tests.security.test_url_permissions import CASES, ROLES, things  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

ADMIN = ROLES.index("admin")
# Every URL that takes a POST from an administrator (signing out and the language switch included).
POSTS = [case for case in CASES if case.post.split()[ADMIN] not in {"405"}]


@pytest.mark.parametrize("case", POSTS, ids=[case.id for case in POSTS])
def test_a_post_without_the_csrf_token_is_refused(case, world, things):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    url = reverse(case.name, kwargs=case.kwargs(things))

    with transaction.atomic():
        response = client.post(url, HTTP_HX_REQUEST="true")
        transaction.set_rollback(True)

    assert response.status_code == 403
    assert b"CSRF" in response.content


def test_the_sign_in_form_needs_the_token_too(world):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "pm", "password": world.password})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_htmx_requests_carry_the_token_every_page_puts_in_their_headers(world, things):  # noqa: F811
    """base.html gives htmx the token (hx-headers); a request sending it back in X-CSRFToken passes."""
    meeting_start(meeting=things.meeting, by=world.pmo)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.pmo)
    page = client.get(reverse("governance:meeting_live", args=[things.meeting.pk])).content.decode()
    token = page.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]

    response = client.post(
        reverse("governance:live_minutes", args=[things.meeting.pk, things.item.pk]),
        {"minutes": "Le lot 2 est validé."},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 200
    things.item.refresh_from_db()
    assert things.item.minutes == "Le lot 2 est validé."
