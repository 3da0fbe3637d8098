"""A user's language preference (My preferences): the emails they receive, the reports they subscribe
to and, once signed in, the interface are in it, whatever the site's default."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance.services import action_create, agenda_add
from governance.tasks import send_action_reminders
from reporting.distribution import distribute
from reporting.models import Report, ReportSubscription
from tests.factories import CommitteeFactory, planned_meeting
from tests.reporting.test_report_pages import (  # noqa: F401  (the fixture is used by name)
    _media_and_fast_reports,
    built,
)

pytestmark = pytest.mark.django_db


def prefers(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_a_user_sets_their_language_on_their_profile_and_the_interface_follows(client, world):
    client.force_login(world.pm)
    page = client.get(reverse("profile")).content.decode()
    assert (
        "Mes préférences" in page
        and reverse("profile") in client.get(reverse("home"), follow=True).content.decode()
    )

    response = client.post(reverse("profile"), {"language": "en"})

    assert response.status_code == 302
    world.pm.refresh_from_db()
    assert world.pm.language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]  # another browser: no switcher choice yet
    assert "My preferences" in client.get(reverse("profile")).content.decode()


def test_an_action_reminder_is_in_its_owners_language_whatever_the_sites(world, settings):
    settings.LANGUAGE_CODE = "fr"
    due = timezone.localdate() - timedelta(days=2)
    action_create(title="Relancer le fournisseur", owner=prefers(world.pm, "en"), due_date=due, by=world.pmo)
    action_create(title="Chiffrer le lot 2", owner=world.member, due_date=due, by=world.pmo)

    assert send_action_reminders() == 2

    to_pm = next(message for message in mail.outbox if message.to == [world.pm.email])
    to_member = next(message for message in mail.outbox if message.to == [world.member.email])
    assert to_pm.subject == "Your actions: 1 overdue"
    assert "These actions are overdue:" in to_pm.body and "Relancer le fournisseur" in to_pm.body
    assert to_member.subject == "Vos actions : 1 en retard"


def test_an_invitation_is_in_each_members_language(client, world):
    committee = CommitteeFactory(secretary=world.pmo, members=[prefers(world.member, "en"), world.executive])
    meeting = planned_meeting(
        committee=committee, starts_at=datetime(2031, 3, 4, 9, 30, tzinfo=ZoneInfo("Africa/Casablanca"))
    )
    agenda_add(meeting=meeting, title="Arbitrage budget 2027")
    client.force_login(world.pmo)

    client.post(reverse("governance:meeting_invite", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="fr")

    by_address = {message.to[0]: message for message in mail.outbox}
    assert "March" in by_address[world.member.email].subject
    assert "Agenda:" in by_address[world.member.email].body
    assert "mars" in by_address[world.executive.email].subject
    assert "Ordre du jour" in by_address[world.executive.email].body
    event = by_address[world.member.email].attachments[0]
    assert "Arbitrage budget 2027" in str(event[1])


def test_a_subscriber_gets_the_report_built_in_their_language(world):
    # Subscribed while reading French, then chose English on their profile.
    ReportSubscription.objects.create(user=prefers(world.executive, "en"), kind="monthly", language="fr")
    ReportSubscription.objects.create(user=world.pmo, kind="monthly", language="fr")
    french, english = built(Report.Kind.MONTHLY, language="fr"), built(Report.Kind.MONTHLY, language="en")

    assert distribute(french) == 1
    assert mail.outbox[0].to == [world.pmo.email]
    assert distribute(english) == 1
    assert mail.outbox[1].to == [world.executive.email]
    assert english.download_url() in mail.outbox[1].body
    assert mail.outbox[1].body.startswith("Hello")


def test_subscribing_records_the_readers_preferred_language(client, world):
    client.force_login(prefers(world.executive, "en"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"  # reading the French interface today

    client.post(reverse("reporting:report_subscribe"), {"kind": "weekly", "subscribe": "1"})

    assert ReportSubscription.objects.get(user=world.executive).language == "en"
