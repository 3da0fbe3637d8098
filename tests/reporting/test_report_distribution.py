"""Emailed links to reports: the Reports page's toggle, and who gets what when a report is done."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from reporting import reports as services
from reporting.distribution import distribute
from reporting.models import Report, ReportSubscription
from tests.factories import ProjectFactory
from tests.reporting.test_report_pages import (  # noqa: F401  (the fixture is used by name)
    LAST_MONTH,
    _media_and_fast_reports,
    built,
    sign_in,
)

pytestmark = pytest.mark.django_db


def test_a_reader_subscribes_and_unsubscribes(client, world):
    sign_in(client, world.executive)
    url = reverse("reporting:report_subscribe")
    client.post(url, {"kind": "weekly", "subscribe": "1"})
    assert list(ReportSubscription.objects.values_list("user", "kind", "language")) == [
        (world.executive.pk, "weekly", "en")
    ]
    assert "Emailed to you when it is ready" in client.get(reverse("reporting:reports")).content.decode()
    client.post(url, {"kind": "weekly", "subscribe": "0"})
    assert not ReportSubscription.objects.exists()
    sign_in(client, world.pm)
    assert client.post(url, {"kind": "weekly", "subscribe": "1"}).status_code == 403


def test_only_the_first_whole_portfolio_report_goes_to_readers_subscribed_in_its_language(world):
    ReportSubscription.objects.create(user=world.executive, kind="monthly", language="en")
    ReportSubscription.objects.create(user=world.pmo, kind="monthly", language="fr")
    ReportSubscription.objects.create(user=world.pm, kind="monthly", language="en")  # not a reader
    ReportSubscription.objects.create(user=world.admin, kind="weekly", language="en")

    assert distribute(built(Report.Kind.MONTHLY, directorate=world.it)) == 0
    whole = built(Report.Kind.MONTHLY)
    assert distribute(whole) == 1
    assert mail.outbox[0].to == [world.executive.email]
    assert whole.subtitle in mail.outbox[0].subject
    mail.outbox.clear()
    assert distribute(built(Report.Kind.MONTHLY, version=2)) == 0  # a correction is not sent again
    assert mail.outbox == []


def test_an_unreachable_mail_server_does_not_fail_the_report(world, monkeypatch):
    ReportSubscription.objects.create(user=world.executive, kind="monthly", language="en")

    class Refusing:
        def send_messages(self, messages):
            raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("reporting.distribution.get_connection", Refusing)
    ProjectFactory(directorate=world.it)
    report, _created = services.report_request(kind="monthly", period=LAST_MONTH, language="en", queue=False)

    services.report_build(report.pk)

    report.refresh_from_db()
    assert report.state == Report.State.DONE, report.error
    assert report.file.open("rb").read(4) == b"%PDF"
