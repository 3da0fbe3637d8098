"""The embedded default (no broker): an import's dry run never runs inside the click that asks for it. It
goes to the web process's background thread (pmo/background.py), as report builds do, and the import's
page follows its progress until the results."""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest
from django.urls import reverse

from imports import runs
from imports.models import Import
from pmo import background
from tests.imports.test_runs import ready_to_run

# Committed rows: the background thread reads them through its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _a_background_thread(settings):
    settings.BACKGROUND_THREADS = 1  # as without REDIS_URL; the other tests run tasks in the caller
    yield
    background.shutdown()


def test_the_dry_run_answers_at_once_and_runs_in_the_background_until_its_results(client, world):
    upload = ready_to_run(world, 40)
    client.force_login(world.pmo)
    started, release = threading.Event(), threading.Event()
    real_run = runs.run_import

    def slow_run(import_id, run):
        started.set()
        release.wait(timeout=15)
        return real_run(import_id, run)

    with mock.patch.object(runs, "run_import", side_effect=slow_run):
        asked_at = time.monotonic()
        response = client.post(reverse("imports:dry_run", args=[upload.pk]), HTTP_ACCEPT_LANGUAGE="en")
        answered_in = time.monotonic() - asked_at

        assert response.status_code == 302 and answered_in < 5  # not the run's time
        assert started.wait(timeout=10)  # the background thread has it
        upload.refresh_from_db()
        assert upload.state == Import.State.CHECKING
        partial = client.get(reverse("imports:progress", args=[upload.pk]), HTTP_HX_REQUEST="true")
        assert 'hx-trigger="every 2s"' in partial.content.decode()

        release.set()
        deadline = time.monotonic() + 30
        while upload.state == Import.State.CHECKING and time.monotonic() < deadline:
            time.sleep(0.1)
            upload.refresh_from_db()

    assert upload.state == Import.State.DRY_RUN and upload.summary["counts"]["create"] == 40
    done = client.get(reverse("imports:progress", args=[upload.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == reverse("imports:dry_run", args=[upload.pk])
