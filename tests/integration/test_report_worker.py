"""Reports through the real queue: a real Celery worker on the real Redis broker builds a report asked for
here, and a worker killed in the middle of a build leaves a report that the next worker finishes, once.

How the second test gets its report back: the report task is `acks_late`, so the killed worker never
acknowledged its message, and Redis (kombu) keeps it in the broker's "unacked" set with the time it was
handed out. A consumer puts such messages back in their queue once they are older than the visibility
timeout: when it starts polling, then every `unacked_restore_interval` x `unacked_restore_throttle`
seconds (100 by default). The second worker therefore runs with a visibility timeout of a few seconds
(CELERY_VISIBILITY_TIMEOUT) and is started once that much time has passed since the first one took the
message. The test process keeps the long default: it consumes too (ping replies), and with a short one it
could hand the message out again while the first worker still holds it.

The unacked set is per Redis database, not per queue: on a broker other workers use, the second worker
would give their unacknowledged messages older than 5 s back to their queues too. Run these tests on a
Redis database of their own (bin/test starts one when none answers).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from pmo.celery import app
from reporting.models import Report
from reporting.periods import Period
from reporting.reports import report_request
from tests.factories import DirectorateFactory, ProjectFactory
from tests.integration.test_celery_worker import ROOT, test_database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SHORT_VISIBILITY = 5  # seconds, for the worker that picks up a killed worker's report


@pytest.fixture
def queue(settings, tmp_path) -> Iterator[str]:
    """A queue of this test's own, where `build_report.delay()` sends the report (no other worker takes
    it), and the report files in a directory of the test's own."""
    if not settings.REDIS_URL:
        pytest.fail("The integration tests need REDIS_URL (bin/test and .ci/run set it)")
    assert not app.conf.task_always_eager  # the report really crosses the broker
    settings.MEDIA_ROOT = tmp_path / "media"
    name = f"test-{uuid.uuid4().hex[:8]}"
    default = app.conf.task_default_queue
    app.conf.task_default_queue = name
    try:
        yield name
    finally:
        app.conf.task_default_queue = default


@contextmanager
def worker(tmp_path: Path, queue: str, *, label: str, env: dict[str, str] | None = None, include: str = ""):
    """A Celery worker process (solo pool: the build runs in the main process) on `queue`."""
    name = f"{queue}-{label}@integration"
    environment = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # No Chromium: a killed worker would leave its browser behind, and charts are not the point here.
        "REPORT_CHARTS": "false",
        "PMO_TEST_QUEUE": queue,
        **(env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "pmo", "worker", "--pool=solo", "--without-gossip"]
    command += ["--without-mingle", "--loglevel=INFO", "-Q", queue, "-n", name]
    command += ["--include", ",".join(filter(None, ["tests.integration.own_queue", include]))]
    log = (tmp_path / f"worker-{label}.log").open("w+")
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 40
        while not app.control.ping(destination=[name], timeout=1.0):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker did not start:\n{_read(log)}")
        yield process, log
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def _read(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


def wait_for(report: Report, *states: str, seconds: float, log) -> Report:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.state in states:
            return report
        time.sleep(0.2)
    pytest.fail(f"the report stayed {report.state} (wanted {states}):\n{_read(log)}")


def ask_for_a_weekly_report() -> Report:
    it = DirectorateFactory(code="DSI", name="Direction des Systèmes d'Information")
    ProjectFactory(directorate=it, code="DSI-001", name="Refonte du portail")
    last_week = Period.containing(Report.PERIODIC[Report.Kind.WEEKLY], timezone.localdate()).previous()
    report, created = report_request(kind=Report.Kind.WEEKLY, language="en", period=last_week)
    assert created  # and sent to the queue as the request's transaction committed
    return report


def report_files() -> list[Path]:
    return list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_a_worker_builds_a_requested_report_through_the_queue(queue, tmp_path):
    with worker(tmp_path, queue, label="one") as (_process, log):
        report = ask_for_a_weekly_report()
        report = wait_for(report, Report.State.DONE, Report.State.FAILED, seconds=40, log=log)

    assert report.state == Report.State.DONE, report.error
    assert report.attempts == 1
    with report.file.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert report.pages >= 1
    assert report_files() == [Path(report.file.path)]


def test_a_report_whose_worker_is_killed_mid_build_is_finished_once_by_the_next_worker(queue, tmp_path):
    slow = {"REPORT_TEST_SLOW_BUILD": "60"}
    with worker(tmp_path, queue, label="killed", env=slow, include="tests.integration.slow_reports") as (
        process,
        log,
    ):
        report = ask_for_a_weekly_report()
        report = wait_for(report, Report.State.RUNNING, seconds=30, log=log)
        taken = time.monotonic()  # the worker took the message just before it marked the row running
        os.kill(process.pid, signal.SIGKILL)  # solo pool: the build runs in this very process
        process.wait(timeout=10)
    report.refresh_from_db()
    assert (report.state, report.attempts) == (Report.State.RUNNING, 1)  # cut off, and nobody knows yet

    # The message becomes visible again SHORT_VISIBILITY seconds after it was taken; the next worker
    # puts it back in the queue as it starts polling.
    time.sleep(max(0.0, taken + SHORT_VISIBILITY + 1 - time.monotonic()))
    # The killed build's heartbeat must look stopped too (REPORT_HEARTBEAT_TIMEOUT), or the next worker
    # takes the message for a second delivery of a build that is alive, and leaves it to it.
    short = {
        "CELERY_VISIBILITY_TIMEOUT": str(SHORT_VISIBILITY),
        "REPORT_HEARTBEAT_INTERVAL": "1",
        "REPORT_HEARTBEAT_TIMEOUT": "3",
    }
    with worker(tmp_path, queue, label="next", env=short) as (_process, log):
        report = wait_for(report, Report.State.DONE, Report.State.FAILED, seconds=40, log=log)
        time.sleep(1)  # a second delivery, if there were one, would show now

    assert Report.objects.count() == 1
    report.refresh_from_db()
    assert (report.state, report.attempts, report.error) == (Report.State.DONE, 2, "")
    assert report_files() == [Path(report.file.path)]
    with report.file.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"
