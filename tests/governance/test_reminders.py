from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from governance.models import Action
from governance.services import action_create
from governance.tasks import send_action_reminders
from pmo.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def an_action(owner, *, due_in: int, state: str = Action.State.OPEN, title: str = "") -> Action:
    today = timezone.localdate()
    action = action_create(
        title=title or f"Action à {due_in} jours",
        owner=owner,
        due_date=today + timedelta(days=due_in),
        by=owner,
    )
    if state != Action.State.OPEN:
        Action.objects.filter(pk=action.pk).update(state=state)
    return action


def test_each_owner_gets_one_email_listing_actions_due_within_three_days_and_overdue(world):
    overdue = an_action(world.pm, due_in=-5, title="Plan de rattrapage")
    soon = an_action(world.pm, due_in=3, title="Chiffrage du lot 2")
    later = an_action(world.pm, due_in=4, title="Atelier de cadrage")
    other = an_action(world.member, due_in=0, title="Avis conformité")

    assert send_action_reminders() == 2

    assert sorted(tuple(message.to) for message in mail.outbox) == [(world.member.email,), (world.pm.email,)]
    to_pm = next(message for message in mail.outbox if message.to == [world.pm.email])
    assert overdue.reference in to_pm.body and "Plan de rattrapage" in to_pm.body
    assert soon.reference in to_pm.body
    assert later.reference not in to_pm.body
    assert other.reference not in to_pm.body
    today = timezone.localdate()
    assert set(Action.objects.filter(last_reminded_on=today).values_list("pk", flat=True)) == {
        overdue.pk, soon.pk, other.pk,
    }  # fmt: skip


def test_a_second_run_the_same_day_sends_nothing(world):
    an_action(world.pm, due_in=1)
    send_action_reminders()

    assert send_action_reminders() == 0
    assert len(mail.outbox) == 1


def test_an_action_reminded_yesterday_is_reminded_again_today(world):
    action = an_action(world.pm, due_in=-1)
    Action.objects.filter(pk=action.pk).update(last_reminded_on=timezone.localdate() - timedelta(days=1))

    assert send_action_reminders() == 1


def test_done_and_cancelled_actions_are_not_reminded(world):
    an_action(world.pm, due_in=-3, state=Action.State.DONE)
    an_action(world.pm, due_in=1, state=Action.State.CANCELLED)
    in_progress = an_action(world.pm, due_in=2, state=Action.State.IN_PROGRESS)

    send_action_reminders()

    assert len(mail.outbox) == 1 and in_progress.reference in mail.outbox[0].body
    assert Action.objects.exclude(pk=in_progress.pk).filter(last_reminded_on__isnull=False).count() == 0


def test_an_owner_without_email_is_skipped(world):
    no_email = UserFactory(roles=[Role.PROJECT_MANAGER], email="")
    an_action(no_email, due_in=0)

    assert send_action_reminders() == 0 and mail.outbox == []


def test_a_failed_email_leaves_the_actions_to_remind_next_time(world, monkeypatch):
    action = an_action(world.pm, due_in=0)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("governance.tasks.send_mail", refuse)
    assert send_action_reminders() == 0
    action.refresh_from_db()
    assert action.last_reminded_on is None


def test_the_reminders_run_every_morning_at_half_past_seven():
    entry = settings.CELERY_BEAT_SCHEDULE["governance-action-reminders"]

    assert entry["task"] == send_action_reminders.name
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {30}
    assert settings.CELERY_TIMEZONE == "Africa/Casablanca"


def test_an_owner_is_reminded_of_an_action_without_the_project_they_may_not_see(world):
    from tests.factories import ProjectFactory

    secret = ProjectFactory(code="PRJ-0083", name="Fusion Sahel", project_manager=world.pm, confidential=True)
    action = an_action(world.member, due_in=1, title="Relire la note")
    Action.objects.filter(pk=action.pk).update(project=secret)

    send_action_reminders()

    (message,) = mail.outbox
    assert "Relire la note" in message.body
    assert "PRJ-0083" not in message.body and "Fusion Sahel" not in message.body
