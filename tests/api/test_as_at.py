"""The API's lists as at a past day say what the dashboard's tile counted then (tests/reporting/
test_consistency.py compares them at random portfolios); here, the day itself: a past day reads then,
today or later reads now, and a day before the records start is refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from governance.models import Action

pytestmark = pytest.mark.django_db


def overdue(client, **params) -> int:
    response = client.get("/api/actions/", {"overdue": "true", **params})
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_an_action_done_since_a_past_day_was_overdue_then_and_is_not_now(api, world):
    today = timezone.localdate()
    Action.objects.create(
        reference="ACT-2026-9999",
        title="Relancer le fournisseur",
        owner=world.pm,
        due_date=today - timedelta(days=20),
        state=Action.State.DONE,
        completed_on=today - timedelta(days=2),
    )
    client = api(world.pmo)
    assert overdue(client) == 0

    assert overdue(client, as_at=(today - timedelta(days=10)).isoformat()) == 1
    assert overdue(client, as_at=(today + timedelta(days=30)).isoformat()) == 0  # not past: now


def test_a_day_before_the_records_start_is_refused(api, world, records):
    response = api(world.pmo).get("/api/projects/", {"as_at": "1999-12-31"})

    assert response.status_code == 400
    assert "as_at" in response.json()
