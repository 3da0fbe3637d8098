"""Reports no worker will build unless they are sent again: the broker lost them (Redis restarted without
its data), or their build went silent (its worker killed). The sweep (beat every minute, each worker as
it connects) sends them again, the page says what happened, the PMO may Retry, and each is still built
once. (On the real stack, with Redis and workers killed: tests/integration/test_report_faults.py.)"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reporting.models import Report
from reporting.pdf import kinds
from reporting.periods import Frequency, Period
from reporting.reports import report_build, report_retry, report_sweep
from reporting.tasks import build_report, send_waiting_reports
from tests.factories import ProjectFactory
from tests.reporting.test_report_pages import messages_of

pytestmark = pytest.mark.django_db

LAST_MONTH = Period.containing(Frequency.MONTHLY, timezone.localdate()).previous()


@pytest.fixture(autouse=True)
def _reports_without_charts(settings, tmp_path):
    settings.REPORT_CHARTS = False
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def broker():
    """The broker answers; the ids it is sent are recorded."""
    with mock.patch.object(build_report, "delay") as delay:
        yield delay


def ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def report(**fields) -> Report:
    return Report.objects.create(
        **{"kind": "monthly", "period": LAST_MONTH.start, "language": "en", **fields}
    )


def sent(seconds_ago: float, **fields) -> Report:
    """A report handed to the broker that long ago, and never taken by a worker."""
    return report(sent=True, sent_at=ago(seconds_ago), **fields)


def running(silent_for: float, **fields) -> Report:
    """A report being built, whose build last gave a sign of life that long ago."""
    fields = {"attempts": 1, "builds": 1, **fields}
    return report(
        state=Report.State.RUNNING,
        sent=True,
        sent_at=ago(600),
        started_at=ago(600),
        heartbeat_at=ago(silent_for),
        **fields,
    )


# --- The broker lost the report ---------------------------------------------------------------------


def test_a_report_the_broker_lost_is_sent_again_by_the_sweep_and_a_recent_one_is_not(world, broker):
    lost = sent(settings.REPORT_RESEND_AFTER + 60)
    recent = sent(settings.REPORT_RESEND_AFTER - 60, language="fr")

    assert send_waiting_reports() == 1

    broker.assert_called_once_with(lost.pk)
    lost.refresh_from_db()
    assert (lost.state, lost.sent) == (Report.State.QUEUED, True)
    assert lost.sent_at > ago(5)  # sent now: not again at the next sweep
    assert send_waiting_reports() == 0
    recent.refresh_from_db()
    assert recent.sent_at < ago(60)


@pytest.mark.django_db(transaction=True)  # the report is sent as Retry's transaction commits
def test_the_page_of_a_report_the_broker_lost_says_so_and_the_pmo_retries_it(client, world, broker):
    lost = sent(settings.REPORT_RESEND_AFTER + 60)
    client.force_login(world.pmo)

    page = client.get(lost.get_absolute_url()).content.decode()
    assert "none has taken it (was their queue emptied?): it is sent to them again automatically" in page
    assert "Retry" in page

    answer = client.post(reverse("reporting:report_retry", args=[lost.pk]))

    assert messages_of(answer) == ["The report is asked for again."]
    broker.assert_called_once_with(lost.pk)
    lost.refresh_from_db()
    assert (lost.state, lost.sent) == (Report.State.QUEUED, True)


# --- The build went silent --------------------------------------------------------------------------


def test_a_build_whose_heartbeat_stopped_starts_again_and_the_page_says_so(client, world, broker):
    silent = running(settings.REPORT_HEARTBEAT_TIMEOUT + 5)
    alive = running(1, language="fr")
    client.force_login(world.executive)
    before = client.get(silent.get_absolute_url()).content.decode()
    assert "The build has given no sign of life since" in before

    assert send_waiting_reports() == 1

    broker.assert_called_once_with(silent.pk)
    silent.refresh_from_db()
    assert (silent.state, silent.sent) == (Report.State.QUEUED, True)
    assert silent.interrupted_at is not None
    page = client.get(silent.get_absolute_url()).content.decode()
    assert "(was a worker stopped?): it is starting again." in page and "The build was interrupted at" in page
    alive.refresh_from_db()
    assert alive.state == Report.State.RUNNING and alive.interrupted_at is None

    built = report_build(silent.pk)
    assert (built.state, built.attempts, built.builds) == (Report.State.DONE, 2, 2)


def test_a_report_interrupted_too_often_fails_instead_of_starting_again(world, broker):
    worn = running(settings.REPORT_HEARTBEAT_TIMEOUT + 5, attempts=settings.REPORT_MAX_ATTEMPTS)

    assert report_sweep() == 0

    broker.assert_not_called()
    worn.refresh_from_db()
    assert worn.state == Report.State.FAILED
    assert f"interrupted {settings.REPORT_MAX_ATTEMPTS} times" in worn.error


@pytest.mark.django_db(transaction=True)
def test_the_pmo_retries_a_silent_build_but_not_one_that_is_alive(client, world, broker):
    silent = running(settings.REPORT_HEARTBEAT_TIMEOUT + 5)
    alive = running(1, language="fr")
    client.force_login(world.pmo)
    assert "Retry" in client.get(silent.get_absolute_url()).content.decode()
    assert "Retry" not in client.get(alive.get_absolute_url()).content.decode()

    regenerate = client.post(reverse("reporting:report_regenerate", args=[silent.pk]))
    assert messages_of(regenerate) == ["No worker is building this report: Retry sends it to them again."]
    retried = client.post(reverse("reporting:report_retry", args=[silent.pk]))
    refused = client.post(reverse("reporting:report_retry", args=[alive.pk]))

    assert messages_of(retried)[-1] == "The report is asked for again."
    assert messages_of(refused)[-1] == "This report has not failed: there is nothing to retry."
    broker.assert_called_once_with(silent.pk)
    assert report_retry(alive) is False


# --- Built once -------------------------------------------------------------------------------------


def test_a_second_delivery_while_the_build_is_alive_does_nothing(world):
    alive = running(1)

    with mock.patch.object(kinds, "build", wraps=kinds.build) as build:
        assert report_build(alive.pk) is None

    build.assert_not_called()
    alive.refresh_from_db()
    assert (alive.state, alive.attempts, alive.builds) == (Report.State.RUNNING, 1, 1)


def test_a_silent_build_that_was_alive_after_all_writes_nothing_once_a_newer_build_took_it(world, broker):
    ProjectFactory(directorate=world.it)
    waiting = report(sent=True, sent_at=timezone.now())
    real_build = kinds.build

    def frozen_then_finishing(report):
        # Meanwhile this build looked dead: the sweep started it again, and a newer build claimed it.
        Report.objects.filter(pk=report.pk).update(heartbeat_at=ago(settings.REPORT_HEARTBEAT_TIMEOUT + 5))
        report_sweep()
        with mock.patch.object(kinds, "build", side_effect=real_build):
            newer = report_build(report.pk)
        assert newer.state == Report.State.DONE
        return real_build(report)

    with mock.patch.object(kinds, "build", side_effect=frozen_then_finishing):
        finished = report_build(waiting.pk)  # the older build ends last, and keeps the newer one's file

    assert (finished.state, finished.builds, finished.attempts) == (Report.State.DONE, 2, 2)
    assert [path.name for path in settings.MEDIA_ROOT.rglob("*.pdf")] == [waiting.filename()]


def test_a_build_whose_claim_was_taken_writes_nothing_while_the_newer_build_runs(world, broker):
    ProjectFactory(directorate=world.it)
    waiting = report(sent=True, sent_at=timezone.now())
    real_build = kinds.build

    def frozen(report):
        # Meanwhile this build looked dead: the sweep started it again, and a newer build claimed it.
        Report.objects.filter(pk=report.pk).update(heartbeat_at=ago(settings.REPORT_HEARTBEAT_TIMEOUT + 5))
        report_sweep()
        Report.objects.filter(pk=report.pk).update(state=Report.State.RUNNING, builds=2, heartbeat_at=ago(0))
        return real_build(report)

    with mock.patch.object(kinds, "build", side_effect=frozen):
        assert report_build(waiting.pk) is None

    waiting.refresh_from_db()
    assert (waiting.state, waiting.builds, waiting.file.name) == (Report.State.RUNNING, 2, "")
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))


@pytest.mark.django_db(transaction=True)
def test_a_build_writes_its_heartbeat_while_it_runs(settings, world):
    settings.REPORT_HEARTBEAT_INTERVAL = 1
    ProjectFactory(directorate=world.it)
    waiting = report(sent=True, sent_at=timezone.now())
    real_build = kinds.build
    beats: list = []

    def slow(report):
        for _second in range(3):
            time.sleep(1.2)
            beats.append(Report.objects.get(pk=report.pk).heartbeat_at)
        return real_build(report)

    with mock.patch.object(kinds, "build", side_effect=slow):
        built = report_build(waiting.pk)

    assert built.state == Report.State.DONE
    assert built.started_at < beats[0] < beats[-1]  # beating while it built, not only when it started
    assert not [thread for thread in threading.enumerate() if thread.name.endswith("-heartbeat")]
