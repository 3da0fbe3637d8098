import os
from datetime import datetime
from types import SimpleNamespace

import factory
import pytest

from pmo.roles import Role
from tests import factories
from tests.factories import DirectorateFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django refuses
# ORM calls from such a thread unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        default=os.environ.get("PMO_TEST_TODAY", ""),
        help="Run the whole session as if the clock read this local date and time (YYYY-MM-DD[THH:MM]; "
        "the clock keeps ticking from there): bin/test-dates runs the date-sensitive tests at several.",
    )


def pytest_configure(config):
    today = config.getoption("--today")
    if today:
        from zoneinfo import ZoneInfo

        import time_machine

        # Local time in the organisation's zone, as a user on that day would see it.
        moment = datetime.fromisoformat(today if "T" in today else f"{today}T10:00")
        zone = ZoneInfo(os.environ.get("TIME_ZONE", "Africa/Casablanca"))
        traveller = time_machine.travel(moment.replace(tzinfo=moment.tzinfo or zone), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    asked = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(asked) or bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (bin/test runs one worker per core), the tests that start a Celery worker on the
    shared broker all run in one process, one after the other: two workers consuming one queue would
    take each other's tasks, each with another test database.

    And the tests that commit (transaction=True, the browser's live server) run after all the others, as
    pytest-django orders them: each empties the tables when it ends, the rows the data migrations made
    (the phases, the roles) with them, which the tests after it expect. pytest-django sorts them last, but
    pytest then regroups the tests that share a session-scoped parameter (the browsers' `browser_name`) at
    the first of them, which can pull the browser tests back before others; sorted again here, last."""
    for item in items:
        if item.get_closest_marker("integration"):
            item.add_marker(pytest.mark.xdist_group("broker"))
    items.sort(key=_transactional)


def pytest_report_header(config):
    today = config.getoption("--today")
    return [f"clock travelled to {today} (--today)"] if today else []


@pytest.fixture(autouse=True)
def _plain_static_files_and_fast_passwords(settings):
    # Tests do not run collectstatic, so the hashed-name manifest does not exist.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A session's activity is saved at most once a minute (pmo.middleware): a test measuring a page's
    # queries before and after building a large portfolio must not count that save when the building took
    # more than a minute on a loaded machine. The test of the renewal sets its own resolution.
    settings.SESSION_ACTIVITY_RESOLUTION = 24 * 3600
    # PDFs show each chart's data as a table: a kaleido server, once started by a PDF with charts, keeps
    # serving every later test of the process (reporting.pdf.charts), whose PDFs would then hold charts
    # they were not written for. The tests of the charts themselves turn them on and stop the server.
    settings.REPORT_CHARTS = False
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache":
        # Each xdist worker has its own test database, whose ids start at 1 like the others': a cache
        # shared on Redis must not hand one worker's cached figures to another.
        settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": worker}}


@pytest.fixture(autouse=True)
def _factory_sequences_start_afresh():
    """Each test numbers its objects from the start, as when it runs alone: some tests write codes such
    as PRJ-0101 by hand, which a sequence carried over from a hundred earlier projects would reach."""
    for factory_class in vars(factories).values():
        if isinstance(factory_class, type) and issubclass(factory_class, factory.django.DjangoModelFactory):
            factory_class.reset_sequence()


@pytest.fixture(autouse=True)
def _tasks_in_process(request, settings):
    """Tests run tasks in the process that sends them, as the embedded mode does (no REDIS_URL), even
    when bin/test or CI set REDIS_URL for the integration tests, whose real worker takes their tasks.
    They run in the caller, not in the embedded mode's background threads (BACKGROUND_THREADS=0): a test
    reads what a task did as soon as it is sent (tests/reporting/test_background_builds.py sets it)."""
    if request.node.get_closest_marker("integration"):
        yield
        return
    from pmo.celery import app

    settings.BACKGROUND_THREADS = 0

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright never downloads a browser of its own here.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


PASSWORD = "correct horse battery"


@pytest.fixture
def world(db):
    """One user per role, plus a second project manager, in two directorates."""
    it = DirectorateFactory(code="DSI", name="Direction des Systèmes d'Information")
    finance = DirectorateFactory(code="DF", name="Direction Financière")
    return SimpleNamespace(
        password=PASSWORD,
        it=it,
        finance=finance,
        admin=UserFactory(username="admin", roles=[Role.ADMINISTRATOR], is_staff=True, is_superuser=True),
        pmo=UserFactory(username="pmo", roles=[Role.PMO], directorate=it),
        pm=UserFactory(username="pm", roles=[Role.PROJECT_MANAGER], directorate=it),
        other_pm=UserFactory(username="other_pm", roles=[Role.PROJECT_MANAGER], directorate=finance),
        executive=UserFactory(username="executive", roles=[Role.EXECUTIVE]),
        member=UserFactory(username="member", roles=[Role.COMMITTEE_MEMBER], directorate=finance),
    )
