"""A real Celery worker, on the real Redis broker, runs a task against the test database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from pmo.celery import app
from tests.factories import DirectorateFactory
from tests.integration.tasks import rename_directorate

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def test_database_url() -> str:
    """The URL of the database this test writes to, for the worker process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


@pytest.fixture
def worker(tmp_path):
    if not settings.REDIS_URL:
        pytest.fail("The integration tests need REDIS_URL (bin/test and .ci/run set it)")
    queue = f"test-{uuid.uuid4().hex[:8]}"  # no other worker on this broker takes our task
    name = f"{queue}@integration"
    env = {**os.environ, "DATABASE_URL": test_database_url(), "REDIS_URL": settings.REDIS_URL}
    log = (tmp_path / "worker.log").open("w+")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "pmo",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-Q",
            queue,
            "-n",
            name,
            "--include",
            "tests.integration.tasks",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=1.0):
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail("the worker did not start:\n" + log.read())
        yield queue, name
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_a_real_worker_runs_a_task_through_redis(worker, client):
    queue, name = worker
    directorate = DirectorateFactory(code="DSI", name="Direction SI")
    assert not app.conf.task_always_eager  # the task really crosses the broker

    rename_directorate.apply_async((directorate.pk, "Direction des Systèmes d'Information"), queue=queue)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        directorate.refresh_from_db()
        if directorate.name == "Direction des Systèmes d'Information":
            break
        time.sleep(0.2)
    assert directorate.name == "Direction des Systèmes d'Information"

    health = client.get("/healthz").json()
    assert health["broker"]["state"] == "ok"
    assert name in health["workers"]["seen"]
