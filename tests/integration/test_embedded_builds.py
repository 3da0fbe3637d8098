"""The embedded default on a real server (gunicorn, no broker): a report build never runs inside the
request that asks for it, pages answer while it builds, and the report's page follows the same states as
on the real stack until it is built (pmo/background.py, docs/report-builds.md)."""

from __future__ import annotations

import time

import pytest
import requests
from django.utils import timezone

from reporting.models import Report
from reporting.periods import Period
from reporting.report_forms import period_value
from tests.factories import ProjectFactory
from tests.integration.servers import app_environment, browser_session, get, gunicorn, post
from tests.integration.test_celery_worker import test_database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SLOW = 8  # seconds each build sleeps first, in the server process


def test_without_a_broker_a_report_is_built_in_the_background_while_pages_answer(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ProjectFactory(code="PRJ-0042", name="Migration ERP", project_manager=world.pm, directorate=world.it)
    env = app_environment(
        DATABASE_URL=test_database_url(),
        REDIS_URL="",  # the embedded default: no broker
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        REPORT_TEST_SLOW_BUILD=str(SLOW),
        BACKGROUND_THREADS="2",
    )
    last_week = Period.containing(Report.PERIODIC[Report.Kind.WEEKLY], timezone.localdate()).previous()
    # Asked for before the server ran (bin/demo's generate_report --in-background): built once it runs.
    left = Report.objects.create(kind="weekly", period=last_week.start, language="fr", sent=False)
    options = ("-c", "python:tests.integration.gunicorn_slow_reports")
    with gunicorn(env, log_dir=tmp_path, options=options) as base:
        pmo, pm = browser_session(world.pmo), browser_session(world.pm)

        asked_at = time.monotonic()
        asked = post(
            pmo,
            f"{base}/dashboard/reports/new/",
            {"kind": "weekly", "period": period_value(last_week), "language": "en"},
            timeout=30,
        )
        answered_in = time.monotonic() - asked_at
        assert asked.status_code == 302, asked.text
        assert answered_in < SLOW / 2  # the request did not wait for the build

        report = Report.objects.get(language="en")
        assert report.state in (Report.State.QUEUED, Report.State.RUNNING) and report.sent
        # While it builds, pages answer at once, and the report's page shows it being built.
        for session, path in ((pm, "/portfolio/projects/PRJ-0042/"), (pmo, "/dashboard/")):
            started = time.monotonic()
            assert get(session, f"{base}{path}", timeout=30).status_code == 200
            assert time.monotonic() - started < SLOW / 2
        started = time.monotonic()
        assert requests.get(f"{base}/accounts/login/", timeout=30).status_code == 200
        assert time.monotonic() - started < SLOW / 2
        page = get(pmo, f"{base}{asked.headers['Location']}", timeout=30).text
        assert "Being built since" in page and 'hx-trigger="every 2s"' in page

        deadline = time.monotonic() + SLOW + 40
        while report.state not in (Report.State.DONE, Report.State.FAILED) and time.monotonic() < deadline:
            time.sleep(0.25)
            report.refresh_from_db()
        state = get(pmo, f"{base}/dashboard/reports/{report.pk}/state/", timeout=30).text

        left.refresh_from_db()

    assert (report.state, report.attempts, report.error) == (Report.State.DONE, 1, "")
    assert "Download the PDF" in state
    assert (left.state, left.attempts) == (Report.State.DONE, 1)
    with report.file.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"
