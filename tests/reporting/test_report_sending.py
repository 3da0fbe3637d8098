"""A report asked for while the workers' queue (the Redis broker) does not answer: the request succeeds,
the report waits marked as not sent, and it is sent once, when the broker is back or when the PMO says
Send again. (The real thing, with Redis stopped and started, is tests/integration/test_faults.py.)"""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from reporting.models import Report
from reporting.periods import Frequency, Period
from reporting.report_forms import period_value
from reporting.reports import report_request, report_send_waiting
from reporting.tasks import build_report, send_waiting_reports
from tests.reporting.test_report_pages import messages_of

pytestmark = pytest.mark.django_db

LAST_MONTH = Period.containing(Frequency.MONTHLY, timezone.localdate()).previous()
REFUSED = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def broker_down():
    with mock.patch.object(build_report, "delay", side_effect=REFUSED) as delay:
        yield delay


@pytest.fixture
def broker_up():
    with mock.patch.object(build_report, "delay") as delay:
        yield delay


def ask(client, **fields):
    """The PMO's Generate form. Its tests commit (transactional): the report is sent as its row is
    committed, before the page says what became of it."""
    data = {"kind": "monthly", "period": period_value(LAST_MONTH), "language": "en", **fields}
    return client.post(reverse("reporting:report_generate"), data)


def unsent(**fields) -> Report:
    report = Report.objects.create(
        **{"kind": "monthly", "period": LAST_MONTH.start, "language": "en", **fields}
    )
    assert report.is_unsent
    return report


@pytest.mark.django_db(transaction=True)
def test_a_report_asked_for_while_the_broker_does_not_answer_is_accepted_and_shown_waiting(
    client, world, broker_down
):
    client.force_login(world.pmo)

    response = ask(client)

    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    broker_down.assert_called_once_with(report.pk)
    assert (report.state, report.sent, report.error) == (Report.State.QUEUED, False, "")
    assert messages_of(response) == [
        "The report is saved, but the queue of the workers that build reports does not answer: the "
        "report waits and is sent to them as soon as the queue is back."
    ]
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Waiting" in page and "did not answer: the report waits here" in page
    assert 'hx-trigger="every 2s"' in page  # the page follows it, and shows it built when it is
    assert reverse("reporting:report_retry", args=[report.pk]) in page and "Send again" in page


@pytest.mark.django_db(transaction=True)
def test_a_report_sent_to_a_broker_that_answers_is_marked_sent(client, world, broker_up):
    client.force_login(world.pmo)

    response = ask(client)

    report = Report.objects.get()
    broker_up.assert_called_once_with(report.pk)
    assert (report.state, report.sent) == (Report.State.QUEUED, True)
    assert messages_of(response) == ["The report is asked for: it is built in the background."]
    page = client.get(report.get_absolute_url()).content.decode()
    assert "The report is waiting for a worker." in page and "Send again" not in page


def test_the_waiting_reports_not_sent_are_sent_once_each_in_the_order_they_were_asked_for(world, broker_up):
    first, second = unsent(), unsent(directorate=world.it)
    Report.objects.create(kind="weekly", period=LAST_MONTH.start, language="en", sent=True)  # in the queue
    Report.objects.create(kind="quarterly", period=LAST_MONTH.start, language="en", state="failed")

    assert send_waiting_reports() == 2

    assert broker_up.call_args_list == [mock.call(first.pk), mock.call(second.pk)]
    assert set(Report.objects.filter(sent=False).values_list("kind", flat=True)) == {"quarterly"}
    assert report_send_waiting() == 0  # a second worker connecting sends nothing again
    assert broker_up.call_count == 2


def test_sending_the_waiting_reports_stops_when_the_broker_refuses_again(broker_down):
    reports = [unsent(), unsent(language="fr")]

    assert report_send_waiting() == 0

    broker_down.assert_called_once_with(reports[0].pk)  # not once per report against a dead broker
    assert all(report.is_unsent for report in Report.objects.all())


def test_the_pmo_sends_a_waiting_report_again(client, world):
    report = unsent()
    client.force_login(world.pmo)
    url = reverse("reporting:report_retry", args=[report.pk])

    with mock.patch.object(build_report, "delay", side_effect=REFUSED):
        still_down = client.post(url)
    report.refresh_from_db()
    assert report.is_unsent
    assert "does not answer" in " ".join(messages_of(still_down))

    with mock.patch.object(build_report, "delay") as delay:
        back = client.post(url)
    delay.assert_called_once_with(report.pk)
    report.refresh_from_db()
    assert (report.state, report.sent) == (Report.State.QUEUED, True)
    assert messages_of(back)[-1] == "The report is sent to the workers."
    assert "Send again" not in client.get(report.get_absolute_url()).content.decode()


def test_a_report_built_by_the_process_that_asks_for_it_is_never_sent(world, broker_up):
    report, _created = report_request(kind="monthly", period=LAST_MONTH, language="en", queue=False)

    assert report_send_waiting() == 0
    broker_up.assert_not_called()
    assert not report.is_unsent
