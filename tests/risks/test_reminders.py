"""Review discipline: the owner of a risk whose review is overdue gets one email a day listing them."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from pmo.roles import Role
from risks import services
from risks.models import Risk
from risks.tasks import send_review_reminders
from tests.factories import ProjectFactory, UserFactory, make_risk

pytestmark = pytest.mark.django_db


def a_risk(owner, *, review_in: int, title: str = "", **fields) -> Risk:
    risk = make_risk(
        project=ProjectFactory(project_manager=owner),
        owner=owner,
        title=title or f"Revue dans {review_in} jours",
        **fields,
    )
    Risk.objects.filter(pk=risk.pk).update(next_review_on=timezone.localdate() + timedelta(days=review_in))
    risk.refresh_from_db()
    return risk


def test_each_owner_gets_one_email_listing_their_risks_past_review(world, settings):
    settings.SITE_URL = "https://pmo.example.test"
    late = a_risk(world.pm, review_in=-5, title="Retard fournisseur", probability=4, impact=5)
    later = a_risk(world.pm, review_in=-1, title="Budget")
    not_yet = a_risk(world.pm, review_in=0, title="Pas encore")
    other = a_risk(world.member, review_in=-2, title="Conformité")

    assert send_review_reminders() == 2

    assert sorted(tuple(message.to) for message in mail.outbox) == [(world.member.email,), (world.pm.email,)]
    to_pm = next(message for message in mail.outbox if message.to == [world.pm.email])
    assert late.reference in to_pm.body and "Retard fournisseur" in to_pm.body
    assert later.reference in to_pm.body
    assert to_pm.body.index(late.reference) < to_pm.body.index(later.reference)  # the oldest first
    assert f"https://pmo.example.test{late.get_absolute_url()}" in to_pm.body
    assert "20" in to_pm.body  # its score
    assert not_yet.reference not in to_pm.body and other.reference not in to_pm.body
    assert set(Risk.objects.filter(last_reminded_on=timezone.localdate()).values_list("pk", flat=True)) == {
        late.pk, later.pk, other.pk,
    }  # fmt: skip


def test_a_second_run_the_same_day_sends_nothing(world):
    a_risk(world.pm, review_in=-1)
    send_review_reminders()

    assert send_review_reminders() == 0
    assert len(mail.outbox) == 1


def test_a_risk_still_overdue_the_next_day_is_reminded_again(world):
    today = timezone.localdate()
    a_risk(world.pm, review_in=-1)

    assert send_review_reminders(today) == 1
    assert send_review_reminders(today) == 0
    assert send_review_reminders(today + timedelta(days=1)) == 1
    assert send_review_reminders((today + timedelta(days=1)).isoformat()) == 0  # as `celery call` gives it


def test_closed_and_occurred_risks_are_not_reminded(world):
    closed = a_risk(world.pm, review_in=-3)
    services.risk_close(risk=closed, by=world.pm, note="Levé")
    occurred = a_risk(world.pm, review_in=-3)
    services.risk_occurred(risk=occurred, by=world.pm)

    assert send_review_reminders() == 0 and mail.outbox == []


def test_a_reviewed_risk_is_not_reminded(world):
    risk = a_risk(world.pm, review_in=-3)
    services.risk_reassess(risk=risk, by=world.pm, probability=2, impact=2, note="Revu")

    assert send_review_reminders() == 0 and mail.outbox == []


def test_a_risk_reviewed_after_a_reminder_is_not_reminded_again(world):
    today = timezone.localdate()
    risk = a_risk(world.pm, review_in=-3)
    send_review_reminders(today)
    services.risk_reassess(risk=risk, by=world.pm, probability=2, impact=2)

    assert send_review_reminders(today + timedelta(days=1)) == 0


def test_an_owner_without_email_is_skipped(world):
    no_email = UserFactory(roles=[Role.PROJECT_MANAGER], email="")
    a_risk(no_email, review_in=-1)

    assert send_review_reminders() == 0 and mail.outbox == []


def test_a_failed_email_leaves_the_risks_to_remind_next_time(world, monkeypatch):
    risk = a_risk(world.pm, review_in=-1)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("risks.tasks.send_mail", refuse)
    assert send_review_reminders() == 0
    risk.refresh_from_db()
    assert risk.last_reminded_on is None


def test_the_reminders_run_every_morning_at_a_quarter_to_eight():
    entry = settings.CELERY_BEAT_SCHEDULE["risks-review-reminders"]

    assert entry["task"] == send_review_reminders.name
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {45}
