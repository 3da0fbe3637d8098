"""Parts of the stack fail; nothing users did is lost, and the app carries on without being restarted.

- Redis (the broker and the cache) stops: pages load, a weekly status saves, a report asked for is
  accepted and shown as waiting, and a worker builds it, once, when Redis is back; the cache misses
  meanwhile, without an error.
- PostgreSQL restarts under the running app: the next requests succeed (connection health checks).
- Two project managers submit the same week's status at the same instant: one is saved, the other is
  told and gets their text back.

The first fault of the issue, a worker killed with SIGKILL during a build, is
`test_report_worker.test_a_report_whose_worker_is_killed_mid_build_is_finished_once_by_the_next_worker`.

Each test starts the servers it breaks (tests/integration/servers.py): the machine's shared PostgreSQL
and Redis are never stopped.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from decimal import Decimal

import psycopg
import pytest
import requests
from django.core.cache import CacheHandler
from django.utils import timezone

from pmo.cache import cache_settings
from portfolio.models import StatusReport
from reporting.models import Report
from reporting.periods import Period
from reporting.report_forms import period_value
from tests.factories import ProjectFactory
from tests.integration.servers import (
    ROOT,
    PostgresCluster,
    RedisServer,
    app_environment,
    browser_session,
    celery_worker,
    get,
    gunicorn,
    post,
    signed_in,
)
from tests.integration.test_celery_worker import test_database_url
from tests.portfolio.test_status_form import status_data

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TIMEOUT = 15  # seconds for any one request: a dead broker must never hold a page longer


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def project(world):
    return ProjectFactory(
        code="PRJ-0042", name="Migration ERP", project_manager=world.pm, directorate=world.it
    )


def wait_for_state(report: Report, *states: str, seconds: float, worker) -> Report:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.state in states:
            return report
        time.sleep(0.25)
    pytest.fail(f"the report stayed {report.state} (wanted {states}):\n{worker.output()}")


# --- Redis stops ------------------------------------------------------------------------------------


def test_with_redis_stopped_pages_load_statuses_save_and_a_report_waits_until_redis_is_back(
    world, project, media, redis_server, tmp_path
):
    env = app_environment(DATABASE_URL=test_database_url(), REDIS_URL=redis_server.url)
    last_week = Period.containing(Report.PERIODIC[Report.Kind.WEEKLY], timezone.localdate()).previous()
    with gunicorn(env, log_dir=tmp_path) as base, celery_worker(env, log_dir=tmp_path) as worker:
        pm, pmo = browser_session(world.pm), browser_session(world.pmo)
        assert requests.get(f"{base}/healthz", timeout=TIMEOUT).json()["broker"]["state"] == "ok"

        redis_server.stop()

        # Pages load.
        assert get(pmo, f"{base}/dashboard/", timeout=TIMEOUT).status_code == 200
        assert get(pm, f"{base}/portfolio/projects/PRJ-0042/", timeout=TIMEOUT).status_code == 200
        # The health check says what is missing, and that the app still serves.
        health = requests.get(f"{base}/healthz", timeout=TIMEOUT)
        assert health.status_code == 200
        assert health.json()["status"] == "degraded"
        assert health.json()["broker"]["state"] == "unreachable"
        assert health.json()["database"]["ok"] is True

        # A weekly status saves.
        saved = post(pm, f"{base}/portfolio/projects/PRJ-0042/status/", status_data(), timeout=TIMEOUT)
        assert saved.status_code == 302, saved.text
        status = StatusReport.objects.get(project=project)
        assert (status.summary, status.percent_complete) == ("Pilot live.", Decimal("45"))

        # A report is accepted and shown as waiting, quickly, with a way to send it again.
        started = time.monotonic()
        asked = post(
            pmo,
            f"{base}/dashboard/reports/new/",
            {"kind": "weekly", "period": period_value(last_week), "language": "en"},
            timeout=TIMEOUT,
        )
        assert time.monotonic() - started < 10
        assert asked.status_code == 302, asked.text
        report = Report.objects.get()
        assert (report.state, report.sent) == (Report.State.QUEUED, False)
        page = get(pmo, f"{base}{asked.headers['Location']}", timeout=TIMEOUT)
        assert page.status_code == 200
        assert "the queue of the workers that build reports does not answer" in page.text
        assert "did not answer: the report waits here and is sent to them as soon as the queue is back" in (
            page.text
        )
        assert "Send again" in page.text

        # Redis is back: the worker, which kept running, reconnects and builds the report, once.
        redis_server.start()
        report = wait_for_state(report, Report.State.DONE, Report.State.FAILED, seconds=60, worker=worker)
        time.sleep(1)  # a second delivery, if there were one, would show now

    report.refresh_from_db()
    assert (report.state, report.attempts, report.sent, report.error) == (Report.State.DONE, 1, True, "")
    assert Report.objects.count() == 1
    with report.file.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"


def test_the_cache_misses_while_redis_is_stopped_and_caches_again_once_it_is_back(redis_server):
    cache = CacheHandler(cache_settings(redis_server.url))["default"]  # the app's, on this Redis
    cache.set("dashboard", "figures")
    assert cache.get("dashboard") == "figures"

    redis_server.stop()
    started = time.monotonic()
    assert cache.get("dashboard", "computed again") == "computed again"
    assert cache.get_many(["dashboard"]) == {}
    assert cache.has_key("dashboard") is False
    assert cache.add("dashboard", "figures") is False
    cache.set("dashboard", "figures")  # dropped, without an error
    cache.delete("dashboard")
    with pytest.raises(ValueError, match="not found"):
        cache.incr("visits")
    assert time.monotonic() - started < 3

    redis_server.start()
    cache.set("dashboard", "new figures")
    assert cache.get("dashboard") == "new figures"


# --- PostgreSQL restarts ----------------------------------------------------------------------------


@pytest.fixture
def postgres():
    cluster = PostgresCluster()
    try:
        cluster.init()
        cluster.start()
        cluster.create_database("pmo")
        yield cluster
    finally:
        cluster.remove()


SETUP = """
from django.test import Client
from pmo.roles import Role
from tests.factories import DirectorateFactory, ProjectFactory, UserFactory

it = DirectorateFactory(code="DSI")
pm = UserFactory(username="pm", roles=[Role.PROJECT_MANAGER], directorate=it)
pmo = UserFactory(username="pmo", roles=[Role.PMO], directorate=it)
ProjectFactory(code="PRJ-0042", name="Migration ERP", project_manager=pm, directorate=it)
for user in (pm, pmo):
    client = Client()
    client.force_login(user)
    print("SESSION", user.username, client.cookies["sessionid"].value)
"""


def run_manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def backend_pids(cluster: PostgresCluster) -> set[int]:
    """The server processes serving the app's connections to the database `pmo`."""
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = 'pmo' AND pid <> pg_backend_pid()"
        ).fetchall()
    return {pid for (pid,) in rows}


def test_after_postgresql_restarts_the_next_requests_succeed_without_restarting_the_app(
    postgres, media, tmp_path
):
    env = app_environment(DATABASE_URL=postgres.url("pmo"), REDIS_URL="")  # tasks in-process: no broker
    run_manage(env, "migrate", "--noinput", "-v0")
    sessions = dict(
        line.split()[1:]
        for line in run_manage(env, "shell", "-c", SETUP).splitlines()
        if line.startswith("SESSION")
    )
    # One thread: every request goes through the same persistent connection (CONN_MAX_AGE).
    with gunicorn(env, log_dir=tmp_path, threads=1) as base:
        pm, pmo = signed_in(sessions["pm"]), signed_in(sessions["pmo"])
        assert get(pmo, f"{base}/dashboard/", timeout=TIMEOUT).status_code == 200
        assert get(pm, f"{base}/portfolio/projects/PRJ-0042/", timeout=TIMEOUT).status_code == 200
        before = backend_pids(postgres)
        assert len(before) == 1  # the app kept its connection open between requests

        postgres.restart()
        assert backend_pids(postgres) == set()  # every connection of the app was cut

        # The very next requests succeed: each starts by checking the connection it kept, and opens a
        # new one when the server has gone away.
        assert get(pmo, f"{base}/dashboard/", timeout=TIMEOUT).status_code == 200
        assert get(pm, f"{base}/portfolio/projects/PRJ-0042/", timeout=TIMEOUT).status_code == 200
        saved = post(pm, f"{base}/portfolio/projects/PRJ-0042/status/", status_data(), timeout=TIMEOUT)
        assert saved.status_code == 302, saved.text
        assert saved.headers["Location"] == "/portfolio/projects/PRJ-0042/"
        health = requests.get(f"{base}/healthz", timeout=TIMEOUT).json()
        assert health["database"] == {"ok": True, "vendor": "postgresql"}
        after = backend_pids(postgres)
        assert len(after) == 1 and after != before

    with psycopg.connect(postgres.url("pmo")) as connection:
        rows = connection.execute("SELECT summary FROM portfolio_statusreport").fetchall()
    assert rows == [("Pilot live.",)]


# --- Two submissions at the same instant ------------------------------------------------------------


def submit_together(
    url: str, forms: dict[str, tuple[requests.Session, dict]]
) -> dict[str, requests.Response]:
    """POST each form from its own thread, all released at the same instant."""
    barrier = threading.Barrier(len(forms))
    answers: dict[str, requests.Response] = {}

    def submit(name: str) -> None:
        session, data = forms[name]
        barrier.wait(timeout=10)
        answers[name] = post(session, url, data, timeout=TIMEOUT)

    threads = [threading.Thread(target=submit, args=(name,)) for name in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * TIMEOUT)
    assert set(answers) == set(forms), "a submission got no answer"
    return answers


def test_two_simultaneous_status_submissions_one_is_saved_the_other_is_told_and_keeps_its_text(
    live_server, world, project
):
    url = f"{live_server.url}/portfolio/projects/PRJ-0042/status/"
    sessions = {"pm": browser_session(world.pm), "pmo": browser_session(world.pmo)}
    # Several rounds: each time both opened the form on the same latest status, and both submit at once.
    for round_ in range(1, 6):
        project.refresh_from_db()
        before = StatusReport.objects.filter(project=project).count()
        texts = {name: f"Round {round_}: the view of {name}" for name in sessions}
        forms = {
            name: (session, status_data(based_on=project.last_report_id, summary=texts[name]))
            for name, session in sessions.items()
        }

        answers = submit_together(url, forms)

        assert sorted(answer.status_code for answer in answers.values()) == [200, 302], {
            name: (answer.status_code, answer.text[:2000]) for name, answer in answers.items()
        }
        winner = next(name for name, answer in answers.items() if answer.status_code == 302)
        loser = next(name for name in answers if name != winner)
        # One is saved, as a new revision...
        assert StatusReport.objects.filter(project=project).count() == before + 1
        latest = StatusReport.objects.get(project=project, is_latest=True)
        assert (latest.summary, latest.revision) == (texts[winner], round_)
        # ... the other is told, nothing of theirs saved, and gets back what they typed beside the
        # status that won, to submit again if they still mean it.
        refused = answers[loser].text
        assert "Someone submitted a newer status" in refused
        assert "Nothing was saved." in refused
        assert texts[loser] in refused and texts[winner] in refused
        assert f'name="based_on" value="{latest.pk}"' in refused
