"""The embedded default (no broker): a report build never runs inside the web request that asks for it.
It runs in a background thread of the web process (pmo/background.py), and the report's page follows the
same states as on the real stack. (The same under gunicorn: tests/integration/test_embedded_builds.py.)"""

from __future__ import annotations

import io
import threading
import time
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pmo import background
from reporting.models import Report
from reporting.pdf import kinds
from reporting.periods import Frequency, Period
from tests.factories import CommitteeFactory, ProjectFactory, planned_meeting

# Committed rows: the background thread reads them through its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _embedded_mode_with_a_background_thread(settings, tmp_path):
    settings.REPORT_CHARTS = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKGROUND_THREADS = 1  # as without REDIS_URL; the other tests build in the caller
    yield
    background.shutdown()


@pytest.fixture
def slow_build():
    """Every build waits until the test releases it (or 15 s): the request must not wait for it."""
    started, release = threading.Event(), threading.Event()
    real_build = kinds.build

    def build(report):
        started.set()
        release.wait(timeout=15)
        return real_build(report)

    with mock.patch.object(kinds, "build", side_effect=build):
        yield started, release


def wait_for(report: Report, state: str, seconds: float) -> Report:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.state == state:
            return report
        time.sleep(0.1)
    pytest.fail(f"the report stayed {report.state}")


def test_the_meeting_pack_button_answers_at_once_and_the_pack_is_built_in_the_background(
    client, world, slow_build
):
    started, release = slow_build
    ProjectFactory(directorate=world.it, project_manager=world.pm)
    committee = CommitteeFactory(chair=world.pmo, secretary=world.pmo, members=[world.pm])
    meeting = planned_meeting(committee=committee, by=world.pmo)
    client.force_login(world.pm)

    asked_at = time.monotonic()
    response = client.post(reverse("reporting:report_meeting", args=[meeting.pk]), {"kind": "pack"})
    answered_in = time.monotonic() - asked_at

    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert answered_in < 5  # not the build's time
    assert report.state in (Report.State.QUEUED, Report.State.RUNNING)
    assert report.sent  # handed to the background, not "waiting to be sent"
    # The build runs meanwhile, and the page shows it as the real stack would, polling on.
    assert started.wait(timeout=10)
    report = wait_for(report, Report.State.RUNNING, seconds=5)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Being built since" in page and 'hx-trigger="every 2s"' in page

    release.set()

    report = wait_for(report, Report.State.DONE, seconds=30)
    assert (report.attempts, report.error) == (1, "")
    with report.file.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    state = client.get(reverse("reporting:report_state", args=[report.pk])).content.decode()
    assert "Download the PDF" in state and "hx-trigger" not in state


def test_the_reports_bin_demo_asks_for_are_built_by_the_web_process_once_it_starts(world, slow_build):
    _started, release = slow_build
    release.set()
    ProjectFactory(directorate=world.it)
    out = io.StringIO()
    call_command("generate_report", "weekly", "monthly", "--lang", "fr", "en", "--in-background", stdout=out)

    asked = list(Report.objects.order_by("pk"))
    assert len(asked) == 4 and out.getvalue().split() == [report.get_absolute_url() for report in asked]
    assert all(report.is_unsent for report in asked)  # nothing built by the command
    # A report left in the memory of a web process that stopped, sent but never built.
    monday = Period.containing(Frequency.WEEKLY, timezone.localdate()).previous().start
    left = Report.objects.create(kind="weekly", period=monday, language="en", directorate=world.it, sent=True)

    assert background.start()  # the web process starts (pmo/wsgi.py)

    for report in [*asked, left]:
        assert wait_for(report, Report.State.DONE, seconds=60).attempts == 1
