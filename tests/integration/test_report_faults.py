"""Reports on the real stack when the queue fails them: nobody waits for the broker's redelivery, nor
forever.

- A worker killed with SIGKILL in the middle of a build: its heartbeat stops, the sweep (beat every
  minute, and each worker as it connects) starts the build again within seconds of the heartbeat
  timeout, not after the broker's visibility timeout (20 minutes), and the report is built once even
  when the killed worker's message is handed out again later.
- Redis restarted without its data while a report waited in its queue: the sweep sends it again.

The timeouts are the settings' own, shortened through the environment of the processes
(REPORT_HEARTBEAT_INTERVAL, REPORT_HEARTBEAT_TIMEOUT, REPORT_RESEND_AFTER).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from django.utils import timezone

from pmo.celery import app
from reporting.models import Report
from reporting.periods import Period
from reporting.report_forms import period_value
from tests.factories import ProjectFactory
from tests.integration.servers import (
    RedisServer,
    app_environment,
    browser_session,
    celery_worker,
    get,
    gunicorn,
    post,
)
from tests.integration.test_celery_worker import test_database_url
from tests.integration.test_report_worker import (  # noqa: F401 (a fixture)
    _read,
    ask_for_a_weekly_report,
    queue,
    report_files,
    wait_for,
    worker,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BEATING = {"REPORT_HEARTBEAT_INTERVAL": "1", "REPORT_HEARTBEAT_TIMEOUT": "3"}


def test_a_build_whose_worker_is_killed_starts_again_at_the_sweep_and_is_built_once(queue, tmp_path):  # noqa: F811
    slow = {**BEATING, "REPORT_TEST_SLOW_BUILD": "60"}
    with worker(tmp_path, queue, label="killed", env=slow, include="tests.integration.slow_reports") as (
        process,
        log,
    ):
        report = ask_for_a_weekly_report()
        report = wait_for(report, Report.State.RUNNING, seconds=30, log=log)
        started = report.started_at
        deadline = time.monotonic() + 10
        while report.heartbeat_at <= started and time.monotonic() < deadline:  # it beats while it builds
            time.sleep(0.2)
            report.refresh_from_db()
        assert report.heartbeat_at > started
        os.kill(process.pid, signal.SIGKILL)  # solo pool: the build runs in this very process
        process.wait(timeout=10)
    killed = time.monotonic()
    report.refresh_from_db()
    assert (report.state, report.attempts) == (Report.State.RUNNING, 1)  # cut off, and nobody knows yet

    # Once the heartbeat is older than its timeout, the next worker's sweep (as it connects, and as beat
    # asks every minute) starts the build again: long before the broker would hand out the killed
    # worker's message again (its visibility timeout, kept at its default here).
    time.sleep(4)
    with worker(tmp_path, queue, label="next", env=BEATING) as (_process, log):
        app.send_task("reporting.send_waiting_reports", queue=queue)  # as beat does
        report = wait_for(report, Report.State.DONE, Report.State.FAILED, seconds=40, log=log)
        restarted_within = time.monotonic() - killed
    # Later a worker hands that message out again (a short visibility timeout here): the report is
    # built, and stays built once.
    with worker(tmp_path, queue, label="late", env={"CELERY_VISIBILITY_TIMEOUT": "5"}) as (_process, log):
        deadline = time.monotonic() + 20
        while "reporting.build_report" not in _read(log) and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(1)
        assert f"Report {report.pk}: nothing to build" in _read(log)

    assert restarted_within < 60  # not the broker's visibility timeout (1,200 s)
    assert Report.objects.count() == 1
    report.refresh_from_db()
    assert (report.state, report.attempts, report.builds, report.error) == (Report.State.DONE, 2, 2, "")
    assert report.interrupted_at is not None
    assert report_files() == [Path(report.file.path)]
    with report.file.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)  # without persistence: restarted, it has lost its data
    server.start()
    yield server
    server.stop()


def test_a_report_waiting_in_a_redis_restarted_without_its_data_is_sent_again_and_built(
    world, settings, redis_server, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ProjectFactory(code="PRJ-0042", name="Migration ERP", project_manager=world.pm, directorate=world.it)
    env = app_environment(
        DATABASE_URL=test_database_url(), REDIS_URL=redis_server.url, REPORT_RESEND_AFTER="3"
    )
    last_week = Period.containing(Report.PERIODIC[Report.Kind.WEEKLY], timezone.localdate()).previous()
    with gunicorn(env, log_dir=tmp_path) as base:
        pmo = browser_session(world.pmo)
        # Asked for while no worker runs: the build waits in Redis's queue.
        asked = post(
            pmo,
            f"{base}/dashboard/reports/new/",
            {"kind": "weekly", "period": period_value(last_week), "language": "en"},
            timeout=15,
        )
        assert asked.status_code == 302, asked.text
        report = Report.objects.get()
        assert (report.state, report.sent) == (Report.State.QUEUED, True)

        redis_server.stop()
        redis_server.start()  # empty: the build is gone from the queue, the row still says sent
        time.sleep(4)  # longer than REPORT_RESEND_AFTER
        page = get(pmo, f"{base}{asked.headers['Location']}", timeout=15).text
        assert "none has taken it (was their queue emptied?): it is sent to them again automatically" in page

        # The worker's sweep, as it connects (and beat's, every minute), sends it again.
        with celery_worker(env, log_dir=tmp_path) as running_worker:
            deadline = time.monotonic() + 40
            while report.state not in (Report.State.DONE, Report.State.FAILED):
                if time.monotonic() > deadline:
                    pytest.fail(f"the report stayed {report.state}:\n{running_worker.output()}")
                time.sleep(0.25)
                report.refresh_from_db()

    assert (report.state, report.attempts, report.error) == (Report.State.DONE, 1, "")
    assert Report.objects.count() == 1
    with report.file.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"
